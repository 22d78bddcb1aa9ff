//! The portfolio overview: products with the figures a visitor compares them by.
//!
//! A read model for the public portfolio page and its CSV download. It is built from a
//! fixed number of queries whatever the number of products: the products, the
//! municipalities taking part in them, and their newest published evaluations; the
//! ratings of those evaluations are one more query, made only when a page asks for them
//! ([`Store::published_ratings`]). The organisation index counts products per
//! organisation with one query ([`Store::organisation_products`]).

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Store;
use crate::entity::{evaluation, evaluation_version, organisation, participant, product};
use crate::error::Result;
use crate::list::{ListParams, Page};
use crate::products::ProductFilter;
use crate::types::{EvaluationStatus, OrgKind};

/// Product, organisation, since, until.
type ParticipationRow = (i32, Option<i32>, Option<NaiveDate>, Option<NaiveDate>);

/// One product of the overview.
#[derive(Debug, Clone)]
pub struct PortfolioRow {
    /// The product.
    pub product: product::Model,
    /// Municipalities taking part today (any role, not ended).
    pub municipalities: usize,
    /// When the newest published evaluation was published.
    pub last_evaluation: Option<DateTime<Utc>>,
    /// The newest published evaluation: which one, and in which model.
    pub published: Option<PublishedEvaluation>,
}

/// The newest published evaluation of a product, as the portfolio refers to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedEvaluation {
    /// The evaluation's id.
    pub id: i32,
    /// The model it was made in.
    pub model_id: String,
    /// Its current version number.
    pub version: i32,
}

/// Evaluation id, product, model, version, published at.
type PublishedRow = (i32, i32, String, i32, Option<DateTime<Utc>>);

impl Store {
    /// One page of the portfolio: [`Store::list_products`] with, for every product, the
    /// number of municipalities taking part on `today` and the date of its newest
    /// published evaluation.
    pub async fn portfolio(
        &self,
        filter: &ProductFilter,
        params: &ListParams,
        today: NaiveDate,
    ) -> Result<Page<PortfolioRow>> {
        let page = self.list_products(filter, params).await?;
        let ids: Vec<i32> = page.items.iter().map(|p| p.id).collect();
        let municipalities = self.municipality_counts(&ids, today).await?;
        let mut evaluated = self.last_published(&ids).await?;
        Ok(page.map(|product| {
            let newest = evaluated.remove(&product.id);
            PortfolioRow {
                municipalities: municipalities.get(&product.id).copied().unwrap_or(0),
                last_evaluation: newest.as_ref().map(|(at, _)| *at),
                published: newest.map(|(_, e)| e),
                product,
            }
        }))
    }

    /// The ratings (`[{requirement, rating, basis}]`, as stored) of the current version of
    /// each row's newest published evaluation, by product id: one query for all rows.
    /// Rows without a published evaluation are left out.
    pub async fn published_ratings(
        &self,
        rows: &[PortfolioRow],
    ) -> Result<HashMap<i32, serde_json::Value>> {
        let product_of: HashMap<i32, i32> = rows
            .iter()
            .filter_map(|r| r.published.as_ref().map(|e| (e.id, r.product.id)))
            .collect();
        if product_of.is_empty() {
            return Ok(HashMap::new());
        }
        use sea_orm::sea_query::{Expr, ExprTrait, Query};
        // The current version of each evaluation: `number` equals the head's `version`
        // (a correlated subquery, so older versions are never read).
        let current = Query::select()
            .column(evaluation::Column::Version)
            .from(evaluation::Entity)
            .and_where(
                Expr::col((evaluation::Entity, evaluation::Column::Id)).equals((
                    evaluation_version::Entity,
                    evaluation_version::Column::EvaluationId,
                )),
            )
            .to_owned();
        let versions: Vec<(i32, serde_json::Value)> = evaluation_version::Entity::find()
            .select_only()
            .column(evaluation_version::Column::EvaluationId)
            .column(evaluation_version::Column::Ratings)
            .filter(evaluation_version::Column::EvaluationId.is_in(product_of.keys().copied()))
            .filter(evaluation_version::Column::Number.in_subquery(current))
            .into_tuple()
            .all(self.conn())
            .await?;
        Ok(versions
            .into_iter()
            .filter_map(|(evaluation, ratings)| {
                product_of
                    .get(&evaluation)
                    .map(|product| (*product, ratings))
            })
            .collect())
    }

