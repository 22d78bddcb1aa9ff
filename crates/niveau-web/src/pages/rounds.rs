//! The evaluation rounds (årshjulet) for the secretariat and other logged-in readers:
//! `/runder` lists them, `/runder/{id}` shows one round's deadlines and, per product in
//! scope, whether the self-evaluation was updated in the round — by the report's own date
//! ("Dato for udfyldelse"), or by its import time where the report has none, which the
//! page then says — and how far the evaluation has come. Anonymous visitors are sent to the login page.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::Uri;
use axum::response::Response;
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::types::EvaluationStatus;

use super::form::NoticeQuery;
use super::lang::PageLang;
use super::{Layout, error_page, render, to_login};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use niveau_app::permissions::Action;

/// A round in the list.
struct RoundRow {
    id: i32,
    name: String,
    opens_on: String,
    self_evaluation_deadline: String,
    evaluation_deadline: String,
}

/// A product's progress in a round.
struct Progress {
    slug: String,
    name: String,
    self_evaluation: &'static str,
    updated: bool,
    /// What the count went by: the report's own date, or (for a report without one) the
    /// time it was imported; empty when nothing was stored in the round.
    dated: String,
    evaluation: &'static str,
    evaluated: bool,
    /// The workbench of the round's evaluation, if there is one.
    evaluation_id: String,
}

/// One repository issue of the round, as the page shows it.
struct IssueRow {
    product: String,
    repository: String,
    number: String,
    url: String,
    state: &'static str,
    error: String,
}

#[derive(Template)]
#[template(path = "rounds.html")]
struct RoundsPage {
    layout: Layout,
    rounds: Vec<RoundRow>,
    /// Whether the visitor may open rounds (the link to the form).
    may_edit: bool,
}

#[derive(Template)]
#[template(path = "round.html")]
struct RoundPage {
    layout: Layout,
    id: i32,
    /// Whether the visitor may change and close the round (the link to the form).
    may_edit: bool,
    /// The confirmation after a change (`?besked=`).
    notice: String,
    /// "Planlagt", "Åben", "Afsluttet".
    state: &'static str,
    name: String,
    note: String,
    opens_on: String,
    self_evaluation_deadline: String,
    self_evaluation_due: String,
    evaluation_deadline: String,
    evaluation_due: String,
    products: Vec<Progress>,
    updated: usize,
    evaluated: usize,
    issues_enabled: bool,
    issues: Vec<IssueRow>,
}

/// "om 12 dage", "i dag", "overskredet for 3 dage siden".
fn due(deadline: chrono::NaiveDate, today: chrono::NaiveDate, lang: Lang) -> String {
    let days = (deadline - today).num_days();
    match days {
        0 => lang.pick("i dag", "today").to_owned(),
        d if d > 0 => format!(
            "{} {d} {}",
            lang.pick("om", "in"),
            lang.pick("dage", "days")
        ),
        d => format!(
            "{} {} {}",
            lang.pick("overskredet for", "passed"),
            -d,
            lang.pick("dage siden", "days ago")
        ),
    }
}

/// `GET /runder`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/runder");
    if !auth.can(Action::ReadPortfolio) {
        return Ok(to_login(path));
    }
    let rounds = niveau_app::rounds::list(state.app(), auth.who(), &ListParams::all())
        .await?
        .items
        .into_iter()
        .map(|r| RoundRow {
            id: r.id,
            name: r.name,
            opens_on: r.opens_on.to_string(),
            self_evaluation_deadline: r.self_evaluation_deadline.to_string(),
            evaluation_deadline: r.evaluation_deadline.to_string(),
        })
        .collect();
    Ok(render(&RoundsPage {
        layout: Layout::new(
            &state,
            &auth,
            lang,
            lang.pick("Evalueringsrunder", "Evaluation rounds"),
            "rounds",
            path,
        ),
        rounds,
        may_edit: auth.can(Action::EditPortfolio),
    }))
}

