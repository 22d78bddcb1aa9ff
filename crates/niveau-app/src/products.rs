//! Products: the list, one product's page, registering, changing, publishing and
//! archiving a product, and the organisations and people taking part in it.
//!
//! Who may:
//! - everyone reads published products; logged-in readers read all (archived ones too);
//! - the secretariat registers and archives products, and alone publishes, unpublishes
//!   or renames (slug) one ([`Action::PublishProduct`]);
//! - a product's editors change its other fields and its participants.
//!
//! A product's repositories must be locations the server may fetch from (the scan
//! worker's [`RemotePolicy`]), checked when the product is saved so that a scan does not
//! fail on them later.

use std::collections::HashMap;

use niveau_model::Msg;
use niveau_scan::remote_policy::RemotePolicy;
use niveau_store::agreements::AgreementWithParties;
use niveau_store::decisions::DecisionFilter;
use niveau_store::entity::{decision, evaluation, organisation, participant, product};
use niveau_store::evaluations::{EvaluationFilter, EvaluationView};
use niveau_store::groups::GroupWithMembers;
use niveau_store::types::{EvaluationStatus, SubmissionFormat};
use niveau_store::{ListParams, Page, StoreError};
use serde::Serialize;
use utoipa::ToSchema;

pub use niveau_store::products::{ParticipantInput, ProductFilter, ProductInput};

use crate::App;
use crate::error::{AppError, AppResult};
use crate::permissions::{Action, allowed, require};
use crate::principal::Caller;
use crate::scans::check_repository_locations;
use crate::visibility::resolve_product;

/// A product's page: the product and everything around it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProductPage {
    /// The product.
    pub product: product::Model,
    /// Organisations and people taking part.
    pub participants: Vec<participant::Model>,
    /// The organisations referred to by participants, groups and agreements.
    pub organisations: Vec<organisation::Model>,
    /// Groups with members.
    pub groups: Vec<GroupWithMembers>,
    /// Agreements with parties.
    pub agreements: Vec<AgreementWithParties>,
    /// The product's decisions, newest first.
    pub decisions: Vec<decision::Model>,
    /// The newest self-evaluation (logged-in readers only).
    pub latest_self_evaluation: Option<SelfEvaluationSummary>,
    /// The newest evaluation the caller may read.
    pub latest_evaluation: Option<EvaluationSummary>,
}

/// A self-evaluation in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct SelfEvaluationSummary {
    /// Id.
    pub id: i32,
    /// Version number.
    pub number: i32,
    /// Model.
    pub model_id: String,
    /// How it arrived.
    pub format: SubmissionFormat,
    /// The level the answers indicate.
    pub indicated_level: Option<String>,
    /// When.
    pub submitted_at: chrono::DateTime<chrono::Utc>,
}

/// An evaluation in brief.
#[derive(Debug, Serialize, ToSchema)]
pub struct EvaluationSummary {
    /// Id.
    pub id: i32,
    /// Status.
    pub status: EvaluationStatus,
    /// Model.
    pub model_id: String,
    /// The level the ratings indicate.
    pub indicated_level: Option<String>,
    /// Last change.
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

/// A product's page as the HTML page shows it: [`ProductPage`] with the names of the
/// people on it and the product's published evaluations.
#[derive(Debug)]
pub struct ProductView {
    /// What the API's product page holds.
    pub page: ProductPage,
    /// The names of the people taking part or sitting in its groups, by person id:
    /// logged-in readers only (empty for the public).
    pub people: HashMap<i32, String>,
    /// The newest published evaluation with its content.
    pub latest_published: Option<EvaluationView>,
    /// Every published evaluation, newest first.
    pub published: Vec<evaluation::Model>,
}

/// A product as a list names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRef {
    /// URL name.
    pub slug: String,
    /// Display name.
    pub name: String,
}

/// The products the caller may see ([`crate::visibility::visible_products`]), by id.
pub async fn visible_refs(app: &App, who: Caller<'_>) -> AppResult<HashMap<i32, ProductRef>> {
    Ok(crate::visibility::visible_products(app.store(), who)
        .await?
        .into_iter()
        .map(|p| {
            (
                p.id,
                ProductRef {
                    slug: p.slug,
                    name: p.name,
                },
            )
        })
        .collect())
}

