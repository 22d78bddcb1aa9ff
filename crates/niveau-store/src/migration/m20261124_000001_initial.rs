//! The first schema: the portfolio, evaluations, decisions, rounds, scans, jobs, audit and
//! accounts. Written out column by column (not derived from the entities) so that this
//! migration stays what it was when later migrations change the entities.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

/// Creates every table of the first release.
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

fn index(table: &str, cols: &[&str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", cols.join("_")))
        .table(t(table));
    for col in cols {
        stmt.col(t(col));
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

fn stamps(table: &mut TableCreateStatement) {
    table
        .col(integer(t("version")).default(1))
        .col(timestamp_with_time_zone(t("created_at")))
        .col(timestamp_with_time_zone(t("updated_at")));
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut tables: Vec<TableCreateStatement> = Vec::new();

        let mut organisation = Table::create()
            .table(t("organisation"))
            .col(pk_auto(t("id")))
            .col(string_uniq(t("name")))
            .col(string(t("kind")))
            .col(date_null(t("member_since")))
            .col(date_null(t("left_on")))
            .col(date_null(t("supplier_partner_since")))
            .col(text_null(t("note")))
            .col(boolean(t("archived")).default(false))
            .to_owned();
        stamps(&mut organisation);
        tables.push(organisation);

        let mut person = Table::create()
            .table(t("person"))
            .col(pk_auto(t("id")))
            .col(string(t("name")))
            .col(string_null(t("email")))
            .col(integer_null(t("organisation_id")))
            .col(boolean(t("archived")).default(false))
            .foreign_key(&mut fk("person", "organisation_id", "organisation"))
            .to_owned();
        stamps(&mut person);
        tables.push(person);

        let mut product = Table::create()
            .table(t("product"))
            .col(pk_auto(t("id")))
            .col(string_uniq(t("slug")))
            .col(string(t("name")))
            .col(text(t("short_description")))
            .col(text(t("long_description")))
            .col(string(t("stage")))
            .col(string_null(t("target_level")))
            .col(string_null(t("official_level")))
            .col(string_null(t("official_model")))
            .col(string_null(t("website")))
            .col(string_null(t("license")))
            .col(json(t("repositories")))
            .col(json_null(t("publiccode")))
            .col(boolean(t("published")).default(false))
            .col(boolean(t("archived")).default(false))
            .to_owned();
        stamps(&mut product);
        tables.push(product);

        let mut participant = Table::create()
            .table(t("participant"))
            .col(pk_auto(t("id")))
            .col(integer(t("product_id")))
            .col(integer_null(t("organisation_id")))
            .col(integer_null(t("person_id")))
            .col(string(t("role")))
            .col(date_null(t("since")))
            .col(date_null(t("until")))
            .foreign_key(&mut fk("participant", "product_id", "product"))
            .foreign_key(&mut fk("participant", "organisation_id", "organisation"))
            .foreign_key(&mut fk("participant", "person_id", "person"))
            .to_owned();
        stamps(&mut participant);
        tables.push(participant);

        let mut group = Table::create()
            .table(t("work_group"))
            .col(pk_auto(t("id")))
            .col(integer_null(t("product_id")))
            .col(string(t("kind")))
            .col(string(t("name")))
            .col(boolean(t("archived")).default(false))
            .foreign_key(&mut fk("work_group", "product_id", "product"))
            .to_owned();
        stamps(&mut group);
        tables.push(group);

        let mut member = Table::create()
            .table(t("group_member"))
            .col(pk_auto(t("id")))
            .col(integer(t("group_id")))
            .col(integer_null(t("person_id")))
            .col(integer_null(t("organisation_id")))
            .col(string(t("role")))
            .foreign_key(&mut fk("group_member", "group_id", "work_group"))
            .foreign_key(&mut fk("group_member", "person_id", "person"))
            .foreign_key(&mut fk("group_member", "organisation_id", "organisation"))
            .to_owned();
        stamps(&mut member);
        tables.push(member);

        let mut agreement = Table::create()
            .table(t("agreement"))
            .col(pk_auto(t("id")))
            .col(integer_null(t("product_id")))
            .col(string(t("kind")))
            .col(string(t("title")))
            .col(date_null(t("starts_on")))
            .col(date_null(t("ends_on")))
            .col(text_null(t("economy")))
            .col(string_null(t("document_url")))
            .col(boolean(t("archived")).default(false))
            .foreign_key(&mut fk("agreement", "product_id", "product"))
            .to_owned();
        stamps(&mut agreement);
        tables.push(agreement);

        tables.push(
            Table::create()
                .table(t("agreement_party"))
                .col(pk_auto(t("id")))
                .col(integer(t("agreement_id")))
                .col(integer(t("organisation_id")))
                .col(string(t("role")))
                .foreign_key(&mut fk("agreement_party", "agreement_id", "agreement"))
                .foreign_key(&mut fk(
                    "agreement_party",
                    "organisation_id",
                    "organisation",
                ))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("self_evaluation"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(integer(t("number")))
                .col(string(t("model_id")))
                .col(string(t("model_version")))
                .col(string(t("format")))
                .col(text_null(t("source_text")))
                .col(json(t("document")))
                .col(json(t("warnings")))
                .col(string_null(t("indicated_level")))
                .col(string(t("submitted_by")))
                .col(timestamp_with_time_zone(t("submitted_at")))
                .foreign_key(&mut fk("self_evaluation", "product_id", "product"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("evaluation"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(integer_null(t("self_evaluation_id")))
                .col(string(t("model_id")))
                .col(string(t("model_version")))
                .col(string(t("status")))
                .col(integer(t("version")))
                .col(string(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("updated_at")))
                .col(timestamp_with_time_zone_null(t("finalised_at")))
                .col(timestamp_with_time_zone_null(t("published_at")))
                .foreign_key(&mut fk("evaluation", "product_id", "product"))
                .foreign_key(&mut fk(
                    "evaluation",
                    "self_evaluation_id",
                    "self_evaluation",
                ))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("evaluation_version"))
                .col(pk_auto(t("id")))
                .col(integer(t("evaluation_id")))
                .col(integer(t("number")))
                .col(string(t("status")))
                .col(json(t("ratings")))
                .col(json(t("proposals")))
                .col(text_null(t("summary")))
                .col(string_null(t("indicated_level")))
                .col(string(t("created_by")))
                .col(timestamp_with_time_zone(t("created_at")))
                .foreign_key(&mut fk("evaluation_version", "evaluation_id", "evaluation"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("decision"))
                .col(pk_auto(t("id")))
                .col(integer_null(t("product_id")))
                .col(date(t("decided_on")))
                .col(string(t("kind")))
                .col(string_null(t("from_value")))
                .col(string_null(t("to_value")))
                .col(string_null(t("model_id")))
                .col(text(t("basis")))
                .col(string(t("decided_by")))
                .col(string_null(t("reference")))
                .col(integer_null(t("evaluation_id")))
                .col(string(t("recorded_by")))
                .col(timestamp_with_time_zone(t("recorded_at")))
                .foreign_key(&mut fk("decision", "product_id", "product"))
                .foreign_key(&mut fk("decision", "evaluation_id", "evaluation"))
                .to_owned(),
        );

        let mut round = Table::create()
            .table(t("evaluation_round"))
            .col(pk_auto(t("id")))
            .col(string_uniq(t("name")))
            .col(date(t("opens_on")))
            .col(date(t("self_evaluation_deadline")))
            .col(date(t("evaluation_deadline")))
            .col(text_null(t("note")))
            .to_owned();
        stamps(&mut round);
        tables.push(round);

        tables.push(
            Table::create()
                .table(t("round_product"))
                .col(pk_auto(t("id")))
                .col(integer(t("round_id")))
                .col(integer(t("product_id")))
                .foreign_key(&mut fk("round_product", "round_id", "evaluation_round"))
                .foreign_key(&mut fk("round_product", "product_id", "product"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("scan_run"))
                .col(pk_auto(t("id")))
                .col(integer(t("product_id")))
                .col(string(t("status")))
                .col(string(t("requested_by")))
                .col(timestamp_with_time_zone(t("requested_at")))
                .col(timestamp_with_time_zone_null(t("started_at")))
                .col(timestamp_with_time_zone_null(t("finished_at")))
                .col(json_null(t("result")))
                .col(text_null(t("error")))
                .foreign_key(&mut fk("scan_run", "product_id", "product"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("job"))
                .col(pk_auto(t("id")))
                .col(string(t("kind")))
                .col(json(t("payload")))
                .col(string(t("status")))
                .col(integer(t("attempts")).default(0))
                .col(integer(t("max_attempts")).default(3))
                .col(timestamp_with_time_zone(t("run_after")))
                .col(string_null(t("locked_by")))
                .col(timestamp_with_time_zone_null(t("locked_until")))
                .col(text_null(t("last_error")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("finished_at")))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("audit_event"))
                .col(pk_auto(t("id")))
                .col(timestamp_with_time_zone(t("at")))
                .col(string(t("actor")))
                .col(integer_null(t("actor_user_id")))
                .col(string(t("action")))
                .col(string(t("entity")))
                .col(integer_null(t("entity_id")))
                .col(json_null(t("before")))
                .col(json_null(t("after")))
                .to_owned(),
        );

        let mut account = Table::create()
            .table(t("user_account"))
            .col(pk_auto(t("id")))
            .col(string_uniq(t("username")))
            .col(string(t("display_name")))
            .col(string_null(t("email")))
            .col(string_null(t("password_hash")))
            .col(json(t("roles")))
            .col(json(t("product_ids")))
            .col(string_null(t("oidc_issuer")))
            .col(string_null(t("oidc_subject")))
            .col(integer(t("failed_logins")).default(0))
            .col(timestamp_with_time_zone_null(t("locked_until")))
            .col(boolean(t("disabled")).default(false))
            .col(timestamp_with_time_zone_null(t("last_login_at")))
            .to_owned();
        stamps(&mut account);
        tables.push(account);

        tables.push(
            Table::create()
                .table(t("session"))
                .col(string(t("id")).primary_key())
                .col(integer(t("user_id")))
                .col(string(t("csrf_token")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("expires_at")))
                .col(timestamp_with_time_zone(t("last_seen_at")))
                .foreign_key(&mut fk("session", "user_id", "user_account"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("api_token"))
                .col(pk_auto(t("id")))
                .col(integer(t("user_id")))
                .col(string(t("name")))
                .col(string_uniq(t("token_hash")))
                .col(json(t("scopes")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone_null(t("expires_at")))
                .col(timestamp_with_time_zone_null(t("revoked_at")))
                .col(timestamp_with_time_zone_null(t("last_used_at")))
                .foreign_key(&mut fk("api_token", "user_id", "user_account"))
                .to_owned(),
        );

        tables.push(
            Table::create()
                .table(t("auth_flow"))
                .col(string(t("state")).primary_key())
                .col(string(t("nonce")))
                .col(string(t("pkce_verifier")))
                .col(string(t("return_to")))
                .col(timestamp_with_time_zone(t("created_at")))
                .col(timestamp_with_time_zone(t("expires_at")))
                .to_owned(),
        );

        for table in tables {
            m.create_table(table).await?;
        }

        let indexes = [
            index("person", &["organisation_id"], false),
            index("participant", &["product_id"], false),
            index("participant", &["organisation_id"], false),
            index("work_group", &["product_id"], false),
            index("group_member", &["group_id"], false),
            index("agreement", &["product_id"], false),
            index("agreement_party", &["agreement_id"], false),
            index("self_evaluation", &["product_id", "number"], true),
            index("evaluation", &["product_id"], false),
            index("evaluation_version", &["evaluation_id", "number"], true),
            index("decision", &["product_id"], false),
            index("decision", &["decided_on"], false),
            index("round_product", &["round_id", "product_id"], true),
            index("scan_run", &["product_id"], false),
            index("job", &["status", "run_after"], false),
            index("audit_event", &["entity", "entity_id"], false),
            index("user_account", &["oidc_issuer", "oidc_subject"], true),
            index("session", &["user_id"], false),
            index("session", &["expires_at"], false),
            index("api_token", &["user_id"], false),
            index("product", &["stage"], false),
        ];
        for stmt in indexes {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "auth_flow",
            "api_token",
            "session",
            "user_account",
            "audit_event",
            "job",
            "scan_run",
            "round_product",
            "evaluation_round",
            "decision",
            "evaluation_version",
            "evaluation",
            "self_evaluation",
            "agreement_party",
            "agreement",
            "group_member",
            "work_group",
            "participant",
            "product",
            "person",
            "organisation",
        ] {
            m.drop_table(Table::drop().table(t(name)).to_owned())
                .await?;
        }
        Ok(())
    }
}
