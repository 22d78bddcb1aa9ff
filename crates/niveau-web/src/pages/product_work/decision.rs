//! The secretariat's form in the decision log (`POST /beslutninger`): a decision that is
//! tied to no evaluation and changes no stage or level — an admission (`optagelse`) or
//! anything else worth logging (`andet`) — with its date, product (optional), basis, who
//! decided and a reference, recorded with [`niveau_app::decisions::record`]. Stage
//! changes (pause, closure, …) go through the product process, levels through a final
//! evaluation; the form offers neither.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use niveau_app::permissions::Action;
use niveau_app::{AppError, decisions, visibility};
use niveau_report::Lang;
use niveau_store::decisions::DecisionInput;
use niveau_store::entity::product;
use niveau_store::types::{DecidedBy, DecisionKind};

use super::{
    Errors, FieldError, date, in_lang, is_internal, message, refusal, see_other, sends_away,
    status_of,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost};
use crate::pages::{Choice, labels};
use crate::state::AppState;

/// The kinds the form offers: neither `stadie` (the product process) nor `niveau` (a
/// final evaluation).
pub const KINDS: [DecisionKind; 2] = [DecisionKind::Optagelse, DecisionKind::Andet];

/// What was typed in the decision form, as text.
#[derive(Debug, Default, Clone)]
pub struct Draft {
    kind: String,
    decided_on: String,
    product: String,
    basis: String,
    decided_by: String,
    reference: String,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            kind: fields.one("kind").to_owned(),
            decided_on: fields.one("decided_on").to_owned(),
            product: fields.one("product").to_owned(),
            basis: fields.one("basis").to_owned(),
            decided_by: fields.one("decided_by").to_owned(),
            reference: fields.one("reference").to_owned(),
        }
    }

    /// The operation's input, or the errors of what cannot be read.
    fn input(&self, products: &[product::Model], lang: Lang) -> Result<DecisionInput, Errors> {
        let mut errors = Vec::new();
        let mut error = |field: &str, message: String| {
            errors.push(FieldError {
                field: field.to_owned(),
                message,
            })
        };
        let kind = DecisionKind::parse(&self.kind).filter(|k| KINDS.contains(k));
        if kind.is_none() {
            error(
                "beslutning-slags",
                lang.pick(
                    "Vælg optagelse eller andet. Stadieskift registreres gennem produktprocessen.",
                    "Choose admission or other. Stage changes are recorded through the product process.",
                )
                .to_owned(),
            );
        }
        let decided_on = match date(&self.decided_on, lang) {
            Ok(Some(d)) => Some(d),
            Ok(None) => {
                error(
                    "beslutning-dato",
                    lang.pick(
                        "Skriv datoen for beslutningen.",
                        "Give the date of the decision.",
                    )
                    .to_owned(),
                );
                None
            }
            Err(m) => {
                error("beslutning-dato", m);
                None
            }
        };
        let product_id = if self.product.is_empty() {
            None
        } else {
            match products.iter().find(|p| p.slug == self.product) {
                Some(p) => Some(p.id),
                None => {
                    error(
                        "beslutning-produkt",
                        format!(
                            "{} «{}»",
                            lang.pick("Ukendt produkt:", "Unknown product:"),
                            self.product
                        ),
                    );
                    None
                }
            }
        };
        let decided_by = DecidedBy::parse(&self.decided_by);
        if decided_by.is_none() {
            error(
                "beslutning-af",
                lang.pick("Vælg, hvem der besluttede.", "Choose who decided.")
                    .to_owned(),
            );
        }
        match (kind, decided_on, decided_by) {
            (Some(kind), Some(decided_on), Some(decided_by)) if errors.is_empty() => {
                Ok(DecisionInput {
                    product_id,
                    decided_on,
                    kind,
                    to: None,
                    model_id: None,
                    basis: self.basis.clone(),
                    decided_by,
                    reference: (!self.reference.is_empty()).then(|| self.reference.clone()),
                })
            }
            _ => Err(Errors(errors)),
        }
    }
}

