//! Agreements and suppliers' partner agreements ending within 30 days: the secretariat
//! hears once per agreement and end date (a changed end date is a new event).

use chrono::NaiveDate;
use niveau_model::Msg;
use niveau_store::ListParams;
use niveau_store::agreements::AgreementFilter;

use super::{Event, notify, secretariat};
use crate::{App, AppResult};

/// How many days ahead an ending is announced.
pub const ENDING_DAYS: i64 = 30;

/// Queue the notices of agreements ending within [`ENDING_DAYS`] of `today`. Returns how
/// many agreements were announced.
pub async fn endings_due(app: &App, today: NaiveDate) -> AppResult<usize> {
    let horizon = today + chrono::Duration::days(ENDING_DAYS);
    let soon = |d: Option<NaiveDate>| d.filter(|d| *d >= today && *d <= horizon);
    let recipients = secretariat(app).await?;
    let mut announced = 0;
    let agreements = app
        .store()
        .list_agreements(&AgreementFilter::default(), &ListParams::all())
        .await?;
    for a in agreements.items {
        let Some(ends) = soon(a.agreement.ends_on) else {
            continue;
        };
        let date = ends.format("%d-%m-%Y");
        let event = Event {
            kind: "agreement_ending",
            entity: "agreement",
            entity_id: Some(a.agreement.id),
            key: format!("agreement_ending:{}:{ends}", a.agreement.id),
            subject: Msg::new(
                format!("Aftalen «{}» udløber {date}", a.agreement.title),
                format!("The agreement \"{}\" ends on {date}", a.agreement.title),
            ),
            body: Msg::new(
                format!(
                    "Aftalen «{}» udløber {date}. Forny eller afslut den i tide.",
                    a.agreement.title
                ),
                format!(
                    "The agreement \"{}\" ends on {date}. Renew or close it in time.",
                    a.agreement.title
                ),
            ),
            link: Some("/aftaler".into()),
        };
        notify(app, event, recipients.clone()).await;
        announced += 1;
    }
    for p in app.store().partner_agreements().await? {
        let Some(ends) = soon(p.ends_on) else {
            continue;
        };
        let org = app.store().organisation(p.organisation_id).await?.name;
        let date = ends.format("%d-%m-%Y");
        let event = Event {
            kind: "partner_ending",
            entity: "partner_agreement",
            entity_id: Some(p.id),
            key: format!("partner_ending:{}:{ends}", p.id),
            subject: Msg::new(
                format!("Leverandørpartneraftalen med {org} udløber {date}"),
                format!("The supplier partner agreement with {org} ends on {date}"),
            ),
            body: Msg::new(
                format!("Leverandørpartneraftalen med {org} udløber {date}."),
                format!("The supplier partner agreement with {org} ends on {date}."),
            ),
            link: Some(format!("/organisationer/{}", p.organisation_id)),
        };
        notify(app, event, recipients.clone()).await;
        announced += 1;
    }
    Ok(announced)
}
