//! Upload volume: how many bytes each stored self-evaluation version takes
//! (`self_evaluation.size_bytes`), and a per-product limit on their sum that the
//! secretariat can raise (`product.upload_quota_bytes`; empty means the server's default).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

/// Adds `self_evaluation.size_bytes` (filled in for the stored versions) and
/// `product.upload_quota_bytes`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(t("self_evaluation"))
                .add_column(big_integer(t("size_bytes")).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("product"))
                .add_column(big_integer_null(t("upload_quota_bytes")))
                .to_owned(),
        )
        .await?;
        // The stored versions' sizes, counted as the store counts a new one: the
        // uploaded text, the document and the warnings, in bytes of their JSON/UTF-8 text.
        let backfill = match m.get_database_backend() {
            DatabaseBackend::Postgres => {
                "UPDATE self_evaluation SET size_bytes = \
                 COALESCE(octet_length(source_text), 0) \
                 + octet_length(document::text) + octet_length(warnings::text)"
            }
            _ => {
                "UPDATE self_evaluation SET size_bytes = \
                 COALESCE(length(CAST(source_text AS BLOB)), 0) \
                 + length(CAST(document AS BLOB)) + length(CAST(warnings AS BLOB))"
            }
        };
        m.get_connection().execute_unprepared(backfill).await?;
        // The volume check on every upload sums a product's sizes. SQLite keeps a row's
        // columns in one record, so reading `size_bytes` (added last, after the document)
        // would walk each version's overflow pages; this index answers the sum and the
        // count from the index alone, on both databases.
        m.create_index(
            Index::create()
                .name("idx_self_evaluation_volume")
                .table(t("self_evaluation"))
                .col(t("product_id"))
                .col(t("number"))
                .col(t("size_bytes"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_self_evaluation_volume")
                .table(t("self_evaluation"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("product"))
                .drop_column(t("upload_quota_bytes"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("self_evaluation"))
                .drop_column(t("size_bytes"))
                .to_owned(),
        )
        .await
    }
}