    /// For every organisation that takes part in a product (in any role, at any time),
    /// the ids of those products, sorted and without repeats: one query. The caller
    /// leaves out the products its visitor may not see.
    pub async fn organisation_products(&self) -> Result<HashMap<i32, Vec<i32>>> {
        let rows: Vec<(Option<i32>, i32)> = participant::Entity::find()
            .select_only()
            .column(participant::Column::OrganisationId)
            .column(participant::Column::ProductId)
            .filter(participant::Column::OrganisationId.is_not_null())
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut out: HashMap<i32, Vec<i32>> = HashMap::new();
        for (org, product) in rows {
            if let Some(org) = org {
                out.entry(org).or_default().push(product);
            }
        }
        for products in out.values_mut() {
            products.sort_unstable();
            products.dedup();
        }
        Ok(out)
    }

    /// Distinct municipalities per product, counting participations current on `today`.
    async fn municipality_counts(
        &self,
        ids: &[i32],
        today: NaiveDate,
    ) -> Result<HashMap<i32, usize>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let kommuner = organisation::Entity::find()
            .select_only()
            .column(organisation::Column::Id)
            .filter(organisation::Column::Kind.eq(OrgKind::Kommune));
        let rows: Vec<ParticipationRow> = participant::Entity::find()
            .select_only()
            .column(participant::Column::ProductId)
            .column(participant::Column::OrganisationId)
            .column(participant::Column::Since)
            .column(participant::Column::Until)
            .filter(participant::Column::ProductId.is_in(ids.iter().copied()))
            .filter(
                participant::Column::OrganisationId
                    .in_subquery(sea_orm::QueryTrait::into_query(kommuner)),
            )
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut seen: HashSet<(i32, i32)> = HashSet::new();
        let mut counts: HashMap<i32, usize> = HashMap::new();
        for (product, org, since, until) in rows {
            let Some(org) = org else { continue };
            let started = since.is_none_or(|d| d <= today);
            let current = until.is_none_or(|d| d >= today);
            if started && current && seen.insert((product, org)) {
                *counts.entry(product).or_default() += 1;
            }
        }
        Ok(counts)
    }

    /// The newest published evaluation per product (newest publication date; of two
    /// published at the same moment, the later created), with its date.
    async fn last_published(
        &self,
        ids: &[i32],
    ) -> Result<HashMap<i32, (DateTime<Utc>, PublishedEvaluation)>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<PublishedRow> = evaluation::Entity::find()
            .select_only()
            .column(evaluation::Column::Id)
            .column(evaluation::Column::ProductId)
            .column(evaluation::Column::ModelId)
            .column(evaluation::Column::Version)
            .column(evaluation::Column::PublishedAt)
            .filter(evaluation::Column::ProductId.is_in(ids.iter().copied()))
            .filter(evaluation::Column::Status.eq(EvaluationStatus::Offentliggjort))
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut last: HashMap<i32, (DateTime<Utc>, PublishedEvaluation)> = HashMap::new();
        for (id, product, model_id, version, published) in rows {
            let Some(at) = published else { continue };
            let newer = last
                .get(&product)
                .is_none_or(|(seen, e)| (at, id) > (*seen, e.id));
            if newer {
                last.insert(
                    product,
                    (
                        at,
                        PublishedEvaluation {
                            id,
                            model_id,
                            version,
                        },
                    ),
                );
            }
        }
        Ok(last)
    }
}

/// What one organisation takes part in: its participations in products and its seats in
/// groups (with the groups).
#[derive(Debug, Clone)]
pub struct OrganisationInvolvement {
    /// Its participations, in products of any visibility (the caller filters).
    pub participations: Vec<participant::Model>,
    /// Its seats in groups: the membership and the group.
    pub seats: Vec<(
        crate::entity::group_member::Model,
        crate::entity::work_group::Model,
    )>,
}

impl Store {
    /// Everything organisation `id` takes part in (archived groups left out).
    pub async fn organisation_involvement(&self, id: i32) -> Result<OrganisationInvolvement> {
        use crate::entity::{group_member, work_group};
        use sea_orm::QueryOrder;
        let participations = participant::Entity::find()
            .filter(participant::Column::OrganisationId.eq(id))
            .order_by_asc(participant::Column::Id)
            .all(self.conn())
            .await?;
        let members = group_member::Entity::find()
            .filter(group_member::Column::OrganisationId.eq(id))
            .order_by_asc(group_member::Column::Id)
            .all(self.conn())
            .await?;
        let group_ids: Vec<i32> = members.iter().map(|m| m.group_id).collect();
        let groups: HashMap<i32, work_group::Model> = if group_ids.is_empty() {
            HashMap::new()
        } else {
            work_group::Entity::find()
                .filter(work_group::Column::Id.is_in(group_ids))
                .filter(work_group::Column::Archived.eq(false))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|g| (g.id, g))
                .collect()
        };
        let seats = members
            .into_iter()
            .filter_map(|m| groups.get(&m.group_id).cloned().map(|g| (m, g)))
            .collect();
        Ok(OrganisationInvolvement {
            participations,
            seats,
        })
    }
}
