//! Products and the organisations and people taking part in them.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use crate::Store;
use crate::entity::{participant, product};
use crate::error::{Result, StoreError};
use crate::json::StringList;
use crate::list::{ListParams, Page};
use crate::organisations::{ensure_organisation, ensure_person};
use crate::query::{lower_like, order, page};
use crate::types::{ParticipantRole, Stage};
use crate::validate;
use crate::versioned::{
    self, Aggregate, Change, ensure_exists, ensure_free, not_there, plain_aggregate,
};
use crate::write::{Actor, load};

/// What a client sends to create or change a product. The stage and the official level
/// are not changed here: they change through decisions (`/api/v1/decisions`) and final
/// evaluations, so that every change is in the decision log.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductInput {
    /// URL name (`os2mo`), unique.
    pub slug: String,
    /// Display name.
    pub name: String,
    /// One sentence.
    #[serde(default)]
    pub short_description: String,
    /// Longer description (Markdown).
    #[serde(default)]
    pub long_description: String,
    /// Stage at creation (default idé). On update it must be unchanged.
    #[serde(default)]
    pub stage: Option<Stage>,
    /// Never accepted; present so the error can say where levels are set.
    #[serde(default)]
    pub official_level: Option<String>,
    /// Target level.
    #[serde(default)]
    pub target_level: Option<String>,
    /// Website.
    #[serde(default)]
    pub website: Option<String>,
    /// SPDX licence expression.
    #[serde(default)]
    pub license: Option<String>,
    /// Git repositories.
    #[serde(default)]
    pub repositories: Vec<String>,
    /// publiccode.yml as JSON.
    #[serde(default)]
    pub publiccode: Option<serde_json::Value>,
    /// Visible to the public.
    #[serde(default)]
    pub published: bool,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// Filters for the product list.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProductFilter {
    /// Only this stage.
    pub stage: Option<Stage>,
    /// Only products with this official level.
    pub official_level: Option<String>,
    /// Only published (true) or unpublished (false) products.
    pub published: Option<bool>,
    /// Include archived products.
    pub archived: Option<bool>,
    /// Only products this organisation takes part in.
    pub organisation_id: Option<i32>,
    /// Only these ids (a product editor's products).
    #[serde(skip)]
    #[param(ignore)]
    pub ids: Option<Vec<i32>>,
}

/// What a client sends to add or change a participant of a product.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ParticipantInput {
    /// The organisation.
    #[serde(default)]
    pub organisation_id: Option<i32>,
    /// The person.
    #[serde(default)]
    pub person_id: Option<i32>,
    /// The role.
    pub role: ParticipantRole,
    /// Since.
    #[serde(default)]
    pub since: Option<chrono::NaiveDate>,
    /// Until.
    #[serde(default)]
    pub until: Option<chrono::NaiveDate>,
    /// The version the change is based on (updates only).
    #[serde(default)]
    pub version: Option<i32>,
}

/// A product input, checked.
struct ProductChange {
    slug: String,
    name: String,
    short_description: String,
    long_description: String,
    target_level: Option<String>,
    website: Option<String>,
    license: Option<String>,
    repositories: Vec<String>,
    stage: Option<Stage>,
    publiccode: Option<serde_json::Value>,
    published: bool,
}

fn check_product(input: ProductInput) -> Result<ProductChange> {
    if input.official_level.is_some() {
        return Err(StoreError::invalid(
            "official_level",
            "det officielle niveau sættes kun ved en endelig evaluering eller en beslutning",
            "the official level is set only by a final evaluation or a decision",
        ));
    }
    let mut repositories = Vec::with_capacity(input.repositories.len());
    for (i, repo) in input.repositories.iter().enumerate() {
        let repo = validate::repository(&format!("repositories[{i}]"), repo)?;
        if repositories.contains(&repo) {
            return Err(StoreError::invalid(
                format!("repositories[{i}]"),
                "står der allerede",
                "is already listed",
            ));
        }
        repositories.push(repo);
    }
    if repositories.len() > 50 {
        return Err(StoreError::invalid(
            "repositories",
            "højst 50 repositorier",
            "at most 50 repositories",
        ));
    }
    if let Some(pc) = &input.publiccode
        && !pc.is_object()
    {
        return Err(StoreError::invalid(
            "publiccode",
            "skal være et JSON-objekt",
            "must be a JSON object",
        ));
    }
    Ok(ProductChange {
        slug: validate::slug("slug", &input.slug)?,
        name: validate::required("name", &input.name, 200)?,
        short_description: validate::optional(
            "short_description",
            Some(&input.short_description),
            500,
        )?
        .unwrap_or_default(),
        long_description: validate::optional(
            "long_description",
            Some(&input.long_description),
            50_000,
        )?
        .unwrap_or_default(),
        target_level: validate::level("target_level", input.target_level.as_deref())?,
        website: validate::url("website", input.website.as_deref())?,
        license: validate::optional("license", input.license.as_deref(), 200)?,
        repositories,
        stage: input.stage,
        publiccode: input.publiccode,
        published: input.published,
    })
}