/// The decision form as the decision log shows it.
pub struct DecisionForm {
    /// Where it posts.
    pub action: String,
    /// What was typed (or the defaults).
    pub basis: String,
    /// The reference typed.
    pub reference: String,
    /// The date typed (today by default).
    pub decided_on: String,
    /// The kinds.
    pub kinds: Vec<Choice>,
    /// Who decided.
    pub decided_by: Vec<Choice>,
    /// The products (optional).
    pub products: Vec<Choice>,
    /// The form's errors.
    pub errors: Errors,
    /// A confirmation after recording.
    pub notice: String,
}

impl DecisionForm {
    /// The error at field `id`, or empty.
    pub fn error(&self, id: &str) -> &str {
        self.errors.at(id)
    }
}

/// The form for a visitor who may record decisions (`None` for anyone else): `draft`
/// kept after a refusal, else empty with today's date.
pub fn form(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    products: &[product::Model],
    draft: Option<Draft>,
    errors: Errors,
    notice: String,
) -> Option<DecisionForm> {
    if !auth.can(Action::Decide) {
        return None;
    }
    let draft = draft.unwrap_or_else(|| Draft {
        decided_on: state.store().now().date_naive().to_string(),
        decided_by: DecidedBy::Sekretariat.as_str().to_owned(),
        kind: DecisionKind::Optagelse.as_str().to_owned(),
        ..Draft::default()
    });
    let mut product_choices = vec![Choice {
        value: String::new(),
        label: lang
            .pick(
                "(fællesskabet, intet produkt)",
                "(the community, no product)",
            )
            .to_owned(),
        selected: draft.product.is_empty(),
    }];
    product_choices.extend(products.iter().map(|p| Choice {
        value: p.slug.clone(),
        label: p.name.clone(),
        selected: p.slug == draft.product,
    }));
    Some(DecisionForm {
        action: in_lang("/beslutninger", lang),
        kinds: KINDS
            .iter()
            .map(|k| Choice {
                value: k.as_str().to_owned(),
                label: labels::decision_kind(*k, lang).to_owned(),
                selected: k.as_str() == draft.kind,
            })
            .collect(),
        decided_by: DecidedBy::ALL
            .iter()
            .map(|d| Choice {
                value: d.as_str().to_owned(),
                label: labels::decided_by(*d, lang).to_owned(),
                selected: d.as_str() == draft.decided_by,
            })
            .collect(),
        products: product_choices,
        basis: draft.basis,
        reference: draft.reference,
        decided_on: draft.decided_on,
        errors,
        notice,
    })
}

/// `POST /beslutninger`: record the decision; on success back to the log, showing it.
pub async fn record(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    if !auth.can(Action::Decide) {
        return Ok(refusal(
            &state,
            &auth,
            lang,
            "/beslutninger",
            AppError::Forbidden,
        ));
    }
    let products = visibility::visible_products(state.store(), auth.who()).await?;
    let draft = Draft::read(&fields);
    let refused = |errors: Errors, status: StatusCode, draft: Draft| {
        let form = form(
            &state,
            &auth,
            lang,
            &products,
            Some(draft),
            errors,
            String::new(),
        );
        (form, status)
    };
    let (form, status) = match draft.input(&products, lang) {
        Err(errors) => refused(errors, StatusCode::UNPROCESSABLE_ENTITY, draft),
        Ok(input) => match decisions::record(state.app(), auth.who(), input).await {
            Ok(recorded) => {
                let year = chrono::Datelike::year(&recorded.decided_on);
                return Ok(see_other(
                    &format!("/beslutninger?besked=registreret#aar-{year}"),
                    lang,
                ));
            }
            Err(e) if sends_away(&e) => {
                return Ok(refusal(&state, &auth, lang, "/beslutninger", e));
            }
            Err(e) if is_internal(&e) => return Err(e.into()),
            Err(e) => {
                let field = match e.field().unwrap_or("") {
                    "basis" => "beslutning-grundlag",
                    "reference" => "beslutning-reference",
                    "product_id" => "beslutning-produkt",
                    "decided_on" => "beslutning-dato",
                    "kind" | "to" => "beslutning-slags",
                    "decided_by" => "beslutning-af",
                    _ => "",
                };
                let errors = Errors::one(field, message(&e, lang));
                refused(errors, status_of(&e), draft)
            }
        },
    };
    crate::pages::decisions::show(
        &state,
        &auth,
        lang,
        "/beslutninger",
        Default::default(),
        form,
        status,
    )
    .await
}
