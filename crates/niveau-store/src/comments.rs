//! The comment thread of each requirement of an evaluation: the dialogue between the
//! secretariat and the product's steering group. Comments are appended, never changed;
//! they can be written while the evaluation is kladde or i dialog.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::Store;
use crate::entity::{evaluation, evaluation_comment};
use crate::error::{Result, StoreError};
use crate::validate;
use crate::write::Actor;

/// The longest comment, in bytes.
pub const MAX_COMMENT_BYTES: usize = 10_000;

impl Store {
    /// Add a comment about `requirement` to an evaluation. The caller has checked that the
    /// requirement is one of the evaluation's model.
    pub async fn add_comment(
        &self,
        actor: &Actor,
        evaluation_id: i32,
        requirement: &str,
        body: &str,
    ) -> Result<evaluation_comment::Model> {
        let requirement = validate::required("requirement", requirement, 32)?;
        let body = validate::required("body", body, MAX_COMMENT_BYTES)?;
        let tx = self.tx(actor).await?;
        let head = evaluation::Entity::find_by_id(evaluation_id)
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("evaluation", evaluation_id))?;
        if !head.status.is_editable() {
            return Err(StoreError::state(
                format!("evalueringen er {} og dialogen er lukket", head.status),
                format!(
                    "the evaluation is {} and the dialogue is closed",
                    head.status
                ),
            ));
        }
        let comment = evaluation_comment::ActiveModel {
            evaluation_id: Set(evaluation_id),
            requirement: Set(requirement),
            body: Set(body),
            author: Set(actor.name.clone()),
            created_at: Set(tx.now),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await?;
        tx.audit(
            "comment",
            "evaluation",
            Some(evaluation_id),
            None::<&()>,
            Some(&comment),
        )
        .await?;
        tx.commit().await?;
        Ok(comment)
    }

    /// Every comment of an evaluation, oldest first.
    pub async fn comments(&self, evaluation_id: i32) -> Result<Vec<evaluation_comment::Model>> {
        Ok(evaluation_comment::Entity::find()
            .filter(evaluation_comment::Column::EvaluationId.eq(evaluation_id))
            .order_by_asc(evaluation_comment::Column::CreatedAt)
            .order_by_asc(evaluation_comment::Column::Id)
            .all(self.conn())
            .await?)
    }
}