impl Aggregate for product::Entity {
    type View = product::Model;

    async fn view(_txn: &DatabaseTransaction, row: product::Model) -> Result<product::Model> {
        Ok(row)
    }

    fn archive_also(changes: &mut product::ActiveModel) {
        changes.published = Set(false);
    }
}

impl Change for ProductChange {
    type Of = product::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        before: Option<&product::Model>,
    ) -> Result<()> {
        if let (Some(stage), Some(before)) = (self.stage, before)
            && stage != before.stage
        {
            return Err(StoreError::invalid(
                "stage",
                "stadiet ændres kun ved en beslutning i beslutningsloggen",
                "the stage changes only by a decision in the decision log",
            ));
        }
        let except = before.map(|b| b.id);
        ensure_free::<product::Entity>(txn, product::Column::Slug, "slug", &self.slug, except).await
    }

    fn fields(&self) -> product::ActiveModel {
        product::ActiveModel {
            slug: Set(self.slug.clone()),
            name: Set(self.name.clone()),
            short_description: Set(self.short_description.clone()),
            long_description: Set(self.long_description.clone()),
            target_level: Set(self.target_level.clone()),
            website: Set(self.website.clone()),
            license: Set(self.license.clone()),
            repositories: Set(StringList(self.repositories.clone())),
            publiccode: Set(self.publiccode.clone()),
            published: Set(self.published),
            ..Default::default()
        }
    }

    fn created(&self, row: &mut product::ActiveModel) {
        row.stage = Set(self.stage.unwrap_or(Stage::Ide));
        row.official_level = Set(None);
        row.official_model = Set(None);
    }
}

/// Check that a product exists (named `field` in the error).
pub(crate) async fn ensure_product(db: &impl ConnectionTrait, field: &str, id: i32) -> Result<()> {
    ensure_exists::<product::Entity>(db, field, id, PRODUCT).await
}

/// What a product is called in Danish and English, in reference errors.
const PRODUCT: (&str, &str) = ("produkt", "product");

/// Like [`ensure_product`], and lock the product's row until the transaction ends, so
/// that writes numbering the product's children one after another (self-evaluation
/// versions) take turns instead of racing for the same number.
pub(crate) async fn lock_product(
    txn: &sea_orm::DatabaseTransaction,
    field: &str,
    id: i32,
) -> Result<product::Model> {
    match crate::write::load_locked::<product::Entity>(txn, id).await {
        Ok(product) => Ok(product),
        Err(StoreError::NotFound { .. }) => Err(not_there(field, id, PRODUCT)),
        Err(other) => Err(other),
    }
}

plain_aggregate!(participant => product.product_id);

/// A participant input, checked; `product_id` is the product a new participant joins.
struct ParticipantChange {
    product_id: Option<i32>,
    input: ParticipantInput,
}

fn check_participant(
    product_id: Option<i32>,
    input: ParticipantInput,
) -> Result<ParticipantChange> {
    if input.organisation_id.is_none() && input.person_id.is_none() {
        return Err(StoreError::invalid(
            "organisation_id",
            "angiv en organisation eller en person",
            "give an organisation or a person",
        ));
    }
    validate::period("until", input.since, input.until)?;
    Ok(ParticipantChange { product_id, input })
}

impl Change for ParticipantChange {
    type Of = participant::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&participant::Model>,
    ) -> Result<()> {
        if let Some(product_id) = self.product_id {
            load::<product::Entity>(txn, product_id).await?;
        }
        if let Some(org) = self.input.organisation_id {
            ensure_organisation(txn, "organisation_id", org).await?;
        }
        if let Some(person) = self.input.person_id {
            ensure_person(txn, "person_id", person).await?;
        }
        Ok(())
    }

    fn fields(&self) -> participant::ActiveModel {
        participant::ActiveModel {
            organisation_id: Set(self.input.organisation_id),
            person_id: Set(self.input.person_id),
            role: Set(self.input.role),
            since: Set(self.input.since),
            until: Set(self.input.until),
            ..Default::default()
        }
    }

    fn created(&self, row: &mut participant::ActiveModel) {
        if let Some(product_id) = self.product_id {
            row.product_id = Set(product_id);
        }
    }
}

