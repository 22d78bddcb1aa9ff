//! Wishes in and out as CSV: the import of an existing backlog (a Jira or GitHub Projects
//! export, or Niveau's own template) into a product, all or nothing, and the export of the
//! wishes the caller may see.

use std::collections::BTreeMap;

use niveau_model::Msg;
use niveau_report::export::wishes_csv::{WishCsvRow, wishes_csv};
use niveau_report::import::backlog::{BacklogError, BacklogRow, RowError, parse_backlog};
use niveau_store::StoreError;
use niveau_store::entity::wish;
use niveau_store::list::ListParams;
use niveau_store::types::{WishPriority, WishState};
use niveau_store::wishes::{ImportedWish, WishFilter, WishInput};
use serde::Serialize;
use utoipa::ToSchema;

use super::{authorise_settings, list};
use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, require};
use crate::principal::Caller;

/// What an import did: every wish created, or why nothing was.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ImportOutcome {
    /// Every row became a wish.
    Imported {
        /// The wishes, in the file's order.
        #[schema(value_type = Vec<Object>)]
        wishes: Vec<wish::Model>,
    },
    /// Nothing was imported.
    Refused {
        /// What is wrong with the file as a whole.
        #[schema(value_type = Option<Object>)]
        file: Option<Msg>,
        /// Every row that could not be read, with its line and column.
        #[schema(value_type = Vec<Object>)]
        rows: Vec<RowError>,
    },
}

fn row_error(line: u64, column: &str, message: Msg) -> RowError {
    RowError {
        line,
        column: Some(column.to_owned()),
        message,
    }
}

/// The store's input for one row, with the organisation resolved by name.
fn imported(row: &BacklogRow, orgs: &BTreeMap<String, i32>) -> Result<ImportedWish, RowError> {
    let organisation_id =
        match &row.organisation {
            Some(name) => Some(orgs.get(&name.trim().to_lowercase()).copied().ok_or_else(
                || {
                    row_error(
                        row.line,
                        "organisation",
                        Msg::new(
                            format!(
                                "organisationen '{name}' findes ikke i porteføljen; opret den først"
                            ),
                            format!(
                                "the organisation '{name}' is not in the portfolio; create it first"
                            ),
                        ),
                    )
                },
            )?),
            None => None,
        };
    let state = WishState::parse(&row.state).ok_or_else(|| {
        row_error(
            row.line,
            "status",
            Msg::new(
                format!("ukendt status '{}'", row.state),
                format!("unknown state '{}'", row.state),
            ),
        )
    })?;
    let priority = WishPriority::parse(&row.priority).ok_or_else(|| {
        row_error(
            row.line,
            "prioritet",
            Msg::new(
                format!("ukendt prioritet '{}'", row.priority),
                format!("unknown priority '{}'", row.priority),
            ),
        )
    })?;
    // A backlog item with a high priority but no stated reason keeps its priority; the
    // reason says where it came from, so nothing the file says is lost or invented.
    let priority_reason = row.priority_reason.clone().or_else(|| {
        matches!(priority, WishPriority::Hoej | WishPriority::Kritisk)
            .then(|| "prioriteten er importeret uden begrundelse".to_owned())
    });
    Ok(ImportedWish {
        input: WishInput {
            title: row.title.clone(),
            need: row.need.clone().unwrap_or_else(|| row.title.clone()),
            proposal: row.proposal.clone(),
            value: row.value.clone(),
            organisation_id,
            raised_by: row.raised_by.clone(),
            raised_by_email: None,
            priority,
            priority_reason,
            version: None,
        },
        state,
        created: row.created,
        external_key: row.key.clone(),
        estimate_hours: row.estimate_hours,
        estimate_ore: row.estimate_ore,
        payer: None,
        target_ore: None,
    })
}

