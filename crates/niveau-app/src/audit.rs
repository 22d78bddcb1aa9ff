//! The audit log: who changed what, when, with the record before and after. The board,
//! the secretariat and admins read it ([`Action::ReadAudit`]).

use niveau_store::entity::audit_event;
use niveau_store::{ListParams, Page};

pub use niveau_store::audit::AuditFilter;

use crate::App;
use crate::error::AppResult;
use crate::permissions::{Action, require};
use crate::principal::Caller;

/// The audit log, newest first, one page.
pub async fn log(
    app: &App,
    who: Caller<'_>,
    filter: &AuditFilter,
    params: &ListParams,
) -> AppResult<Page<audit_event::Model>> {
    require(who, Action::ReadAudit)?;
    Ok(app.store().list_audit(filter, params).await?)
}

/// Every change of row `id` of `entity`, oldest first; empty for a row without changes.
pub async fn history(
    app: &App,
    who: Caller<'_>,
    entity: &str,
    id: i32,
) -> AppResult<Vec<audit_event::Model>> {
    require(who, Action::ReadAudit)?;
    Ok(app.store().history(entity, id).await?)
}

#[cfg(test)]
mod tests {
    use niveau_store::types::Role;

    use super::*;
    use crate::AppError;
    use crate::products::testing::{app, product, secretariat, who};

    #[tokio::test]
    async fn the_board_reads_a_products_history_and_editors_do_not() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        crate::products::archive(&app, Some(&secretariat()), "os2mo", 1)
            .await
            .expect("archived");
        let board = who(&[Role::Bestyrelse], &[]);
        let events = history(&app, Some(&board), "product", p.id)
            .await
            .expect("history");
        let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["create", "archive"]);
        assert_eq!(events[1].actor, "tester");
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        assert!(matches!(
            history(&app, Some(&editor), "product", p.id).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            log(&app, None, &AuditFilter::default(), &ListParams::all()).await,
            Err(AppError::Unauthenticated)
        ));
        let newest = log(
            &app,
            Some(&board),
            &AuditFilter {
                entity: Some("product".into()),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await
        .expect("log");
        assert_eq!(newest.items[0].action, "archive");
    }
}