/// The products, one page: published ones for the public (whatever `filter` asks),
/// all for logged-in readers.
pub async fn list(
    app: &App,
    who: Caller<'_>,
    mut filter: ProductFilter,
    params: &ListParams,
) -> AppResult<Page<product::Model>> {
    if !allowed(who, Action::ReadPortfolio) {
        filter.published = Some(true);
        filter.archived = Some(false);
    }
    Ok(app.store().list_products(&filter, params).await?)
}

/// Register a product (the secretariat). Its repositories must be locations the server
/// may fetch from.
pub async fn create(
    app: &App,
    who: Caller<'_>,
    input: ProductInput,
    locations: &RemotePolicy,
) -> AppResult<product::Model> {
    let who = require(who, Action::EditPortfolio)?;
    check_repository_locations(locations, &input.repositories)?;
    check_target_level(app, None, input.target_level.as_deref())?;
    Ok(app.store().create_product(&who.actor(), input).await?)
}

/// A target level must be a level of the product's model (its official model, else
/// [`crate::evaluations::DEFAULT_MODEL`]); a stored level the model no longer knows may
/// stay as it is.
fn check_target_level(
    app: &App,
    product: Option<&product::Model>,
    level: Option<&str>,
) -> AppResult<()> {
    let Some(level) = level.map(str::trim).filter(|l| !l.is_empty()) else {
        return Ok(());
    };
    if product.is_some_and(|p| p.target_level.as_deref() == Some(level)) {
        return Ok(());
    }
    let model_id = product
        .and_then(|p| p.official_model.clone())
        .unwrap_or_else(|| crate::evaluations::DEFAULT_MODEL.to_owned());
    let Ok(model) = app.registry().get(&model_id) else {
        return Ok(());
    };
    if model.level(level).is_some() {
        return Ok(());
    }
    let known: Vec<&str> = model.levels().iter().map(|l| l.id.as_str()).collect();
    Err(AppError::invalid(
        "target_level",
        Msg::new(
            format!(
                "«{level}» er ikke et niveau i produktets model ({model_id}); mulige: {}",
                known.join(", ")
            ),
            format!(
                "«{level}» is not a level of the product's model ({model_id}); possible: {}",
                known.join(", ")
            ),
        ),
    ))
}

/// The product `key` (id or slug) if the caller may change its fields: not found when
/// the caller may not see it, refused when it is not the caller's product. Asked before
/// a change is read, so a refused caller learns nothing about the change's validity.
pub async fn editable(app: &App, who: Caller<'_>, key: &str) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    require(who, Action::EditProduct(product.id))?;
    Ok(product)
}

/// Refuse a change of `product` that publishes or unpublishes it or changes its slug,
/// unless the caller is the secretariat's; the refusal names the field.
pub fn check_publishing(
    who: Caller<'_>,
    product: &product::Model,
    input: &ProductInput,
) -> AppResult<()> {
    let slug_changes = input.slug.trim() != product.slug;
    if input.published == product.published && !slug_changes {
        return Ok(());
    }
    match require(who, Action::PublishProduct) {
        Ok(_) => Ok(()),
        Err(AppError::Forbidden) => Err(AppError::refused(
            if slug_changes { "slug" } else { "published" },
            Msg::new(
                "kun sekretariatet kan offentliggøre eller skjule et produkt og ændre dets slug",
                "only the secretariat can publish or hide a product and change its slug",
            ),
        )),
        Err(other) => Err(other),
    }
}

/// Change product `key` (id or slug) that is still at version `expected` (not its stage
/// or official level: those are decisions). Its editors may change its fields;
/// publishing, unpublishing and a new slug are the secretariat's ([`check_publishing`]).
pub async fn update(
    app: &App,
    who: Caller<'_>,
    key: &str,
    expected: i32,
    input: ProductInput,
    locations: &RemotePolicy,
) -> AppResult<product::Model> {
    let product = editable(app, who, key).await?;
    check_publishing(who, &product, &input)?;
    let who = require(who, Action::EditProduct(product.id))?;
    check_repository_locations(locations, &input.repositories)?;
    check_target_level(app, Some(&product), input.target_level.as_deref())?;
    if input.target_level.as_deref() != product.target_level.as_deref() {
        let log = app.store().process_log(product.id).await?;
        crate::process::rules::check_level_change(
            product.stage,
            product.target_level.as_deref(),
            input.target_level.as_deref(),
            &log,
        )
        .map_err(|m| {
            AppError::coded(
                crate::error::ErrorKind::State,
                "board_approval_needed",
                "target_level",
                m,
            )
        })?;
    }
    Ok(app
        .store()
        .update_product(&who.actor(), product.id, expected, input)
        .await?)
}

