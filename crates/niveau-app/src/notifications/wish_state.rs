//! A development wish changes state: the person who raised it hears of it. Their address
//! goes to them alone; the message names no one else's.

use niveau_model::Msg;
use niveau_store::entity::wish;
use niveau_store::types::WishState;

use super::{Event, Recipient, notify, product_names};
use crate::App;

/// The state's name in English.
fn english(state: WishState) -> &'static str {
    match state {
        WishState::Ny => "new",
        WishState::Screening => "screening",
        WishState::AfventerLoesningsbeskrivelse => "awaiting a solution description",
        WishState::KlarTilPrioritering => "ready for prioritisation",
        WishState::Bestilt => "ordered from the supplier",
        WishState::IGang => "in progress",
        WishState::ITest => "in test",
        WishState::Leveret => "delivered",
        WishState::Afvist => "rejected",
        WishState::Parkeret => "parked",
    }
}

/// Tell the requester of `after` that it moved from `before`'s state (nothing if the
/// state did not change).
pub async fn wish_changed(app: &App, before: WishState, after: &wish::Model) {
    if before == after.state {
        return;
    }
    let mut address = after.raised_by_email.clone();
    let mut user_id = None;
    if let Some(id) = after.raised_by_user_id
        && let Ok(accounts) = app.store().mail_accounts().await
        && let Some(account) = accounts.iter().find(|a| a.id == id)
    {
        user_id = Some(id);
        if address.is_none() {
            address.clone_from(&account.email);
        }
    }
    let Some(address) = address else {
        return;
    };
    let name = match product_names(app, after.product_id).await {
        Ok((name, _)) => name,
        Err(e) => {
            tracing::warn!(wish = after.id, error = %e, "wish notification skipped");
            return;
        }
    };
    let event = Event {
        kind: "wish_state",
        entity: "wish",
        entity_id: Some(after.id),
        key: format!(
            "wish_state:{}:{}:{}",
            after.id,
            after.state.as_str(),
            after.state_since.timestamp()
        ),
        subject: Msg::new(
            format!(
                "Dit udviklingsønske «{}» er nu: {}",
                after.title,
                after.state.as_str()
            ),
            format!(
                "Your development wish \"{}\" is now: {}",
                after.title,
                english(after.state)
            ),
        ),
        body: Msg::new(
            format!(
                "Udviklingsønsket «{}» til {name} er flyttet fra «{}» til «{}».",
                after.title,
                before.as_str(),
                after.state.as_str()
            ),
            format!(
                "The development wish \"{}\" for {name} moved from \"{}\" to \"{}\".",
                after.title,
                english(before),
                english(after.state)
            ),
        ),
        link: Some(format!("/oensker/{}", after.id)),
    };
    notify(app, event, vec![Recipient { user_id, address }]).await;
}
