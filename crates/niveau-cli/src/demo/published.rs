//! The secretariat's published evaluations in the example portfolio: a report in OS2's
//! evaluation template is read by the report importer and stored through niveau-app's
//! evaluation operations, as the secretariat would record it by hand — a draft in the
//! document's model, the document's ratings, bases and texts saved on it, finalised at
//! the level the document recommends on the document's date, and published, which writes
//! the level decision in the log and sets the product's official level.

use anyhow::{Context, Result, anyhow, bail};
use niveau_app::App;
use niveau_app::evaluations::{self, EvaluationUpdate, NewEvaluationInput, RatingInput};
use niveau_app::principal::Caller;
use niveau_model::LevelId;
use niveau_report::document::DocumentKind;
use niveau_report::import::{ImportOptions, import_str};
use niveau_store::entity::product;
use niveau_store::evaluations::FinaliseInput;
use niveau_store::types::DecidedBy;

use super::{MARKER, Report};

/// Import the evaluation `text` (the embedded fixture `file`) of `product` and publish it
/// with the level, date, basis and reference `entry` states. The level must be the one
/// the document recommends and the date the document's own: the file cannot make an
/// evaluation say more than it does.
pub async fn import_evaluation(
    app: &App,
    who: Caller<'_>,
    product: &product::Model,
    file: &str,
    text: &str,
    entry: &Report,
) -> Result<i32> {
    let document = import_str(text, file, app.registry(), &ImportOptions::default())
        .map_err(|e| anyhow!("{}", e.msg().en))?;
    if document.kind != DocumentKind::Evaluation {
        bail!("{file} is not an evaluation report");
    }
    let evaluation = document
        .evaluation
        .ok_or_else(|| anyhow!("{file} holds no ratings"))?;
    let level = entry
        .level
        .clone()
        .ok_or_else(|| anyhow!("an evaluation needs `level`"))?;
    let decided_on = entry
        .decided_on
        .ok_or_else(|| anyhow!("an evaluation needs `decided_on`"))?;
    let basis = entry
        .basis
        .clone()
        .ok_or_else(|| anyhow!("an evaluation needs `basis`"))?;
    let recommended = evaluation.recommended_level.as_ref().map(LevelId::as_str);
    if recommended != Some(level.as_str()) {
        bail!(
            "{file} recommends level {}, not {level}",
            recommended.unwrap_or("(none)")
        );
    }
    if evaluation.date != Some(decided_on) {
        bail!(
            "{file} is dated {}, not {decided_on}",
            evaluation
                .date
                .map_or_else(|| "(no date)".to_owned(), |d| d.to_string())
        );
    }
    let msg = |e: niveau_app::error::AppError| anyhow!("{}", e.message().en);

    let draft = evaluations::create_draft(
        app,
        who,
        product,
        NewEvaluationInput {
            model_id: Some(evaluation.model.id.to_string()),
            self_evaluation_id: None,
            summary: None,
        },
    )
    .await
    .map_err(msg)
    .context("draft")?;
    let ratings = evaluation
        .ratings
        .iter()
        .map(|e| RatingInput {
            requirement: e.requirement.to_string(),
            rating: e.rating.map(|r| r.as_id().to_owned()),
            basis: e.basis.clone(),
            recommendation: e.recommendation.clone(),
            original: e.original.clone(),
        })
        .collect();
    let saved = evaluations::save_ratings(
        app,
        who,
        draft.head.id,
        draft.head.version,
        EvaluationUpdate {
            ratings,
            summary: evaluation.summary.clone(),
            overall: evaluation.overall.clone(),
            recommendations: evaluation.recommendation.clone(),
            version: Some(draft.head.version),
        },
    )
    .await
    .map_err(msg)
    .context("ratings")?;
    let finalised = evaluations::finalise(
        app,
        who,
        saved.head.id,
        FinaliseInput {
            version: saved.head.version,
            level,
            decided_on: Some(decided_on),
            decided_by: Some(DecidedBy::Sekretariat),
            basis,
            reference: Some(match &entry.reference {
                Some(r) => format!("{r} ({MARKER})"),
                None => MARKER.to_owned(),
            }),
            justification: entry.justification.clone(),
        },
    )
    .await
    .map_err(msg)
    .context("finalise")?;
    let published = evaluations::publish(
        app,
        who,
        finalised.evaluation.head.id,
        finalised.evaluation.head.version,
    )
    .await
    .map_err(msg)
    .context("publish")?;
    Ok(published.evaluation.head.id)
}
