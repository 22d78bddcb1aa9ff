//! Every permission decision, in one place. An operation names the action it is about to
//! do; this module says yes or no ([`allowed`], [`require`]). The HTTP layer asks the same
//! question before it reads a request body, so a refused caller learns nothing about the
//! body's validity. The role × endpoint matrix test (niveau-web's permissions tests) walks
//! every endpoint of the API against every role.
//!
//! | action | anonymous | læser | produktredaktør | bestyrelse | sekretariat | admin |
//! |---|---|---|---|---|---|---|
//! | read published products, published evaluations, the public decision log, badges | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | read the whole portfolio (unpublished products, groups, agreements, rounds, scans) | | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | read evaluations in dialogue or final | | ✓ | own products | ✓ | ✓ | ✓ |
//! | read evaluation drafts (kladde) | | | | | ✓ | ✓ |
//! | read the audit log | | | | ✓ | ✓ | ✓ |
//! | edit a product's fields, its participants; submit its self-evaluation; request its scan | | | own products | | ✓ | ✓ |
//! | publish, unpublish a product or change its slug | | | | | ✓ | ✓ |
//! | create, archive products; edit organisations, persons, groups, agreements, rounds | | | | | ✓ | ✓ |
//! | create, change, finalise, publish evaluations | | | | | ✓ | ✓ |
//! | record decisions | | | | ✓ | ✓ | ✓ |
//! | take a process step for the secretariat | | | | | ✓ | ✓ |
//! | take a process step for the board; record the board's decision on a case | | | | ✓ | ✓ | ✓ |
//! | take a process step for the initiator (withdraw an idea) | | | own products | | ✓ | ✓ |
//! | read board meetings and cases; follow projects' progress | | | | ✓ | ✓ | ✓ |
//! | prepare board meetings and cases | | | | | ✓ | ✓ |
//! | report a project's progress | | | own products | | ✓ | ✓ |
//! | read the public summary of published products' development wishes | ✓ | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | raise a development wish, comment on one | | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | screen, estimate, decide, prioritise, move wishes; register pledges; set the product's wish settings | | | own products | | ✓ | ✓ |
//! | record suppliers' partner agreements | | | | | ✓ | ✓ |
//! | manage accounts | | | | | | ✓ |
//! | read one's own profile and API tokens | | ✓ | ✓ | ✓ | ✓ | ✓ |
//! | create, revoke one's own API tokens | | ✓ | ✓ | ✓ | ✓ | ✓ |
//!
//! An API token with only the `read` scope may do the read actions of its account and
//! nothing else: every action that changes something, one's own tokens included, needs
//! the `write` scope (403 `insufficient_scope`). An expired or revoked token is no
//! token at all (401).

use niveau_store::types::{DecidedBy, Role};

use crate::error::AppError;
use crate::principal::Principal;

/// Something a request wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Read what the public may read.
    ReadPublic,
    /// Read the whole portfolio.
    ReadPortfolio,
    /// Read an evaluation in dialogue, final or published, of this product.
    ReadEvaluation(i32),
    /// Read evaluation drafts.
    ReadEvaluationDrafts,
    /// Read the audit log.
    ReadAudit,
    /// Change this product (fields, participants), but not whether it is published or
    /// its slug.
    EditProduct(i32),
    /// Publish or unpublish a product, or change its slug (the secretariat's decision,
    /// not the product's editors').
    PublishProduct,
    /// Submit a self-evaluation for this product.
    SubmitSelfEvaluation(i32),
    /// Ask for a scan of this product.
    RequestScan(i32),
    /// Create or archive products; edit organisations, persons, groups, agreements, rounds.
    EditPortfolio,
    /// Create and change evaluations.
    Evaluate,
    /// Record decisions.
    Decide,
    /// Record a step of the product process for this decider, on this product.
    TakeStep(niveau_store::types::DecidedBy, i32),
    /// Read board meetings and cases, and follow projects' progress.
    ReadBoard,
    /// Prepare board meetings and cases.
    PrepareBoard,
    /// Record the board's decision on a case.
    DecideBoard,
    /// Report this project's progress.
    ReportProgress(i32),
    /// Raise a development wish for a product, or comment on one.
    RaiseWish,
    /// Handle this product's wishes: screen, estimate, decide, prioritise, move them,
    /// register pledges, set the product's wish settings (its product group).
    ManageWishes(i32),
    /// Manage accounts.
    ManageUsers,
    /// Read one's own profile and tokens.
    ReadOwnAccount,
    /// Change one's own profile and tokens (create, revoke).
    OwnAccount,
    /// Read the e-mail outbox (the secretariat's view of failed messages).
    ReadOutbox,
    /// Send a failed e-mail again.
    ManageOutbox,
}

impl Action {
    /// Whether the action changes something.
    pub fn is_write(self) -> bool {
        !matches!(
            self,
            Action::ReadPublic
                | Action::ReadPortfolio
                | Action::ReadEvaluation(_)
                | Action::ReadEvaluationDrafts
                | Action::ReadAudit
                | Action::ReadBoard
                | Action::ReadOwnAccount
                | Action::ReadOutbox
        )
    }
}

