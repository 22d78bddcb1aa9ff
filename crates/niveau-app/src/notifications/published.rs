//! An evaluation is published: the product's contacts hear of it, with the link to the
//! published report.

use niveau_model::Msg;
use niveau_store::entity::evaluation;

use super::{Event, contacts, notify, product_names};
use crate::App;

/// Tell the product's contacts that `evaluation` was published with `level`.
pub async fn evaluation_published(app: &App, evaluation: &evaluation::Model, level: Option<&str>) {
    let (names, recipients) = match (
        product_names(app, evaluation.product_id).await,
        contacts(app, evaluation.product_id).await,
    ) {
        (Ok(n), Ok(r)) => (n, r),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(evaluation = evaluation.id, error = %e, "publication notification skipped");
            return;
        }
    };
    let (name, slug) = names;
    let (level_da, level_en) = match level {
        Some(l) => (
            format!(" Det officielle niveau er {l}."),
            format!(" The official level is {l}."),
        ),
        None => (String::new(), String::new()),
    };
    let event = Event {
        kind: "evaluation_published",
        entity: "evaluation",
        entity_id: Some(evaluation.id),
        key: format!("evaluation_published:{}", evaluation.id),
        subject: Msg::new(
            format!("Evalueringen af {name} er offentliggjort"),
            format!("The evaluation of {name} has been published"),
        ),
        body: Msg::new(
            format!("Sekretariatet har offentliggjort evalueringen af {name}.{level_da}"),
            format!("The secretariat has published the evaluation of {name}.{level_en}"),
        ),
        link: Some(format!("/produkter/{slug}")),
    };
    notify(app, event, recipients).await;
}
