//! The dialogue about an evaluation: an overall assessment and recommendations beside the
//! summary on every evaluation version, and a comment thread per requirement.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Adds `evaluation_version.overall`, `evaluation_version.recommendations` and the
/// `evaluation_comment` table.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in ["overall", "recommendations"] {
            m.alter_table(
                Table::alter()
                    .table(t("evaluation_version"))
                    .add_column(text_null(t(column)))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(t("evaluation_comment"))
                .col(pk_auto(t("id")))
                .col(integer(t("evaluation_id")))
                .col(string(t("requirement")))
                .col(text(t("body")))
                .col(string(t("author")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_evaluation_comment_evaluation_id")
                        .from(t("evaluation_comment"), t("evaluation_id"))
                        .to(t("evaluation"), t("id"))
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_evaluation_comment_evaluation_id")
                .table(t("evaluation_comment"))
                .col(t("evaluation_id"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(t("evaluation_comment")).to_owned())
            .await?;
        for column in ["overall", "recommendations"] {
            m.alter_table(
                Table::alter()
                    .table(t("evaluation_version"))
                    .drop_column(t(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
