//! The product process (#13): board meetings and board cases (the secretariat's
//! sagsoplæg and the board's decision on each, recorded once), projects' progress
//! reports, the day an evaluation round was closed, a group's mandate link, its members'
//! periods and its meetings.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates `board_meeting`, `board_case`, `progress_report` and `group_meeting`; adds
/// `evaluation_round.closed_on`, `work_group.mandate_url`, `group_member.since` and
/// `group_member.until`.
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
                .table(t("board_meeting"))
                .col(pk_auto(t("id")))
                .col(date(t("held_on")))
                .col(string(t("title")))
                .col(text_null(t("agenda")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(t("board_case"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(string(t("kind")))
                .col(integer_null(t("meeting_id")))
                .col(string(t("title")))
                .col(text(t("presentation")))
                .col(json(t("material")))
                .col(integer_null(t("group_id")))
                .col(integer_null(t("evaluation_id")))
                .col(string_null(t("outcome")))
                .col(integer_null(t("priority")))
                .col(text_null(t("reasons")))
                .col(date_null(t("decided_on")))
                .col(integer_null(t("decision_id")))
                .col(string(t("created_by")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("board_case", "product_id", "product"))
                .foreign_key(&mut fk("board_case", "meeting_id", "board_meeting"))
                .foreign_key(&mut fk("board_case", "group_id", "work_group"))
                .foreign_key(&mut fk("board_case", "evaluation_id", "evaluation"))
                .foreign_key(&mut fk("board_case", "decision_id", "decision"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("board_case", "product_id")).await?;
        m.create_index(index("board_case", "meeting_id")).await?;
        m.create_table(
            Table::create()
                .table(t("progress_report"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(date(t("period_from")))
                .col(date(t("period_to")))
                .col(string(t("status")))
                .col(big_integer_null(t("budget")))
                .col(big_integer_null(t("spent")))
                .col(big_integer_null(t("expected_total")))
                .col(text(t("progress")))
                .col(text_null(t("risks")))
                .col(string(t("reported_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk("progress_report", "product_id", "product"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("progress_report", "product_id"))
            .await?;
        m.alter_table(
            Table::alter()
                .table(t("evaluation_round"))
                .add_column(date_null(t("closed_on")))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(t("work_group"))
                .add_column(string_null(t("mandate_url")))
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in ["since", "until"] {
            m.alter_table(
                Table::alter()
                    .table(t("group_member"))
                    .add_column(date_null(t(column)))
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table(t("group_meeting"))
                .col(pk_auto(t("id")))
                .col(integer(t("group_id")))
                .col(date(t("held_on")))
                .col(string(t("title")))
                .col(string_null(t("minutes_url")))
                .col(text_null(t("note")))
                .col(integer(t("version")).default(1))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .foreign_key(&mut fk("group_meeting", "group_id", "work_group"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("group_meeting", "group_id")).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(t("evaluation_round"))
                .drop_column(t("closed_on"))
                .to_owned(),
        )
        .await?;
        for column in ["since", "until"] {
            m.alter_table(
                Table::alter()
                    .table(t("group_member"))
                    .drop_column(t(column))
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table(t("work_group"))
                .drop_column(t("mandate_url"))
                .to_owned(),
        )
        .await?;
        for table in [
            "group_meeting",
            "progress_report",
            "board_case",
            "board_meeting",
        ] {
            m.drop_table(Table::drop().table(t(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
