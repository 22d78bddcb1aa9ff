//! A new comment in an evaluation's dialogue goes to the other side: the secretariat's
//! comments to the product's editors, the editors' comments to the secretariat.

use niveau_model::Msg;
use niveau_store::entity::evaluation_comment;

use super::{Event, editors, notify, product_names, secretariat};
use crate::App;

/// Tell the other side about `comment` on an evaluation of `product_id`, written by
/// `author_name` (staff or not).
pub async fn evaluation_commented(
    app: &App,
    product_id: i32,
    comment: &evaluation_comment::Model,
    author_name: &str,
    author_is_staff: bool,
) {
    let recipients = if author_is_staff {
        editors(app, product_id).await
    } else {
        secretariat(app).await
    };
    let (name, recipients) = match (product_names(app, product_id).await, recipients) {
        (Ok((name, _)), Ok(r)) => (name, r),
        (Err(e), _) | (_, Err(e)) => {
            tracing::warn!(comment = comment.id, error = %e, "comment notification skipped");
            return;
        }
    };
    let event = Event {
        kind: "evaluation_comment",
        entity: "evaluation_comment",
        entity_id: Some(comment.id),
        key: format!("evaluation_comment:{}", comment.id),
        subject: Msg::new(
            format!(
                "Ny kommentar til evalueringen af {name} ({})",
                comment.requirement
            ),
            format!(
                "New comment on the evaluation of {name} ({})",
                comment.requirement
            ),
        ),
        body: Msg::new(
            format!(
                "{author_name} har kommenteret krav {}:\n\n{}",
                comment.requirement, comment.body
            ),
            format!(
                "{author_name} commented on requirement {}:\n\n{}",
                comment.requirement, comment.body
            ),
        ),
        link: Some(format!("/evalueringer/{}", comment.evaluation_id)),
    };
    notify(app, event, recipients).await;
}