impl Store {
    /// Register a product.
    pub async fn create_product(
        &self,
        actor: &Actor,
        input: ProductInput,
    ) -> Result<product::Model> {
        versioned::create(self, actor, check_product(input)?).await
    }

    /// Change a product that is still at version `expected`.
    pub async fn update_product(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: ProductInput,
    ) -> Result<product::Model> {
        versioned::update(self, actor, id, expected, check_product(input)?).await
    }

    /// "Delete" a product: it is archived, and everything about it stays.
    pub async fn archive_product(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
    ) -> Result<product::Model> {
        versioned::archive::<product::Entity>(self, actor, id, expected).await
    }

    /// One product by id.
    pub async fn product(&self, id: i32) -> Result<product::Model> {
        product::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("product", id))
    }

    /// One product by slug.
    pub async fn product_by_slug(&self, slug: &str) -> Result<product::Model> {
        product::Entity::find()
            .filter(product::Column::Slug.eq(slug))
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("product", slug))
    }

    /// Products; sort keys `name`, `slug`, `stage`, `official_level`, `updated_at`.
    pub async fn list_products(
        &self,
        filter: &ProductFilter,
        params: &ListParams,
    ) -> Result<Page<product::Model>> {
        use product::Column as C;
        let mut q = product::Entity::find();
        if !filter.archived.unwrap_or(false) {
            q = q.filter(C::Archived.eq(false));
        }
        if let Some(stage) = filter.stage {
            q = q.filter(C::Stage.eq(stage));
        }
        if let Some(level) = &filter.official_level {
            q = q.filter(C::OfficialLevel.eq(level.as_str()));
        }
        if let Some(published) = filter.published {
            q = q.filter(C::Published.eq(published));
        }
        if let Some(ids) = &filter.ids {
            q = q.filter(C::Id.is_in(ids.iter().copied()));
        }
        if let Some(org) = filter.organisation_id {
            let ids: Vec<i32> = participant::Entity::find()
                .filter(participant::Column::OrganisationId.eq(org))
                .all(self.conn())
                .await?
                .into_iter()
                .map(|p| p.product_id)
                .collect();
            q = q.filter(C::Id.is_in(ids));
        }
        if let Some(text) = params.query() {
            q = q.filter(
                sea_orm::Condition::any()
                    .add(lower_like(C::Name, &text))
                    .add(lower_like(C::Slug, &text)),
            );
        }
        let (key, desc) = params.sort_key(
            &["name", "slug", "stage", "official_level", "updated_at"],
            "name",
        )?;
        let col = match key {
            "slug" => C::Slug,
            "stage" => C::Stage,
            "official_level" => C::OfficialLevel,
            "updated_at" => C::UpdatedAt,
            _ => C::Name,
        };
        q = q.order_by(col, order(desc)).order_by_asc(C::Id);
        page(q, params, self.conn()).await
    }

    /// Add an organisation or person to a product.
    pub async fn add_participant(
        &self,
        actor: &Actor,
        product_id: i32,
        input: ParticipantInput,
    ) -> Result<participant::Model> {
        versioned::create(self, actor, check_participant(Some(product_id), input)?).await
    }

    /// Change a participant that is still at version `expected`.
    pub async fn update_participant(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: ParticipantInput,
    ) -> Result<participant::Model> {
        versioned::update(self, actor, id, expected, check_participant(None, input)?).await
    }

    /// Remove a participant (the audit log keeps what it was).
    pub async fn remove_participant(&self, actor: &Actor, id: i32, expected: i32) -> Result<()> {
        versioned::remove::<participant::Entity>(self, actor, id, expected).await
    }

    /// One participant.
    pub async fn participant(&self, id: i32) -> Result<participant::Model> {
        participant::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("participant", id))
    }

    /// The participants of a product.
    pub async fn participants(&self, product_id: i32) -> Result<Vec<participant::Model>> {
        Ok(participant::Entity::find()
            .filter(participant::Column::ProductId.eq(product_id))
            .order_by_asc(participant::Column::Id)
            .all(self.conn())
            .await?)
    }
}
