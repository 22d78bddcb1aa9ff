//! Development wishes, suppliers and co-funding (#14): wishes (udviklingsønsker) with
//! their state history, pledges and comments; each product's settings for wishes
//! (screening criteria, over-funding, the target time to delivery); suppliers' partner
//! agreements (leverandørpartneraftaler). Amounts are whole øre in 64-bit integers.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates `wish`, `wish_transition`, `wish_pledge`, `wish_comment`, `wish_settings` and
/// `partner_agreement`.
#[derive(DeriveMigrationName)]
pub struct Migration;

fn t(name: &str) -> Alias {
    Alias::new(name)
}

fn fk(from_table: &str, from_col: &str, to_table: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(t(from_table), t(from_col))
        .to(t(to_table), t("id"))
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &str, col: &str) -> IndexCreateStatement {
    Index::create()
        .name(format!("ix_{table}_{col}"))
        .table(t(table))
        .col(t(col))
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(t("wish"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(string(t("title")))
                .col(text(t("need")))
                .col(text_null(t("proposal")))
                .col(text_null(t("value")))
                .col(integer_null(t("organisation_id")))
                .col(string(t("raised_by")))
                .col(string_null(t("raised_by_email")))
                .col(integer_null(t("raised_by_user_id")))
                .col(string(t("priority")))
                .col(text_null(t("priority_reason")))
                .col(string(t("state")))
                .col(timestamp_with_time_zone(t("state_since")))
                .col(json_null(t("screening")))
                .col(string_null(t("screened_by")))
                .col(timestamp_with_time_zone_null(t("screened_at")))
                .col(integer_null(t("supplier_id")))
                .col(text_null(t("solution")))
                .col(string_null(t("solution_url")))
                .col(big_integer_null(t("estimate_hours")))
                .col(big_integer_null(t("estimate_ore")))
                .col(string_null(t("payer")))
                .col(big_integer_null(t("target_ore")))
                .col(integer_null(t("rank")))
                .col(integer_null(t("decided_by_group_id")))
                .col(text_null(t("decision_reason")))
                .col(timestamp_with_time_zone_null(t("delivered_at")))
                .col(string_null(t("external_key")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("wish", "product_id", "product"))
                .foreign_key(&mut fk("wish", "organisation_id", "organisation"))
                .foreign_key(&mut fk("wish", "supplier_id", "organisation"))
                .foreign_key(&mut fk("wish", "decided_by_group_id", "work_group"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("wish", "product_id")).await?;
        m.create_index(index("wish", "state")).await?;
        m.create_table(
            Table::create()
                .table(t("wish_transition"))
                .col(pk_auto(t("id")))
                .col(integer(t("wish_id")))
                .col(string_null(t("from_state")))
                .col(string(t("to_state")))
                .col(timestamp_with_time_zone(t("at")))
                .col(string(t("actor")))
                .col(integer_null(t("actor_user_id")))
                .col(text_null(t("reason")))
                .foreign_key(&mut fk("wish_transition", "wish_id", "wish"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("wish_transition", "wish_id")).await?;
        m.create_table(
            Table::create()
                .table(t("wish_pledge"))
                .col(pk_auto(t("id")))
                .col(integer(t("wish_id")))
                .col(integer(t("organisation_id")))
                .col(big_integer(t("amount_ore")))
                .col(text_null(t("note")))
                .col(string(t("pledged_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("withdrawn_at")))
                .foreign_key(&mut fk("wish_pledge", "wish_id", "wish"))
                .foreign_key(&mut fk("wish_pledge", "organisation_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("wish_pledge", "wish_id")).await?;
        m.create_table(
            Table::create()
                .table(t("wish_comment"))
                .col(pk_auto(t("id")))
                .col(integer(t("wish_id")))
                .col(string(t("author")))
                .col(integer_null(t("author_user_id")))
                .col(text(t("body")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk("wish_comment", "wish_id", "wish"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("wish_comment", "wish_id")).await?;
        m.create_table(
            Table::create()
                .table(t("wish_settings"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")).unique_key())
                .col(json(t("criteria")))
                .col(boolean(t("allow_overfunding")).default(false))
                .col(integer(t("target_days")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("wish_settings", "product_id", "product"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(t("partner_agreement"))
                .col(pk_auto(t("id")))
                .col(integer(t("organisation_id")).unique_key())
                .col(date(t("signed_on")))
                .col(date_null(t("ends_on")))
                .col(boolean(t("code_of_conduct")).default(false))
                .col(json(t("contacts")))
                .col(json(t("competences")))
                .col(string_null(t("logo_url")))
                .col(string_null(t("document_url")))
                .col(text_null(t("note")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk(
                    "partner_agreement",
                    "organisation_id",
                    "organisation",
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "partner_agreement",
            "wish_settings",
            "wish_comment",
            "wish_pledge",
            "wish_transition",
            "wish",
        ] {
            m.drop_table(Table::drop().table(t(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
