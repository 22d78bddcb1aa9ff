//! The pages where the work is done: the self-evaluation editor ([`selfeval`]) and the
//! evaluation workbench ([`workbench`]). Both are plain HTML forms that work without
//! JavaScript; every form carries the session's CSRF token.

mod diff;
mod evaluations;
mod selfeval;
mod upload;
mod versions;
mod workbench;

use axum::Router;
use axum::routing::{get, post};
use niveau_model::Model;
use niveau_report::Lang;

use crate::pages::ratings;
use crate::state::AppState;
// The model a product's first self-evaluation, or an evaluation without one, is made
// in: OS2's current model (the application layer's choice).
use niveau_app::evaluations::DEFAULT_MODEL;
use niveau_app::proposals::Candidate;

/// The routes of the editor and the workbench.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/produkter/{slug}/selvevaluering",
            get(selfeval::page).post(selfeval::submit),
        )
        .route(
            "/produkter/{slug}/selvevaluering/upload",
            post(upload::upload),
        )
        .route(
            "/produkter/{slug}/selvevaluering/kvote",
            post(upload::quota),
        )
        .route(
            "/produkter/{slug}/selvevaluering/versioner",
            get(versions::history).post(versions::restore),
        )
        .route(
            "/produkter/{slug}/selvevaluering/{file}",
            get(versions::download),
        )
        .route(
            "/evalueringer",
            get(evaluations::list).post(evaluations::create),
        )
        .route(
            "/evalueringer/{id}",
            get(workbench::page).post(workbench::save),
        )
        .route("/evalueringer/{id}/status", post(workbench::status))
        .route("/evalueringer/{id}/endelig", post(workbench::finalise))
        .route("/evalueringer/{id}/offentliggoer", post(workbench::publish))
        .route("/evalueringer/{id}/kasser", post(workbench::discard))
        .route("/evalueringer/{id}/kommentarer", post(workbench::comment))
}

/// A requirement's heading data, grouped as the model groups them: theme, then level.
struct Section<T> {
    /// The theme's name.
    theme: String,
    /// The theme's id, for anchors.
    theme_id: String,
    /// The levels of the theme that have requirements, lowest first.
    levels: Vec<(String, Vec<T>)>,
}

/// Groups one item per requirement by theme and level, in the model's order.
fn sections<T>(
    model: &Model,
    mut item: impl FnMut(&niveau_model::Requirement) -> T,
) -> Vec<Section<T>> {
    model
        .themes()
        .iter()
        .map(|theme| Section {
            theme: theme.name.clone(),
            theme_id: theme.id.to_string(),
            levels: model
                .levels()
                .iter()
                .map(|level| {
                    (
                        level.name.clone(),
                        model
                            .requirements_in(&theme.id)
                            .filter(|r| r.level == level.id)
                            .map(&mut item)
                            .collect::<Vec<T>>(),
                    )
                })
                .filter(|(_, items)| !items.is_empty())
                .collect(),
        })
        .filter(|s| !s.levels.is_empty())
        .collect()
}

/// A piece of evidence (a scan's file or commit, a registry row) as one line for people.
fn evidence_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => {
            for key in ["label", "path", "file", "url", "value", "message"] {
                if let Some(serde_json::Value::String(s)) = map.get(key) {
                    return s.clone();
                }
            }
            value.to_string()
        }
        other => other.to_string(),
    }
}

/// The name of a proposal's source.
fn source_name(source: niveau_model::ProposalSource, lang: Lang) -> &'static str {
    match source {
        niveau_model::ProposalSource::Scan => lang.pick("Scanning af koden", "Code scan"),
        niveau_model::ProposalSource::Portfolio => lang.pick("Porteføljen", "The portfolio"),
        niveau_model::ProposalSource::Answer => {
            lang.pick("Selvevalueringens svar", "The self-evaluation's answer")
        }
    }
}

/// One proposal (scan, portfolio, answer) as the editor and the workbench show it.
pub(super) struct ProposalView {
    pub(super) source: &'static str,
    pub(super) rating: String,
    pub(super) class: &'static str,
    pub(super) confidence: u8,
    pub(super) reason: String,
    pub(super) evidence: Vec<String>,
    pub(super) chosen: bool,
}

/// A proposal for people; `chosen` marks the one the draft took.
pub(super) fn proposal_view(c: &Candidate, chosen: bool, lang: Lang) -> ProposalView {
    ProposalView {
        source: source_name(c.source, lang),
        rating: ratings::label(Some(c.rating), lang),
        class: ratings::class(Some(c.rating)),
        confidence: c.confidence,
        reason: c.reason.pick(lang == Lang::En).to_owned(),
        evidence: c.evidence.iter().map(evidence_text).collect(),
        chosen,
    }
}

/// "What is missing for the next level", for the summary panels.
struct Missing {
    /// The requirement.
    id: String,
    /// Why it is not met.
    gap: &'static str,
}

/// The indicated level and what the next level lacks, for people.
fn indication_text(
    model: &Model,
    indication: &niveau_model::Indication,
    lang: Lang,
) -> (String, String, Vec<Missing>) {
    let name = |id: &niveau_model::LevelId| {
        model
            .level(id.as_str())
            .map(|l| l.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let level = match &indication.level {
        Some(l) => name(l),
        None => lang.pick("Intet niveau endnu", "No level yet").to_owned(),
    };
    match &indication.next {
        None => (level, String::new(), Vec::new()),
        Some(next) => (
            level,
            name(&next.level),
            next.missing
                .iter()
                .map(|u| Missing {
                    id: u.requirement.to_string(),
                    gap: lang.pick(u.gap.label_da(), u.gap.label_en()),
                })
                .collect(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_reads_as_one_line() {
        assert_eq!(
            evidence_text(&serde_json::json!({"path": "LICENSE", "line": 1})),
            "LICENSE"
        );
        assert_eq!(
            evidence_text(&serde_json::json!({"kind": "group", "label": "Styregruppe"})),
            "Styregruppe"
        );
        assert_eq!(evidence_text(&serde_json::json!(3)), "3");
    }

    #[test]
    fn sections_follow_the_model() {
        let reg = niveau_model::Registry::builtin().unwrap();
        let model = reg.get("os2-1.1.0").unwrap();
        let s = sections(model, |r| r.id.to_string());
        assert_eq!(s.len(), model.themes().len());
        let all: usize = s
            .iter()
            .flat_map(|t| t.levels.iter().map(|(_, i)| i.len()))
            .sum();
        assert_eq!(all, 43);
    }
}
