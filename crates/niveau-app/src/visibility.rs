//! Who may see what: the visibility rules every read goes through, next to the
//! permission decisions ([`crate::permissions`]).
//!
//! - A product that is unpublished or archived does not exist for the public (404, not
//!   403: the public is not to learn that it exists).
//! - An evaluation draft (kladde), or a discarded one (kasseret), exists only for the
//!   secretariat; an unpublished
//!   evaluation does not exist for the public; a logged-in reader without access to the
//!   product's evaluations is refused (403).
//! - The dialogue about an evaluation is open to the secretariat while it is kladde or i
//!   dialog, and to the product's editors while it is i dialog.

use std::collections::HashMap;

use niveau_model::Msg;
use niveau_store::entity::{evaluation, product};
use niveau_store::products::ProductFilter;
use niveau_store::types::EvaluationStatus;
use niveau_store::{ListParams, Store};

use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed};
use crate::principal::Caller;

/// "produkt x" / "product x".
fn product_name(key: &str) -> Msg {
    Msg::new(format!("produkt {key}"), format!("product {key}"))
}

/// Find a product by id (digits) or slug, hiding what the caller may not see: an
/// unpublished or archived product is "not found" for the public.
pub async fn resolve_product(
    store: &Store,
    who: Caller<'_>,
    key: &str,
) -> AppResult<product::Model> {
    let found = match key.parse::<i32>() {
        Ok(id) => store.product(id).await,
        Err(_) => store.product_by_slug(key).await,
    };
    let product = found.map_err(|_| AppError::not_found(product_name(key)))?;
    if !may_see_product(who, &product) {
        return Err(AppError::not_found(product_name(key)));
    }
    Ok(product)
}

/// Whether the caller may know that `product` exists.
pub fn may_see_product(who: Caller<'_>, product: &product::Model) -> bool {
    allowed(who, Action::ReadPortfolio) || (product.published && !product.archived)
}

/// The products this caller may see: published ones for the public, all (archived
/// included) for logged-in readers.
pub async fn visible_products(store: &Store, who: Caller<'_>) -> AppResult<Vec<product::Model>> {
    let reader = allowed(who, Action::ReadPortfolio);
    Ok(store
        .list_products(
            &ProductFilter {
                published: (!reader).then_some(true),
                archived: Some(reader),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items)
}

/// [`visible_products`] by id: (slug, name).
pub async fn product_names(
    store: &Store,
    who: Caller<'_>,
) -> AppResult<HashMap<i32, (String, String)>> {
    Ok(visible_products(store, who)
        .await?
        .into_iter()
        .map(|p| (p.id, (p.slug, p.name)))
        .collect())
}

/// Whether the caller may see this evaluation: not found where the caller is not to
/// know it exists (drafts for everyone but the secretariat; anything unpublished for the
/// public), forbidden for a logged-in reader without access to the product's
/// evaluations.
pub async fn ensure_evaluation_visible(
    store: &Store,
    who: Caller<'_>,
    head: &evaluation::Model,
) -> AppResult<()> {
    let hidden = || {
        AppError::not_found(Msg::new(
            format!("evaluering {}", head.id),
            format!("evaluation {}", head.id),
        ))
    };
    if head.status.is_secretariat_only() {
        return if allowed(who, Action::ReadEvaluationDrafts) {
            Ok(())
        } else {
            Err(hidden())
        };
    }
    if allowed(who, Action::ReadEvaluation(head.product_id)) {
        return Ok(());
    }
    if head.status == EvaluationStatus::Offentliggjort {
        let product = store.product(head.product_id).await?;
        if product.published && !product.archived {
            return Ok(());
        }
    }
    match who {
        None => Err(hidden()),
        Some(_) => Err(AppError::Forbidden),
    }
}

/// The products whose evaluations the caller may read; `None` for every product.
pub fn readable_products(who: Caller<'_>) -> Option<Vec<i32>> {
    // Product ids are positive. An account that may read the evaluations of product 0,
    // which cannot exist, reads those of every product; the permission module decides.
    if allowed(who, Action::ReadEvaluation(0)) {
        return None;
    }
    Some(
        who.map(|p| {
            p.product_ids
                .iter()
                .copied()
                .filter(|&id| allowed(who, Action::ReadEvaluation(id)))
                .collect()
        })
        .unwrap_or_default(),
    )
}

/// Whether the caller may take part in the dialogue about an evaluation: the secretariat
/// while it is kladde or i dialog, the product's editors while it is i dialog.
pub fn may_comment(who: Caller<'_>, head: &evaluation::Model) -> bool {
    match head.status {
        EvaluationStatus::Kladde => allowed(who, Action::Evaluate),
        EvaluationStatus::IDialog => {
            allowed(who, Action::Evaluate)
                || allowed(who, Action::SubmitSelfEvaluation(head.product_id))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use niveau_store::types::Role;

    use super::*;
    use crate::principal::Principal;

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

    fn head(status: EvaluationStatus, product_id: i32) -> evaluation::Model {
        let at = chrono::DateTime::<chrono::Utc>::UNIX_EPOCH;
        evaluation::Model {
            id: 9,
            product_id,
            self_evaluation_id: None,
            model_id: "os2-1.1.0".into(),
            model_version: "1.1.0".into(),
            status,
            version: 1,
            created_by: "x".into(),
            created_at: at,
            updated_at: at,
            finalised_at: None,
            published_at: None,
            pending_decision: None,
            evaluated_by: None,
        }
    }

    #[test]
    fn editors_read_the_evaluations_of_their_own_products_only() {
        let editor = who(&[Role::Produktredaktor], &[3, 4]);
        assert_eq!(readable_products(Some(&editor)), Some(vec![3, 4]));
        assert_eq!(readable_products(None), Some(vec![]));
        let board = who(&[Role::Bestyrelse], &[]);
        assert_eq!(readable_products(Some(&board)), None);
    }

    #[test]
    fn the_dialogue_is_open_to_editors_only_while_in_dialogue() {
        let editor = who(&[Role::Produktredaktor], &[3]);
        let secretariat = who(&[Role::Sekretariat], &[]);
        assert!(!may_comment(
            Some(&editor),
            &head(EvaluationStatus::Kladde, 3)
        ));
        assert!(may_comment(
            Some(&secretariat),
            &head(EvaluationStatus::Kladde, 3)
        ));
        assert!(may_comment(
            Some(&editor),
            &head(EvaluationStatus::IDialog, 3)
        ));
        assert!(!may_comment(
            Some(&editor),
            &head(EvaluationStatus::IDialog, 4)
        ));
        assert!(!may_comment(
            Some(&secretariat),
            &head(EvaluationStatus::Endelig, 3)
        ));
        assert!(!may_comment(None, &head(EvaluationStatus::IDialog, 3)));
    }
}
