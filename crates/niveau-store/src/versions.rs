//! Reading versions one at a time, listing them without their bodies, and bounding what
//! a product's self-evaluation versions may take.
//!
//! A self-evaluation version holds the uploaded text and the document, up to several MB
//! each. Lists ([`Store::self_evaluation_versions`]) select explicit metadata columns and
//! never the texts; one version is read by its number ([`Store::self_evaluation_version`]);
//! a page holds at most [`MAX_VERSION_PAGE`] versions. What one product's versions may
//! take together is its upload quota: the product's own
//! (`product.upload_quota_bytes`, raised by the secretariat with
//! [`Store::set_upload_quota`]) or the server's default ([`UploadLimits`]); one version
//! may take at most [`UploadLimits::max_version_bytes`]. A version that would pass
//! either is refused and nothing is stored.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Select, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Store;
use crate::db::Backend;
use crate::entity::{evaluation_version, product, self_evaluation};
use crate::error::{Result, StoreError};
use crate::evaluations::NewSelfEvaluation;
use crate::list::{ListParams, Page};
use crate::query::page;
use crate::types::{EvaluationStatus, SubmissionFormat};
use crate::write::{Actor, load_current, save};

/// The most versions one page of a version list holds (a request for more gets this many).
pub const MAX_VERSION_PAGE: u64 = 100;
/// The default upload quota of a product: 50 MiB of stored self-evaluation versions.
pub const DEFAULT_UPLOAD_QUOTA_BYTES: i64 = 50 * 1024 * 1024;
/// The default largest size of one stored self-evaluation version: 16 MiB (the uploaded
/// text, at most the request body limit, plus its document and warnings).
pub const DEFAULT_MAX_VERSION_BYTES: i64 = 16 * 1024 * 1024;
/// The largest quota the secretariat may give one product: 10 GiB.
pub const MAX_UPLOAD_QUOTA_BYTES: i64 = 10 * 1024 * 1024 * 1024;

/// What self-evaluation versions may take, set by the server's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UploadLimits {
    /// The most bytes one version may take.
    pub max_version_bytes: i64,
    /// The most bytes a product's versions may take together, unless the product has a
    /// quota of its own.
    pub default_quota_bytes: i64,
}

impl Default for UploadLimits {
    fn default() -> Self {
        UploadLimits {
            max_version_bytes: DEFAULT_MAX_VERSION_BYTES,
            default_quota_bytes: DEFAULT_UPLOAD_QUOTA_BYTES,
        }
    }
}

/// A self-evaluation version without its uploaded text, document and warnings: what a
/// list of versions shows. Read with explicit columns, so a list never loads the texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema, FromQueryResult)]
pub struct SelfEvaluationVersion {
    /// Id.
    pub id: i32,
    /// The product.
    pub product_id: i32,
    /// Version number within the product: 1, 2, 3…
    pub number: i32,
    /// Model id.
    pub model_id: String,
    /// Model version.
    pub model_version: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// How many warnings the importer gave (read the version for them).
    pub warning_count: i64,
    /// Who submitted it.
    pub submitted_by: String,
    /// When.
    pub submitted_at: chrono::DateTime<chrono::Utc>,
    /// Bytes it takes of the product's upload quota.
    pub size_bytes: i64,
}

/// A product's stored upload volume against its quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct UploadVolume {
    /// The product.
    pub product_id: i32,
    /// Stored self-evaluation versions.
    pub versions: u64,
    /// Bytes they take together.
    pub used_bytes: i64,
    /// The product's quota in force, in bytes.
    pub quota_bytes: i64,
    /// Whether the quota is the product's own (set by the secretariat) rather than the
    /// server's default.
    pub own_quota: bool,
    /// The server's default quota, in bytes.
    pub default_quota_bytes: i64,
    /// The most bytes one version may take.
    pub max_version_bytes: i64,
}

/// A change of a product's upload quota.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UploadQuotaInput {
    /// The new quota in bytes (1 byte – 10 GiB), or null for the server's default.
    pub upload_quota_bytes: Option<i64>,
    /// The product's version the change is based on.
    pub version: i32,
}

/// Counts the bytes written to it.
struct Counter(u64);

impl std::io::Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn json_len(value: &serde_json::Value) -> Result<i64> {
    let mut counter = Counter(0);
    serde_json::to_writer(&mut counter, value)?;
    Ok(i64::try_from(counter.0).unwrap_or(i64::MAX))
}

/// The bytes a new version takes: its uploaded text, its document and its warnings.
pub fn version_size(input: &NewSelfEvaluation) -> Result<i64> {
    let text = input.source_text.as_deref().map_or(0, str::len);
    let text = i64::try_from(text).unwrap_or(i64::MAX);
    Ok(text
        .saturating_add(json_len(&input.document)?)
        .saturating_add(json_len(&input.warnings)?))
}