/// Whether `who` (none: anonymous) may do `action`.
pub fn allowed(who: Option<&Principal>, action: Action) -> bool {
    let Some(p) = who else {
        return action == Action::ReadPublic;
    };
    if action.is_write() && !p.can_write {
        return false;
    }
    let has = |role| p.has(role);
    let staff = p.is_staff();
    let editor_of = |product: i32| has(Role::Produktredaktor) && p.product_ids.contains(&product);
    match action {
        Action::ReadPublic
        | Action::ReadPortfolio
        | Action::ReadOwnAccount
        | Action::OwnAccount => true,
        Action::ReadEvaluation(product) => {
            staff || has(Role::Bestyrelse) || has(Role::Laeser) || editor_of(product)
        }
        Action::ReadEvaluationDrafts => staff,
        Action::ReadAudit => staff || has(Role::Bestyrelse),
        Action::EditProduct(product)
        | Action::SubmitSelfEvaluation(product)
        | Action::RequestScan(product) => staff || editor_of(product),
        Action::PublishProduct | Action::EditPortfolio | Action::Evaluate => staff,
        Action::Decide | Action::DecideBoard | Action::ReadBoard => staff || has(Role::Bestyrelse),
        Action::TakeStep(by, product) => match by {
            DecidedBy::Sekretariat => staff,
            DecidedBy::Bestyrelse => staff || has(Role::Bestyrelse),
            DecidedBy::Initiativtager => staff || editor_of(product),
        },
        Action::PrepareBoard => staff,
        Action::ReportProgress(product) | Action::ManageWishes(product) => {
            staff || editor_of(product)
        }
        Action::RaiseWish => true,
        Action::ManageUsers => has(Role::Admin),
        Action::ReadOutbox | Action::ManageOutbox => staff,
    }
}

/// The principal if it may do `action`: [`AppError::Unauthenticated`] for the public,
/// [`AppError::ReadOnlyToken`] for a change asked by an account that may only read, and
/// [`AppError::Forbidden`] otherwise.
pub fn require(who: Option<&Principal>, action: Action) -> Result<&Principal, AppError> {
    match who {
        None => Err(AppError::Unauthenticated),
        Some(p) if allowed(Some(p), action) => Ok(p),
        Some(p) if action.is_write() && !p.can_write => Err(AppError::ReadOnlyToken),
        Some(_) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(roles: &[Role], products: &[i32]) -> Principal {
        Principal {
            user_id: 1,
            username: "x".into(),
            display_name: "X".into(),
            roles: roles.to_vec(),
            product_ids: products.to_vec(),
            can_write: true,
            system: false,
        }
    }

    #[test]
    fn editors_edit_only_their_products() {
        let editor = who(&[Role::Produktredaktor], &[7]);
        assert!(allowed(Some(&editor), Action::EditProduct(7)));
        assert!(!allowed(Some(&editor), Action::EditProduct(8)));
        assert!(allowed(Some(&editor), Action::ReadEvaluation(7)));
        assert!(!allowed(Some(&editor), Action::ReadEvaluation(8)));
        assert!(!allowed(Some(&editor), Action::Evaluate));
        assert!(!allowed(Some(&editor), Action::PublishProduct));
        assert!(allowed(
            Some(&who(&[Role::Sekretariat], &[])),
            Action::PublishProduct
        ));
    }

    #[test]
    fn anonymous_reads_only_public() {
        assert!(allowed(None, Action::ReadPublic));
        assert!(!allowed(None, Action::ReadPortfolio));
        assert!(!allowed(None, Action::OwnAccount));
    }

    #[test]
    fn read_tokens_cannot_write() {
        let mut admin = who(&[Role::Admin], &[]);
        admin.can_write = false;
        assert!(allowed(Some(&admin), Action::ReadAudit));
        assert!(!allowed(Some(&admin), Action::EditPortfolio));
        assert!(!allowed(Some(&admin), Action::ManageUsers));
        assert!(allowed(Some(&admin), Action::ReadOwnAccount));
    }

    #[test]
    fn finding_1_read_tokens_cannot_change_their_own_account() {
        let mut reader = who(&[Role::Laeser], &[]);
        reader.can_write = false;
        assert!(allowed(Some(&reader), Action::ReadOwnAccount));
        assert!(!allowed(Some(&reader), Action::OwnAccount));
        reader.can_write = true;
        assert!(allowed(Some(&reader), Action::OwnAccount));
        assert!(!allowed(None, Action::ReadOwnAccount));
    }

    #[test]
    fn the_board_decides_but_does_not_evaluate() {
        let board = who(&[Role::Bestyrelse], &[]);
        assert!(allowed(Some(&board), Action::Decide));
        assert!(!allowed(Some(&board), Action::Evaluate));
        assert!(!allowed(Some(&board), Action::ReadEvaluationDrafts));
        assert!(allowed(Some(&board), Action::ReadAudit));
    }

    #[test]
    fn require_names_why_it_refuses() {
        assert!(matches!(
            require(None, Action::ReadPortfolio),
            Err(AppError::Unauthenticated)
        ));
        let mut reader = who(&[Role::Laeser], &[]);
        assert!(matches!(
            require(Some(&reader), Action::Evaluate),
            Err(AppError::Forbidden)
        ));
        reader.can_write = false;
        assert!(matches!(
            require(Some(&reader), Action::OwnAccount),
            Err(AppError::ReadOnlyToken)
        ));
        let secretariat = who(&[Role::Sekretariat], &[]);
        assert_eq!(
            require(Some(&secretariat), Action::Evaluate)
                .ok()
                .map(|p| p.user_id),
            Some(1)
        );
    }

    #[test]
    fn the_console_operator_may_do_everything_and_is_logged_as_itself() {
        let console = Principal::system("demo");
        assert!(allowed(Some(&console), Action::ManageUsers));
        assert!(allowed(Some(&console), Action::Evaluate));
        assert_eq!(console.actor().user_id, None);
        assert_eq!(console.actor().name, "demo");
    }
}
