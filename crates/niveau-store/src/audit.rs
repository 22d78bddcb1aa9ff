//! Reading the audit log.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::Store;
use crate::entity::audit_event;
use crate::error::Result;
use crate::list::{ListParams, Page};
use crate::query::page;

/// Filters for the audit log.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only this entity (`product`, `decision`…).
    pub entity: Option<String>,
    /// Only this row (with `entity`).
    pub entity_id: Option<i32>,
    /// Only this actor.
    pub actor: Option<String>,
}

impl Store {
    /// The audit log, newest first.
    pub async fn list_audit(
        &self,
        filter: &AuditFilter,
        params: &ListParams,
    ) -> Result<Page<audit_event::Model>> {
        use audit_event::Column as C;
        let mut q = audit_event::Entity::find();
        if let Some(entity) = &filter.entity {
            q = q.filter(C::Entity.eq(entity.as_str()));
        }
        if let Some(id) = filter.entity_id {
            q = q.filter(C::EntityId.eq(id));
        }
        if let Some(actor) = &filter.actor {
            q = q.filter(C::Actor.eq(actor.as_str()));
        }
        q = q.order_by_desc(C::Id);
        page(q, params, self.conn()).await
    }

    /// Every audit event about one row, oldest first.
    pub async fn history(&self, entity: &str, id: i32) -> Result<Vec<audit_event::Model>> {
        Ok(audit_event::Entity::find()
            .filter(audit_event::Column::Entity.eq(entity))
            .filter(audit_event::Column::EntityId.eq(id))
            .order_by_asc(audit_event::Column::Id)
            .all(self.conn())
            .await?)
    }
}
