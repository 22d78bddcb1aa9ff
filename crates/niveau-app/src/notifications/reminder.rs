//! Reminders before the self-evaluation deadline, to the products of an open round that
//! have not updated their self-evaluation: 14 and 3 days before. The daily check may run
//! any number of times: each reminder's event key holds the round, the product and the
//! reminder, so each is sent once.

use chrono::NaiveDate;
use niveau_model::Msg;

use super::{Event, contacts, notify, product_names};
use crate::{App, AppResult, Principal};

/// Days before the deadline the reminders go out.
pub const REMINDER_DAYS: &[i64] = &[14, 3];

/// Queue the reminders due on `today`. Returns how many products were reminded.
pub async fn reminders_due(app: &App, today: NaiveDate) -> AppResult<usize> {
    let system = Principal::system("reminders");
    let rounds = app
        .store()
        .list_rounds(&niveau_store::ListParams::all())
        .await?;
    let mut reminded = 0;
    for round in rounds.items {
        if round.closed_on.is_some()
            || round.opens_on > today
            || round.self_evaluation_deadline < today
        {
            continue;
        }
        let left = (round.self_evaluation_deadline - today).num_days();
        let Some(days) = REMINDER_DAYS.iter().copied().filter(|d| left <= *d).min() else {
            continue;
        };
        let view = crate::rounds::get(app, Some(&system), round.id).await?;
        let deadline = round
            .self_evaluation_deadline
            .format("%d-%m-%Y")
            .to_string();
        for p in view
            .products
            .iter()
            .filter(|p| !p.self_evaluation_submitted)
        {
            let (name, slug) = product_names(app, p.product_id).await?;
            let event = Event {
                kind: "reminder",
                entity: "evaluation_round",
                entity_id: Some(round.id),
                key: format!("reminder:{}:{}:{days}", round.id, p.product_id),
                subject: Msg::new(
                    format!("Påmindelse: selvevaluering af {name} senest {deadline}"),
                    format!("Reminder: self-evaluation of {name} due {deadline}"),
                ),
                body: Msg::new(
                    format!(
                        "{name}s selvevaluering er ikke opdateret i runden «{}». Fristen er {deadline} (om {left} dage).",
                        round.name
                    ),
                    format!(
                        "The self-evaluation of {name} has not been updated in the round \"{}\". The deadline is {deadline} (in {left} days).",
                        round.name
                    ),
                ),
                link: Some(format!("/produkter/{slug}/selvevaluering")),
            };
            notify(app, event, contacts(app, p.product_id).await?).await;
            reminded += 1;
        }
    }
    Ok(reminded)
}