/// Archive product `key` ("delete"; the secretariat): it leaves the lists and is no
/// longer public; its history stays.
pub async fn archive(
    app: &App,
    who: Caller<'_>,
    key: &str,
    expected: i32,
) -> AppResult<product::Model> {
    let product = resolve_product(app.store(), who, key).await?;
    let who = require(who, Action::EditPortfolio)?;
    Ok(app
        .store()
        .archive_product(&who.actor(), product.id, expected)
        .await?)
}

/// Everything on product `key`'s page, as the caller may see it: the newest
/// self-evaluation for logged-in readers only, the newest evaluation the caller may
/// read (drafts for the secretariat only; published ones for the public).
pub async fn page(app: &App, who: Caller<'_>, key: &str) -> AppResult<ProductPage> {
    let product = resolve_product(app.store(), who, key).await?;
    let store = app.store();
    let id = product.id;
    // Participants, groups, agreements and the organisations they name: the same read
    // the evidence rules use.
    let around = crate::evidence::load(store, id).await?;
    let decisions = store
        .list_decisions(
            &DecisionFilter {
                product_id: Some(id),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
    let latest_self_evaluation = if allowed(who, Action::ReadPortfolio) {
        store
            .latest_self_evaluation(id)
            .await?
            .map(|s| SelfEvaluationSummary {
                id: s.id,
                number: s.number,
                model_id: s.model_id,
                format: s.format,
                indicated_level: s.indicated_level,
                submitted_at: s.submitted_at,
            })
    } else {
        None
    };
    let latest_evaluation = latest_visible_evaluation(app, who, id).await?;
    Ok(ProductPage {
        product,
        participants: around.participants,
        organisations: around.organisations.into_values().collect(),
        groups: around.groups,
        agreements: around.agreements,
        decisions,
        latest_self_evaluation,
        latest_evaluation,
    })
}

/// The newest evaluation of the product the caller may read.
async fn latest_visible_evaluation(
    app: &App,
    who: Caller<'_>,
    product_id: i32,
) -> AppResult<Option<EvaluationSummary>> {
    let summary = |e: EvaluationView| EvaluationSummary {
        id: e.head.id,
        status: e.head.status,
        model_id: e.head.model_id,
        indicated_level: e.current.indicated_level,
        updated_at: e.head.updated_at,
    };
    let store = app.store();
    if allowed(who, Action::ReadEvaluation(product_id)) {
        let heads = store
            .list_evaluations(
                &EvaluationFilter {
                    product_id: Some(product_id),
                    ..Default::default()
                },
                &ListParams {
                    limit: Some(20),
                    ..Default::default()
                },
            )
            .await?;
        let drafts = allowed(who, Action::ReadEvaluationDrafts);
        if let Some(head) = heads
            .items
            .into_iter()
            .find(|h| drafts || !h.status.is_secretariat_only())
        {
            return Ok(Some(summary(store.evaluation(head.id).await?)));
        }
        return Ok(None);
    }
    Ok(store
        .latest_published_evaluation(product_id)
        .await?
        .map(summary))
}

/// Product `key`'s page as the HTML page shows it ([`ProductView`]): [`page`], the names
/// of the people on it (logged-in readers only) and its published evaluations.
pub async fn view(app: &App, who: Caller<'_>, key: &str) -> AppResult<ProductView> {
    let page = page(app, who, key).await?;
    let store = app.store();
    let mut people = HashMap::new();
    if allowed(who, Action::ReadPortfolio) {
        let mut ids: Vec<i32> = page
            .participants
            .iter()
            .filter_map(|p| p.person_id)
            .collect();
        for group in &page.groups {
            ids.extend(group.members.iter().filter_map(|m| m.person_id));
        }
        people = store
            .persons_by_ids(&ids)
            .await?
            .into_iter()
            .map(|p| (p.id, p.name))
            .collect();
    }
    let latest_published = store.latest_published_evaluation(page.product.id).await?;
    let published = store
        .list_evaluations(
            &EvaluationFilter {
                product_id: Some(page.product.id),
                status: Some(EvaluationStatus::Offentliggjort),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await?
        .items;
    Ok(ProductView {
        page,
        people,
        latest_published,
        published,
    })
}

/// A published evaluation of product `key`, for everyone who may see the product: the
/// newest (`id` none) or the one with `id`. Not found when the product is hidden from the
/// caller, or the evaluation is not a published one of this product.
pub async fn published_evaluation(
    app: &App,
    who: Caller<'_>,
    key: &str,
    id: Option<i32>,
) -> AppResult<(product::Model, EvaluationView)> {
    let product = resolve_product(app.store(), who, key).await?;
    let store = app.store();
    let found = match id {
        None => store.latest_published_evaluation(product.id).await?,
        Some(id) => match store.evaluation(id).await {
            Ok(view)
                if view.head.product_id == product.id
                    && view.head.status == EvaluationStatus::Offentliggjort =>
            {
                Some(view)
            }
            Ok(_) | Err(StoreError::NotFound { .. }) => None,
            Err(other) => return Err(other.into()),
        },
    };
    let missing = || {
        let what = match id {
            Some(id) => Msg::new(
                format!("den offentliggjorte evaluering {id}"),
                format!("the published evaluation {id}"),
            ),
            None => Msg::new("en offentliggjort evaluering", "a published evaluation"),
        };
        AppError::not_found(what)
    };
    let view = found.ok_or_else(missing)?;
    Ok((product, view))
}

/// The participants of product `key` (as visible as the product).
pub async fn participants(
    app: &App,
    who: Caller<'_>,
    key: &str,
) -> AppResult<Vec<participant::Model>> {
    let product = resolve_product(app.store(), who, key).await?;
    Ok(app.store().participants(product.id).await?)
}

/// Add an organisation or a person to product `key` (its editors and the secretariat).
/// A participant names an organisation or a person that exists.
pub async fn add_participant(
    app: &App,
    who: Caller<'_>,
    key: &str,
    input: ParticipantInput,
) -> AppResult<participant::Model> {
    let product = editable(app, who, key).await?;
    let who = require(who, Action::EditProduct(product.id))?;
    Ok(app
        .store()
        .add_participant(&who.actor(), product.id, input)
        .await?)
}

/// Participant `id` if the caller may change it (logged-in readers learn whether it
/// exists; changing it is for its product's editors and the secretariat). Asked before a
/// change is read.
pub async fn participant_editable(
    app: &App,
    who: Caller<'_>,
    id: i32,
) -> AppResult<participant::Model> {
    require(who, Action::ReadPortfolio)?;
    let current = app.store().participant(id).await?;
    require(who, Action::EditProduct(current.product_id))?;
    Ok(current)
}

/// Change participant `id`, still at version `expected`.
pub async fn update_participant(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
    input: ParticipantInput,
) -> AppResult<participant::Model> {
    participant_editable(app, who, id).await?;
    let who = require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .update_participant(&who.actor(), id, expected, input)
        .await?)
}

/// Remove participant `id`, still at version `expected` (the audit log keeps it).
pub async fn remove_participant(
    app: &App,
    who: Caller<'_>,
    id: i32,
    expected: i32,
) -> AppResult<()> {
    participant_editable(app, who, id).await?;
    let who = require(who, Action::ReadPortfolio)?;
    Ok(app
        .store()
        .remove_participant(&who.actor(), id, expected)
        .await?)
}

/// Shared by the tests of the portfolio operations: an in-memory store with the built-in
/// models, and callers in each role.
#[cfg(test)]
pub(crate) mod testing {
    use std::sync::Arc;

    use niveau_store::types::Role;
    use niveau_store::{Store, StoreOptions};

    use super::*;
    use crate::principal::Principal;

    /// A fresh application on an in-memory SQLite database.
    pub async fn app() -> App {
        let store = Store::connect("sqlite::memory:", &StoreOptions::default())
            .await
            .expect("in-memory store");
        store.migrate().await.expect("migrations");
        let registry = niveau_model::Registry::builtin().expect("built-in models");
        App::new(store, Arc::new(registry))
    }

    /// An account with `roles`, editor of `products`.
    pub fn who(roles: &[Role], products: &[i32]) -> Principal {
        Principal {
            user_id: 1,
            username: "tester".into(),
            display_name: "Tester".into(),
            roles: roles.to_vec(),
            product_ids: products.to_vec(),
            can_write: true,
            system: false,
        }
    }

    /// The secretariat.
    pub fn secretariat() -> Principal {
        who(&[Role::Sekretariat], &[])
    }

    /// A product's input.
    pub fn product_input(slug: &str, published: bool) -> ProductInput {
        ProductInput {
            slug: slug.into(),
            name: slug.to_uppercase(),
            short_description: "Kort".into(),
            long_description: String::new(),
            stage: None,
            official_level: None,
            target_level: None,
            website: None,
            license: None,
            repositories: vec![],
            publiccode: None,
            published,
            version: None,
        }
    }

    /// The scan worker's default policy: https on the public forges.
    pub fn locations() -> RemotePolicy {
        let hosts = niveau_scan::remote_policy::DEFAULT_ALLOWED_HOSTS
            .iter()
            .map(|h| (*h).to_owned())
            .collect();
        RemotePolicy::server(hosts, false, false)
    }

    /// Register a product as the secretariat.
    pub async fn product(app: &App, slug: &str, published: bool) -> product::Model {
        create(
            app,
            Some(&secretariat()),
            product_input(slug, published),
            &locations(),
        )
        .await
        .expect("product")
    }
}

#[cfg(test)]
mod tests {
    use niveau_store::types::{ParticipantRole, Role};

    use super::testing::*;
    use super::*;
    use crate::error::ErrorKind;

    #[tokio::test]
    async fn an_editor_edits_their_product_but_may_not_publish_it_or_rename_it() {
        let app = app().await;
        let p = product(&app, "os2mo", false).await;
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        let mut input = product_input("os2mo", false);
        input.name = "OS2mo".into();
        let saved = update(&app, Some(&editor), "os2mo", 1, input, &locations())
            .await
            .expect("an editor changes the name");
        assert_eq!(saved.name, "OS2mo");
        assert_eq!(saved.version, 2);

        let publish = update(
            &app,
            Some(&editor),
            "os2mo",
            2,
            product_input("os2mo", true),
            &locations(),
        )
        .await
        .expect_err("an editor may not publish");
        assert_eq!(publish.kind(), ErrorKind::Forbidden);
        assert_eq!(publish.field(), Some("published"));
        assert_eq!(
            publish.message().en,
            "only the secretariat can publish or hide a product and change its slug"
        );
        let rename = update(
            &app,
            Some(&editor),
            "os2mo",
            2,
            product_input("os2-mo", false),
            &locations(),
        )
        .await
        .expect_err("an editor may not change the slug");
        assert_eq!(rename.field(), Some("slug"));

        let other = who(&[Role::Produktredaktor], &[p.id + 1]);
        let refused = update(
            &app,
            Some(&other),
            "os2mo",
            2,
            product_input("os2mo", false),
            &locations(),
        )
        .await
        .expect_err("not their product");
        assert!(matches!(refused, AppError::Forbidden));

        let published = update(
            &app,
            Some(&secretariat()),
            "os2mo",
            2,
            product_input("os2mo", true),
            &locations(),
        )
        .await
        .expect("the secretariat publishes");
        assert!(published.published);
    }

    #[tokio::test]
    async fn a_target_level_is_a_level_of_the_products_model() {
        let app = app().await;
        let sek = secretariat();
        let mut input = product_input("os2mo", true);
        input.target_level = Some("4".into());
        let err = create(&app, Some(&sek), input.clone(), &locations())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("target_level"));
        assert_eq!(
            err.message().en,
            "«4» is not a level of the product's model (os2-1.1.0); possible: sandkasse, 1, 2, 3"
        );
        input.target_level = Some("1".into());
        create(&app, Some(&sek), input.clone(), &locations())
            .await
            .unwrap();
        input.target_level = Some("niveau-9".into());
        input.version = Some(1);
        let err = update(&app, Some(&sek), "os2mo", 1, input, &locations())
            .await
            .unwrap_err();
        assert_eq!(err.field(), Some("target_level"), "{}", err.message().en);
    }

    #[tokio::test]
    async fn the_public_sees_published_products_only() {
        let app = app().await;
        product(&app, "offentlig", true).await;
        product(&app, "skjult", false).await;
        let public = list(&app, None, ProductFilter::default(), &ListParams::all())
            .await
            .expect("list");
        let slugs: Vec<&str> = public.items.iter().map(|p| p.slug.as_str()).collect();
        assert_eq!(slugs, ["offentlig"]);
        // Asking for unpublished ones does not help.
        let asked = list(
            &app,
            None,
            ProductFilter {
                published: Some(false),
                ..Default::default()
            },
            &ListParams::all(),
        )
        .await
        .expect("list");
        assert_eq!(asked.items.len(), 1);
        assert_eq!(asked.items[0].slug, "offentlig");

        let hidden = page(&app, None, "skjult").await.expect_err("hidden");
        assert_eq!(hidden.kind(), ErrorKind::NotFound);
        assert_eq!(hidden.message().da, "produkt skjult findes ikke");
        let reader = who(&[Role::Laeser], &[]);
        let seen = page(&app, Some(&reader), "skjult").await.expect("a reader");
        assert_eq!(seen.product.slug, "skjult");
        let all = list(
            &app,
            Some(&reader),
            ProductFilter::default(),
            &ListParams::all(),
        )
        .await
        .expect("list");
        assert_eq!(all.total, 2);
    }

    #[tokio::test]
    async fn archiving_is_the_secretariats_and_hides_the_product_from_the_public() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        let refused = archive(&app, Some(&editor), "os2mo", 1)
            .await
            .expect_err("an editor may not archive");
        assert!(matches!(refused, AppError::Forbidden));
        let stale = archive(&app, Some(&secretariat()), "os2mo", 7)
            .await
            .expect_err("a stale version");
        assert_eq!(stale.kind(), ErrorKind::Conflict);
        let archived = archive(&app, Some(&secretariat()), &p.id.to_string(), 1)
            .await
            .expect("archived");
        assert!(archived.archived);
        assert!(!archived.published, "an archived product is not public");
        let gone = page(&app, None, "os2mo").await.expect_err("hidden");
        assert_eq!(gone.kind(), ErrorKind::NotFound);
        let public = list(&app, None, ProductFilter::default(), &ListParams::all())
            .await
            .expect("list");
        assert_eq!(public.total, 0);
    }

    #[tokio::test]
    async fn a_repository_the_server_may_not_fetch_is_refused_by_index() {
        let app = app().await;
        let mut input = product_input("os2mo", true);
        input.repositories = vec![
            "https://github.com/OS2mo/os2mo".into(),
            "http://127.0.0.1/x.git".into(),
        ];
        let err = create(&app, Some(&secretariat()), input, &locations())
            .await
            .expect_err("a loopback address");
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.field(), Some("repositories[1]"));
        assert!(err.message().da.starts_with("http://127.0.0.1/x.git: "));
    }

    #[tokio::test]
    async fn participants_name_an_organisation_or_a_person_and_only_editors_change_them() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        let editor = who(&[Role::Produktredaktor], &[p.id]);
        let input = |organisation_id| ParticipantInput {
            organisation_id,
            person_id: None,
            role: ParticipantRole::Anvender,
            since: None,
            until: None,
            version: None,
        };
        let empty = add_participant(&app, Some(&editor), "os2mo", input(None))
            .await
            .expect_err("neither organisation nor person");
        assert_eq!(empty.kind(), ErrorKind::Invalid);
        assert_eq!(empty.field(), Some("organisation_id"));
        let unknown = add_participant(&app, Some(&editor), "os2mo", input(Some(999)))
            .await
            .expect_err("no such organisation");
        assert_eq!(unknown.field(), Some("organisation_id"));

        let org = crate::organisations::create(
            &app,
            Some(&secretariat()),
            crate::organisations::testing::organisation_input("Aarhus Kommune"),
        )
        .await
        .expect("organisation");
        let added = add_participant(&app, Some(&editor), "os2mo", input(Some(org.id)))
            .await
            .expect("added");
        assert_eq!(added.product_id, p.id);
        assert_eq!(added.organisation_id, Some(org.id));

        let reader = who(&[Role::Laeser], &[]);
        let refused = remove_participant(&app, Some(&reader), added.id, 1)
            .await
            .expect_err("a reader may not remove");
        assert!(matches!(refused, AppError::Forbidden));
        assert!(matches!(
            remove_participant(&app, None, added.id, 1).await,
            Err(AppError::Unauthenticated)
        ));
        remove_participant(&app, Some(&editor), added.id, 1)
            .await
            .expect("the editor removes");
        let left = participants(&app, None, "os2mo").await.expect("list");
        assert!(left.is_empty());
    }

    #[tokio::test]
    async fn the_public_page_shows_no_self_evaluation_and_no_people() {
        let app = app().await;
        let p = product(&app, "os2mo", true).await;
        let view = view(&app, None, "os2mo").await.expect("public page");
        assert_eq!(view.page.product.id, p.id);
        assert!(view.page.latest_self_evaluation.is_none());
        assert!(view.page.latest_evaluation.is_none());
        assert!(view.people.is_empty());
        assert!(view.published.is_empty());
        let none = published_evaluation(&app, None, "os2mo", None)
            .await
            .expect_err("nothing published");
        assert_eq!(none.message().en, "a published evaluation does not exist");
    }
}