/// `GET /runder/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/runder");
    if !auth.can(Action::ReadPortfolio) {
        return Ok(to_login(path));
    }
    let found = match id.parse::<i32>() {
        Ok(id) => niveau_app::rounds::progress(state.app(), auth.who(), id).await,
        Err(_) => Err(AppError::not_found(Msg::new(
            format!("runde {id}"),
            format!("round {id}"),
        ))),
    };
    let view = match found {
        Ok(view) => view,
        Err(e) if e.kind() == ErrorKind::NotFound => {
            return Ok(error_page(&state, &auth, lang, path, e.into()));
        }
        Err(e) => return Err(e.into()),
    };
    let forge = niveau_app::forge::status(state.app(), auth.who(), view.round.id).await?;
    let names: std::collections::BTreeMap<i32, String> = view
        .products
        .iter()
        .map(|(p, product)| (p.product_id, product.name.clone()))
        .collect();
    let issues = forge
        .issues
        .into_iter()
        .map(|i| IssueRow {
            product: names.get(&i.product_id).cloned().unwrap_or_default(),
            repository: i.repository,
            number: i.number.map(|n| format!("#{n}")).unwrap_or_default(),
            url: i
                .url
                .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
                .unwrap_or_default(),
            state: match i.state.as_str() {
                "open" => lang.pick("åben", "open"),
                "closed" => lang.pick("lukket", "closed"),
                _ => lang.pick("fejlet", "failed"),
            },
            error: i.last_error.unwrap_or_default(),
        })
        .collect();
    let products: Vec<Progress> = view
        .products
        .into_iter()
        .map(|(p, product)| Progress {
            slug: product.slug,
            name: product.name,
            self_evaluation: if p.self_evaluation_submitted {
                lang.pick("opdateret", "updated")
            } else {
                lang.pick("ikke opdateret", "not updated")
            },
            updated: p.self_evaluation_submitted,
            dated: match (p.self_evaluation_date, p.self_evaluation_imported_at) {
                (Some(date), _) => format!(
                    "{} {date}",
                    lang.pick("rapportens dato", "the report's date")
                ),
                (None, Some(at)) => format!(
                    "{} {}; {}",
                    lang.pick("importeret", "imported"),
                    at.date_naive(),
                    lang.pick("rapporten har ingen dato", "the report has no date")
                ),
                (None, None) => String::new(),
            },
            evaluation: super::labels::evaluation_status(p.evaluation_status, lang),
            evaluation_id: p.evaluation_id.map(|id| id.to_string()).unwrap_or_default(),
            evaluated: matches!(
                p.evaluation_status,
                Some(EvaluationStatus::Endelig | EvaluationStatus::Offentliggjort)
            ),
        })
        .collect();
    let today = state.store().now().date_naive();
    let r = view.round;
    Ok(render(&RoundPage {
        layout: Layout::new(&state, &auth, lang, r.name.clone(), "rounds", path),
        id: r.id,
        may_edit: auth.can(Action::EditPortfolio),
        notice: super::workspace::notice(query.notice(), lang),
        state: match niveau_app::rounds::state(&r, today) {
            niveau_app::rounds::RoundState::Planned => lang.pick("Planlagt", "Planned"),
            niveau_app::rounds::RoundState::Open => lang.pick("Åben", "Open"),
            niveau_app::rounds::RoundState::Closed => lang.pick("Afsluttet", "Closed"),
        },
        updated: products.iter().filter(|p| p.updated).count(),
        evaluated: products.iter().filter(|p| p.evaluated).count(),
        name: r.name,
        note: r.note.unwrap_or_default(),
        opens_on: r.opens_on.to_string(),
        self_evaluation_deadline: r.self_evaluation_deadline.to_string(),
        self_evaluation_due: due(r.self_evaluation_deadline, today, lang),
        evaluation_deadline: r.evaluation_deadline.to_string(),
        evaluation_due: due(r.evaluation_deadline, today, lang),
        products,
        issues_enabled: forge.enabled,
        issues,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_in_words() {
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        assert_eq!(due(d("2026-12-01"), d("2026-11-24"), Lang::Da), "om 7 dage");
        assert_eq!(due(d("2026-11-24"), d("2026-11-24"), Lang::En), "today");
        assert_eq!(
            due(d("2026-11-20"), d("2026-11-24"), Lang::Da),
            "overskredet for 4 dage siden"
        );
    }
}