/// The metadata of a product's versions, newest first, without the texts.
pub(crate) fn version_list_select(
    backend: Backend,
    product_id: i32,
) -> Select<self_evaluation::Entity> {
    use self_evaluation::Column as C;
    let warning_count = match backend {
        Backend::Postgres => {
            "CAST(CASE WHEN json_typeof(warnings::json) = 'array' \
             THEN json_array_length(warnings::json) ELSE 0 END AS BIGINT)"
        }
        Backend::Sqlite => {
            "CAST(CASE WHEN json_type(warnings) = 'array' \
             THEN json_array_length(warnings) ELSE 0 END AS BIGINT)"
        }
    };
    self_evaluation::Entity::find()
        .select_only()
        .columns([
            C::Id,
            C::ProductId,
            C::Number,
            C::ModelId,
            C::ModelVersion,
            C::Format,
            C::IndicatedLevel,
            C::SubmittedBy,
            C::SubmittedAt,
            C::SizeBytes,
        ])
        .column_as(Expr::cust(warning_count), "warning_count")
        .filter(C::ProductId.eq(product_id))
        .order_by_desc(C::Number)
}

/// Bytes the stored versions of `product_id` take, and how many there are.
async fn used(db: &impl ConnectionTrait, product_id: i32) -> Result<(u64, i64)> {
    let row: Option<(i64, i64)> = self_evaluation::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(COUNT(*) AS BIGINT)"), "n")
        .column_as(
            Expr::cust("CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT)"),
            "bytes",
        )
        .filter(self_evaluation::Column::ProductId.eq(product_id))
        .into_tuple()
        .one(db)
        .await?;
    let (n, bytes) = row.unwrap_or((0, 0));
    Ok((u64::try_from(n).unwrap_or(0), bytes))
}

/// `params` with the page size at most [`MAX_VERSION_PAGE`].
fn clamp(params: &ListParams) -> ListParams {
    ListParams {
        limit: Some(params.limit().min(MAX_VERSION_PAGE)),
        offset: Some(params.offset()),
        ..Default::default()
    }
}

/// The quota in force: the product's own, or the server's default.
fn quota_in_force(own: Option<i64>, limits: UploadLimits) -> i64 {
    own.unwrap_or(limits.default_quota_bytes)
}

impl Store {
    /// The store with these upload limits (the server's configuration).
    pub fn with_upload_limits(mut self, limits: UploadLimits) -> Store {
        self.upload_limits = limits;
        self
    }

    /// The upload limits in force.
    pub fn upload_limits(&self) -> UploadLimits {
        self.upload_limits
    }

