//! A round opens: each product in it hears from the secretariat, with the deadline and a
//! link to its self-evaluation editor.

use niveau_model::Msg;
use niveau_store::rounds::RoundView;

use super::{Event, contacts, notify, product_names};
use crate::App;

/// Tell each product's contacts that round `view` has opened.
pub async fn round_opened(app: &App, view: &RoundView) {
    let round = &view.round;
    let deadline = round
        .self_evaluation_deadline
        .format("%d-%m-%Y")
        .to_string();
    for p in &view.products {
        let (name, slug) = match product_names(app, p.product_id).await {
            Ok(n) => n,
            Err(e) => {
                tracing::warn!(product = p.product_id, error = %e, "round notification skipped");
                continue;
            }
        };
        let recipients = match contacts(app, p.product_id).await {
            Ok(r) => r,
            Err(e) => {
                tracing::warn!(product = p.product_id, error = %e, "round notification skipped");
                continue;
            }
        };
        let event = Event {
            kind: "round_opened",
            entity: "evaluation_round",
            entity_id: Some(round.id),
            key: format!("round_opened:{}:{}", round.id, p.product_id),
            subject: Msg::new(
                format!("{}: selvevaluering af {name} senest {deadline}", round.name),
                format!("{}: self-evaluation of {name} due {deadline}", round.name),
            ),
            body: Msg::new(
                format!(
                    "Evalueringsrunden «{}» er åbnet, og {name} er med.\n\nOpdatér produktets selvevaluering senest {deadline}.",
                    round.name
                ),
                format!(
                    "The evaluation round \"{}\" has opened, and {name} is part of it.\n\nPlease update the product's self-evaluation by {deadline}.",
                    round.name
                ),
            ),
            link: Some(format!("/produkter/{slug}/selvevaluering")),
        };
        notify(app, event, recipients).await;
    }
}