/// Import the backlog in `bytes` (named `source` in each wish's history) into product
/// `key`, all or nothing (the product group and the secretariat).
pub async fn import_csv(
    app: &App,
    who: Caller<'_>,
    key: &str,
    bytes: &[u8],
    source: &str,
) -> AppResult<ImportOutcome> {
    let product = authorise_settings(app, who, key).await?;
    let who = require(who, Action::ManageWishes(product.id))?;
    let rows = match parse_backlog(bytes) {
        Ok(rows) => rows,
        Err(BacklogError::Header(msg)) => {
            return Ok(ImportOutcome::Refused {
                file: Some(msg),
                rows: Vec::new(),
            });
        }
        Err(BacklogError::Rows(rows)) => {
            return Ok(ImportOutcome::Refused { file: None, rows });
        }
    };
    let names: Vec<String> = rows.iter().filter_map(|r| r.organisation.clone()).collect();
    let orgs = app.store().organisations_named(&names).await?;
    let mut inputs = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in &rows {
        match imported(row, &orgs) {
            Ok(i) => inputs.push(i),
            Err(e) => errors.push(e),
        }
    }
    if !errors.is_empty() {
        return Ok(ImportOutcome::Refused {
            file: None,
            rows: errors,
        });
    }
    let source: String = source
        .chars()
        .filter(|c| !c.is_control())
        .take(200)
        .collect();
    match app
        .store()
        .import_wishes(&who.actor(), product.id, &inputs, &source)
        .await
    {
        Ok(wishes) => Ok(ImportOutcome::Imported { wishes }),
        Err(StoreError::Invalid { field, message }) => {
            // `rows[3].title` names the fourth row; report it by its line in the file.
            let (line, column) = match field
                .strip_prefix("rows[")
                .and_then(|rest| rest.split_once("]."))
                .and_then(|(i, col)| Some((i.parse::<usize>().ok()?, col.to_owned())))
            {
                Some((i, col)) => (rows.get(i).map(|r| r.line).unwrap_or(0), Some(col)),
                None => (0, Some(field)),
            };
            Ok(ImportOutcome::Refused {
                file: (line == 0).then(|| message.clone()),
                rows: if line == 0 {
                    Vec::new()
                } else {
                    vec![RowError {
                        line,
                        column,
                        message,
                    }]
                },
            })
        }
        Err(other) => Err(other.into()),
    }
}

/// Import wishes already read (the example portfolio's, a migration's) into product
/// `key`, all or nothing, recorded as coming from `source`.
pub async fn import_rows(
    app: &App,
    who: Caller<'_>,
    key: &str,
    rows: &[ImportedWish],
    source: &str,
) -> AppResult<Vec<wish::Model>> {
    let product = authorise_settings(app, who, key).await?;
    let who = require(who, Action::ManageWishes(product.id))?;
    Ok(app
        .store()
        .import_wishes(&who.actor(), product.id, rows, source)
        .await?)
}

/// The wishes the caller may see (filtered) as CSV, in OS2's Danish column names.
pub async fn export_csv(app: &App, who: Caller<'_>, filter: &WishFilter) -> AppResult<String> {
    let page = list(app, who, filter, &ListParams::all()).await?;
    let products: BTreeMap<i32, String> = crate::visibility::visible_products(app.store(), who)
        .await?
        .into_iter()
        .map(|p| (p.id, p.name))
        .collect();
    let org_ids: Vec<i32> = page
        .items
        .iter()
        .filter_map(|w| w.wish.organisation_id)
        .collect();
    let orgs: BTreeMap<i32, String> = app
        .store()
        .organisations_by_ids(&org_ids)
        .await?
        .into_iter()
        .map(|o| (o.id, o.name))
        .collect();
    let rows: Vec<WishCsvRow> = page
        .items
        .iter()
        .map(|v| {
            let w = &v.wish;
            WishCsvRow {
                product: products.get(&w.product_id).cloned().unwrap_or_default(),
                id: w.id,
                title: w.title.clone(),
                state: w.state.as_str().to_owned(),
                priority: w.priority.as_str().to_owned(),
                raised_by: w.raised_by.clone(),
                organisation: w
                    .organisation_id
                    .and_then(|o| orgs.get(&o).cloned())
                    .unwrap_or_default(),
                created: w.created_at.date_naive(),
                state_since: w.state_since.date_naive(),
                age_days: v.age_days,
                payer: w.payer.map(|p| p.as_str().to_owned()).unwrap_or_default(),
                estimate_hours: w.estimate_hours,
                estimate_ore: w.estimate_ore,
                target_ore: w.target_ore,
                pledged_ore: v.pledged_ore,
                delivered: w.delivered_at.map(|d| d.date_naive()),
            }
        })
        .collect();
    wishes_csv(&rows).map_err(|e| AppError::Internal(e.to_string()))
}