    /// Version `number` of a product's self-evaluation: one row, whatever its age.
    pub async fn self_evaluation_version(
        &self,
        product_id: i32,
        number: i32,
    ) -> Result<self_evaluation::Model> {
        self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProductId.eq(product_id))
            .filter(self_evaluation::Column::Number.eq(number))
            .one(self.conn())
            .await?
            .ok_or_else(|| {
                StoreError::not_found("self_evaluation", format!("{product_id}/v{number}"))
            })
    }

    /// A page of a product's self-evaluation versions, newest first, without their
    /// texts; at most [`MAX_VERSION_PAGE`] per page.
    pub async fn self_evaluation_versions(
        &self,
        product_id: i32,
        params: &ListParams,
    ) -> Result<Page<SelfEvaluationVersion>> {
        let params = clamp(params);
        let (limit, offset) = (params.limit(), params.offset());
        let total = self_evaluation::Entity::find()
            .filter(self_evaluation::Column::ProductId.eq(product_id))
            .count(self.conn())
            .await?;
        let items = version_list_select(self.backend(), product_id)
            .offset(offset)
            .limit(limit)
            .into_model::<SelfEvaluationVersion>()
            .all(self.conn())
            .await?;
        Ok(Page {
            items,
            total,
            limit,
            offset,
        })
    }

    /// A page of an evaluation's versions, oldest first, leaving out draft versions
    /// unless `drafts`; at most [`MAX_VERSION_PAGE`] per page.
    pub async fn evaluation_versions(
        &self,
        id: i32,
        drafts: bool,
        params: &ListParams,
    ) -> Result<Page<evaluation_version::Model>> {
        use evaluation_version::Column as C;
        let mut q = evaluation_version::Entity::find().filter(C::EvaluationId.eq(id));
        if !drafts {
            q = q.filter(C::Status.ne(EvaluationStatus::Kladde));
            q = q.filter(C::Status.ne(EvaluationStatus::Kasseret));
        }
        page(q.order_by_asc(C::Number), &clamp(params), self.conn()).await
    }

    /// A product's stored upload volume against its quota.
    pub async fn upload_volume(&self, product_id: i32) -> Result<UploadVolume> {
        let own: Option<Option<i64>> = product::Entity::find_by_id(product_id)
            .select_only()
            .column(product::Column::UploadQuotaBytes)
            .into_tuple()
            .one(self.conn())
            .await?;
        let Some(own) = own else {
            return Err(StoreError::not_found("product", product_id));
        };
        let (versions, used_bytes) = used(self.conn(), product_id).await?;
        Ok(UploadVolume {
            product_id,
            versions,
            used_bytes,
            quota_bytes: quota_in_force(own, self.upload_limits),
            own_quota: own.is_some(),
            default_quota_bytes: self.upload_limits.default_quota_bytes,
            max_version_bytes: self.upload_limits.max_version_bytes,
        })
    }

    /// Refuses a new version of `product` that is larger than a version may be, or would
    /// take the product past its quota; otherwise its size. Called inside the write
    /// transaction that stores it, with the product's row locked there.
    pub(crate) async fn check_upload_volume(
        &self,
        db: &impl ConnectionTrait,
        product: &product::Model,
        input: &NewSelfEvaluation,
    ) -> Result<i64> {
        let size = version_size(input)?;
        let limits = self.upload_limits;
        if size > limits.max_version_bytes {
            return Err(StoreError::TooLarge {
                size,
                limit: limits.max_version_bytes,
            });
        }
        let limit = quota_in_force(product.upload_quota_bytes, limits);
        let (_, used) = used(db, product.id).await?;
        if used.saturating_add(size) > limit {
            return Err(StoreError::QuotaExceeded {
                product_id: product.id,
                limit,
                used,
                size,
            });
        }
        Ok(size)
    }

    /// Set a product's upload quota (`None`: the server's default), if the product is
    /// still at version `expected`; audited as `upload_quota`.
    pub async fn set_upload_quota(
        &self,
        actor: &Actor,
        product_id: i32,
        expected: i32,
        quota: Option<i64>,
    ) -> Result<product::Model> {
        if let Some(q) = quota
            && !(1..=MAX_UPLOAD_QUOTA_BYTES).contains(&q)
        {
            return Err(StoreError::invalid(
                "upload_quota_bytes",
                format!("skal være mellem 1 og {MAX_UPLOAD_QUOTA_BYTES} bytes"),
                format!("must be between 1 and {MAX_UPLOAD_QUOTA_BYTES} bytes"),
            ));
        }
        let tx = self.tx(actor).await?;
        let before = load_current::<product::Entity>(&tx.txn, product_id, expected).await?;
        let after = save::<product::Entity>(
            &tx.txn,
            product_id,
            expected,
            product::ActiveModel {
                upload_quota_bytes: Set(quota),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        tx.audit(
            "upload_quota",
            "product",
            Some(product_id),
            Some(&serde_json::json!({"upload_quota_bytes": before.upload_quota_bytes})),
            Some(&serde_json::json!({"upload_quota_bytes": after.upload_quota_bytes})),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    /// The list reads metadata columns only: never the uploaded text or the document.
    #[test]
    fn finding_5_version_list_selects_no_texts() {
        for (backend, db) in [
            (Backend::Sqlite, DbBackend::Sqlite),
            (Backend::Postgres, DbBackend::Postgres),
        ] {
            let sql = version_list_select(backend, 7)
                .build(db)
                .to_string()
                .to_lowercase();
            assert!(sql.contains("\"size_bytes\""), "{sql}");
            assert!(sql.contains("warning_count"), "{sql}");
            assert!(!sql.contains("\"document\""), "{sql}");
            assert!(!sql.contains("source_text"), "{sql}");
            assert!(!sql.contains("\"warnings\""), "{sql}");
            assert!(!sql.contains(".*") && !sql.contains("select *"), "{sql}");
        }
    }

    #[test]
    fn version_size_counts_text_document_and_warnings() {
        let input = NewSelfEvaluation {
            product_id: 1,
            model_id: "m".into(),
            model_version: "1".into(),
            format: SubmissionFormat::Markdown,
            source_text: Some("æøå".into()),
            document: serde_json::json!({"a": 1}),
            warnings: serde_json::json!([]),
            indicated_level: None,
            based_on: None,
        };
        // 6 bytes of UTF-8 text, 7 of document, 2 of warnings.
        assert_eq!(version_size(&input).unwrap(), 15);
    }
}
