//! An evaluation is sent to dialogue: the product's editors are asked to read it and
//! comment.

use niveau_model::Msg;
use niveau_store::evaluations::EvaluationView;

use super::{Event, editors, notify, product_names};
use crate::App;

/// Tell the product's editors that evaluation `view` is in dialogue.
pub async fn evaluation_in_dialogue(app: &App, view: &EvaluationView) {
    let head = &view.head;
    let (name, recipients) = match (
        product_names(app, head.product_id).await,
        editors(app, head.product_id).await,
    ) {
        (Ok((name, _)), Ok(r)) => (name, r),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(evaluation = head.id, error = %e, "dialogue notification skipped");
            return;
        }
    };
    let event = Event {
        kind: "evaluation_dialogue",
        entity: "evaluation",
        entity_id: Some(head.id),
        key: format!("evaluation_dialogue:{}:{}", head.id, head.version),
        subject: Msg::new(
            format!("Evalueringen af {name} er klar til dialog"),
            format!("The evaluation of {name} is ready for dialogue"),
        ),
        body: Msg::new(
            format!(
                "Sekretariatet har sendt evalueringen af {name} til dialog. Læs den, og kommentér kravene, hvor I har noget at tilføje."
            ),
            format!(
                "The secretariat has sent the evaluation of {name} for dialogue. Please read it and comment on the requirements where you have something to add."
            ),
        ),
        link: Some(format!("/evalueringer/{}", head.id)),
    };
    notify(app, event, recipients).await;
}
