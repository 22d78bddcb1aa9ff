//! E-mail notifications (#16): the outbox every server instance sends from, and each
//! account's notification settings (immediately, daily digest, off; language).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates `outbox_message` and `notification_setting`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(t("outbox_message"))
                .col(pk_auto(t("id")))
                .col(string(t("event_key")))
                .col(string(t("event_kind")))
                .col(string(t("entity")))
                .col(integer_null(t("entity_id")))
                .col(integer_null(t("recipient_user_id")))
                .col(string(t("recipient")))
                .col(string(t("language")))
                .col(string(t("subject")))
                .col(text(t("body")))
                .col(string_null(t("link")))
                .col(string(t("status")))
                .col(integer(t("attempts")).default(0))
                .col(integer(t("max_attempts")))
                .col(timestamp_with_time_zone(t("next_attempt_at")))
                .col(string_null(t("locked_by")))
                .col(timestamp_with_time_zone_null(t("locked_until")))
                .col(text_null(t("last_error")))
                .col(integer_null(t("digest_id")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("sent_at")))
                .to_owned(),
        )
        .await?;
        // One event never produces two messages for the same recipient.
        m.create_index(
            Index::create()
                .name("ux_outbox_message_event_recipient")
                .table(t("outbox_message"))
                .col(t("event_key"))
                .col(t("recipient"))
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_message_status")
                .table(t("outbox_message"))
                .col(t("status"))
                .col(t("next_attempt_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(t("notification_setting"))
                .col(pk_auto(t("id")))
                .col(integer(t("user_id")).unique_key())
                .col(string(t("mode")))
                .col(string(t("language")))
                .col(timestamp_with_time_zone_null(t("last_digest_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_notification_setting_user_id")
                        .from(t("notification_setting"), t("user_id"))
                        .to(t("user_account"), t("id"))
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["notification_setting", "outbox_message"] {
            m.drop_table(Table::drop().table(t(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
