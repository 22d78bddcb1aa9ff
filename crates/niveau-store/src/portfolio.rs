//! The portfolio overview: products with the figures a visitor compares them by.
//!
//! A read model for the public portfolio page and its CSV download. It is built from a
//! fixed number of queries whatever the number of products: the products, the
//! municipalities taking part in them, and their newest published evaluations.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::Store;
use crate::entity::{evaluation, organisation, participant, product};
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
}

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
        let evaluated = self.last_published(&ids).await?;
        Ok(page.map(|product| PortfolioRow {
            municipalities: municipalities.get(&product.id).copied().unwrap_or(0),
            last_evaluation: evaluated.get(&product.id).copied(),
            product,
        }))
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

    /// The newest publication date of an evaluation per product.
    async fn last_published(&self, ids: &[i32]) -> Result<HashMap<i32, DateTime<Utc>>> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(i32, Option<DateTime<Utc>>)> = evaluation::Entity::find()
            .select_only()
            .column(evaluation::Column::ProductId)
            .column(evaluation::Column::PublishedAt)
            .filter(evaluation::Column::ProductId.is_in(ids.iter().copied()))
            .filter(evaluation::Column::Status.eq(EvaluationStatus::Offentliggjort))
            .into_tuple()
            .all(self.conn())
            .await?;
        let mut last: HashMap<i32, DateTime<Utc>> = HashMap::new();
        for (product, published) in rows {
            if let Some(at) = published {
                let entry = last.entry(product).or_insert(at);
                if at > *entry {
                    *entry = at;
                }
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
