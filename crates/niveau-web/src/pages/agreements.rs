//! Agreements in the browser (`/aftaler`): at the top the agreements ending within three
//! months of today (niveau-app's `agreements::ending_soon`, by the store's clock), then
//! every agreement (by product and kind), and a form for a new one; `/aftaler/{id}`
//! edits an agreement — kind, title, product, period, economy, document link and the
//! organisations that are parties — and archives it. Every change goes through
//! niveau-app's `agreements` operations based on the version the form was made from; a
//! refusal shows the page again with what the visitor typed and, after a conflict, the
//! stored values.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::agreements::{
    self, AgreementFilter, AgreementInput, AgreementWithParties, PartyInput,
};
use niveau_app::permissions::Action;
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::types::AgreementKind;
use serde::Deserialize;

use super::form::{Fields, FormPost, see_other};
use super::groups::Names;
use super::lang::PageLang;
use super::workspace::{
    Errors, choices, chosen_id, date, form_version, here, in_lang, notice, refuse,
};
use super::{Choice, Layout, error_page, labels, render};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::state::AppState;

/// The fields of the agreement form that errors can be shown at.
const FIELDS: &[&str] = &[
    "title",
    "kind",
    "product_id",
    "starts_on",
    "ends_on",
    "economy",
    "document_url",
    "parties",
];

/// `?produkt=&type=&arkiverede=&besked=` of the list.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    produkt: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    arkiverede: Option<String>,
    #[serde(default)]
    besked: Option<String>,
}

/// `?besked=` of an agreement's page.
#[derive(Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    besked: Option<String>,
}

/// What the visitor wrote in an agreement form (as text, so nothing is lost).
#[derive(Debug, Default)]
struct Draft {
    title: String,
    kind: String,
    product_id: String,
    starts_on: String,
    ends_on: String,
    economy: String,
    document_url: String,
    /// The organisations chosen as parties.
    parties: Vec<String>,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            title: fields.one("title").to_owned(),
            kind: fields.one("kind").to_owned(),
            product_id: fields.one("product_id").to_owned(),
            starts_on: fields.one("starts_on").to_owned(),
            ends_on: fields.one("ends_on").to_owned(),
            economy: fields.one("economy").to_owned(),
            document_url: fields.one("document_url").to_owned(),
            parties: fields
                .all("parties")
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    fn of(a: &AgreementWithParties) -> Draft {
        let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let g = &a.agreement;
        Draft {
            title: g.title.clone(),
            kind: g.kind.as_str().to_owned(),
            product_id: g.product_id.map(|p| p.to_string()).unwrap_or_default(),
            starts_on: day(g.starts_on),
            ends_on: day(g.ends_on),
            economy: g.economy.clone().unwrap_or_default(),
            document_url: g.document_url.clone().unwrap_or_default(),
            parties: a
                .parties
                .iter()
                .map(|p| p.organisation_id.to_string())
                .collect(),
        }
    }

    /// The input; a party kept from `before` keeps its role there, a new one is "part".
    fn input(
        &self,
        version: Option<i32>,
        before: Option<&AgreementWithParties>,
        lang: Lang,
    ) -> Result<AgreementInput, Errors> {
        let kind = AgreementKind::parse(&self.kind).ok_or_else(|| {
            Errors::at_field(
                "kind",
                lang.pick("Vælg en type.", "Choose a kind.").to_owned(),
            )
        })?;
        let product_id =
            chosen_id(&self.product_id, lang).map_err(|e| Errors::at_field("product_id", e))?;
        let starts_on =
            date(&self.starts_on, lang).map_err(|e| Errors::at_field("starts_on", e))?;
        let ends_on = date(&self.ends_on, lang).map_err(|e| Errors::at_field("ends_on", e))?;
        let mut parties = Vec::new();
        for text in &self.parties {
            let Some(organisation_id) =
                chosen_id(text, lang).map_err(|e| Errors::at_field("parties", e))?
            else {
                continue;
            };
            if parties
                .iter()
                .any(|p: &PartyInput| p.organisation_id == organisation_id)
            {
                continue;
            }
            let role = before
                .and_then(|b| {
                    b.parties
                        .iter()
                        .find(|p| p.organisation_id == organisation_id)
                })
                .map(|p| p.role.clone())
                .unwrap_or_else(|| "part".to_owned());
            parties.push(PartyInput {
                organisation_id,
                role,
            });
        }
        let optional = |text: &str| (!text.is_empty()).then(|| text.to_owned());
        Ok(AgreementInput {
            product_id,
            kind,
            title: self.title.clone(),
            starts_on,
            ends_on,
            economy: optional(&self.economy),
            document_url: optional(&self.document_url),
            parties,
            version,
        })
    }
}

fn kind_choices(chosen: &str, lang: Lang, empty: &str) -> Vec<Choice> {
    let items: Vec<(String, String)> = AgreementKind::ALL
        .iter()
        .map(|k| {
            (
                k.as_str().to_owned(),
                labels::agreement_kind(*k, lang).to_owned(),
            )
        })
        .collect();
    choices(&items, chosen, Some(empty))
}

/// The parties' choices: every organisation, the chosen ones selected.
fn party_choices(names: &Names, chosen: &[String]) -> Vec<Choice> {
    names
        .organisations
        .iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: chosen.iter().any(|c| c == &id.to_string()),
        })
        .collect()
}

/// An agreement in a list.
struct AgreementRow {
    id: i32,
    title: String,
    kind: &'static str,
    product: String,
    period: String,
    ends_on: String,
    parties: String,
    archived: bool,
}

fn row(a: &AgreementWithParties, names: &Names, lang: Lang) -> AgreementRow {
    let g = &a.agreement;
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    AgreementRow {
        id: g.id,
        title: g.title.clone(),
        kind: labels::agreement_kind(g.kind, lang),
        product: names.product(g.product_id, lang),
        period: match (g.starts_on, g.ends_on) {
            (None, None) => lang.pick("ikke angivet", "not given").to_owned(),
            (s, e) => format!("{} – {}", day(s), day(e)),
        },
        ends_on: day(g.ends_on),
        parties: a
            .parties
            .iter()
            .map(|p| {
                names
                    .organisations
                    .iter()
                    .find(|o| o.0 == p.organisation_id)
                    .map(|o| o.1.clone())
                    .unwrap_or_else(|| format!("organisation {}", p.organisation_id))
            })
            .collect::<Vec<_>>()
            .join(", "),
        archived: g.archived,
    }
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct AgreementsPage {
    layout: Layout,
    ending: Vec<AgreementRow>,
    today: String,
    agreements: Vec<AgreementRow>,
    notice: String,
    filter_products: Vec<Choice>,
    filter_kinds: Vec<Choice>,
    archived: bool,
    errors: Errors,
    draft: Draft,
    kinds: Vec<Choice>,
    products: Vec<Choice>,
    parties: Vec<Choice>,
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct AgreementPage {
    layout: Layout,
    id: i32,
    archived: bool,
    version: i32,
    notice: String,
    errors: Errors,
    draft: Draft,
    kinds: Vec<Choice>,
    products: Vec<Choice>,
    parties: Vec<Choice>,
    stored: Option<AgreementRow>,
    stored_economy: String,
    stored_document_url: String,
}

/// `GET /aftaler`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<ListQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/aftaler");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    show_list(
        &state,
        &auth,
        lang,
        path,
        &query,
        notice(query.besked.as_deref(), lang),
        Errors::none(),
        Draft::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn show_list(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    path: &str,
    query: &ListQuery,
    notice: String,
    errors: Errors,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let names = Names::load(state, auth).await?;
    let ending = agreements::ending_soon(state.app(), auth.who())
        .await?
        .iter()
        .map(|a| row(a, &names, lang))
        .collect();
    let product_slug = super::non_empty(&query.produkt).unwrap_or("");
    let product = names.products.iter().find(|p| p.1 == product_slug);
    let kind_text = super::non_empty(&query.kind).unwrap_or("");
    let archived = query.arkiverede.as_deref() == Some("ja");
    let filter = AgreementFilter {
        product_id: product.map(|p| p.0),
        kind: AgreementKind::parse(kind_text),
        organisation_id: None,
        archived: Some(archived),
    };
    let rows: Vec<AgreementRow> = if !product_slug.is_empty() && product.is_none() {
        Vec::new()
    } else {
        agreements::list(state.app(), auth.who(), &filter, &ListParams::all())
            .await?
            .items
            .iter()
            .map(|a| row(a, &names, lang))
            .collect()
    };
    let slugs: Vec<(String, String)> = names
        .products
        .iter()
        .map(|p| (p.1.clone(), p.2.clone()))
        .collect();
    let mut response = render(&AgreementsPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Aftaler", "Agreements"),
            "agreements",
            path,
        ),
        ending,
        today: state.store().now().date_naive().to_string(),
        agreements: rows,
        notice,
        filter_products: choices(&slugs, product_slug, Some(lang.pick("Alle", "All"))),
        filter_kinds: kind_choices(kind_text, lang, lang.pick("Alle", "All")),
        archived,
        errors,
        kinds: kind_choices(&draft.kind, lang, lang.pick("Vælg …", "Choose …")),
        products: names.product_choices(&draft.product_id, lang),
        parties: party_choices(&names, &draft.parties),
        draft,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `POST /aftaler`: a new agreement; on success to its page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = "/aftaler";
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let draft = Draft::read(&fields);
    let result = match draft.input(None, None, lang) {
        Ok(input) => agreements::create(state.app(), auth.who(), input)
            .await
            .map_err(|e| {
                let e = in_lang(e.into(), lang);
                (
                    Errors::of(&e, lang, ("Aftalen", "The agreement"), FIELDS),
                    e.status,
                )
            }),
        Err(errors) => Err((errors, StatusCode::UNPROCESSABLE_ENTITY)),
    };
    match result {
        Ok(created) => Ok(see_other(&format!(
            "/aftaler/{}?besked=oprettet",
            created.agreement.id
        ))),
        Err((errors, status)) => {
            show_list(
                &state,
                &auth,
                lang,
                path,
                &ListQuery::default(),
                String::new(),
                errors,
                draft,
                status,
            )
            .await
        }
    }
}

/// Agreement `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<AgreementWithParties, Response>, ApiError> {
    let missing = |e: AppError| error_page(state, auth, lang, &format!("/aftaler/{id}"), e.into());
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing(AppError::not_found(Msg::new(
            format!("aftale {id}"),
            format!("agreement {id}"),
        )))));
    };
    match agreements::get(state.app(), auth.who(), number).await {
        Ok(a) => Ok(Ok(a)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing(e))),
        Err(e) => Err(e.into()),
    }
}

#[allow(clippy::too_many_arguments)]
async fn show_one(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: &AgreementWithParties,
    draft: Option<Draft>,
    notice: String,
    errors: Errors,
    conflict: bool,
    version: Option<i32>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let names = Names::load(state, auth).await?;
    let draft = draft.unwrap_or_else(|| Draft::of(stored));
    let g = &stored.agreement;
    let mut response = render(&AgreementPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            g.title.clone(),
            "agreements",
            &format!("/aftaler/{}", g.id),
        ),
        id: g.id,
        archived: g.archived,
        version: version.unwrap_or(g.version),
        notice,
        errors,
        kinds: kind_choices(&draft.kind, lang, lang.pick("Vælg …", "Choose …")),
        products: names.product_choices(&draft.product_id, lang),
        parties: party_choices(&names, &draft.parties),
        draft,
        stored: conflict.then(|| row(stored, &names, lang)),
        stored_economy: g.economy.clone().unwrap_or_default(),
        stored_document_url: g.document_url.clone().unwrap_or_default(),
    });
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /aftaler/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/aftaler");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(a) => a,
        Err(answer) => return Ok(answer),
    };
    show_one(
        &state,
        &auth,
        lang,
        &stored,
        None,
        notice(query.besked.as_deref(), lang),
        Errors::none(),
        false,
        None,
        StatusCode::OK,
    )
    .await
}

/// `POST /aftaler/{id}`: change it, based on the form's version; the parties chosen
/// replace the stored ones.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/aftaler/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(a) => a,
        Err(answer) => return Ok(answer),
    };
    let draft = Draft::read(&fields);
    let checked = fields.version(lang).map_err(Errors::general).and_then(|v| {
        draft
            .input(Some(v), Some(&stored), lang)
            .map(|input| (v, input))
    });
    let (version, input) = match checked {
        Ok(ok) => ok,
        Err(errors) => {
            let version = fields.version(lang).ok();
            return show_one(
                &state,
                &auth,
                lang,
                &stored,
                Some(draft),
                String::new(),
                errors,
                false,
                version,
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    match agreements::update(state.app(), auth.who(), stored.agreement.id, version, input).await {
        Ok(saved) => Ok(see_other(&format!(
            "/aftaler/{}?besked=gemt",
            saved.agreement.id
        ))),
        Err(e) => {
            let e = in_lang(e.into(), lang);
            let conflict = e.detail.code == "conflict";
            let errors = Errors::of(&e, lang, ("Aftalen", "The agreement"), FIELDS);
            // After a conflict the form carries the stored version: saving again is a
            // deliberate choice to replace it.
            show_one(
                &state,
                &auth,
                lang,
                &stored,
                Some(draft),
                String::new(),
                errors,
                conflict,
                (!conflict).then_some(version),
                e.status,
            )
            .await
        }
    }
}

/// `POST /aftaler/{id}/arkiver`: archive it, based on the form's version.
pub async fn archive(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/aftaler/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::EditPortfolio)) {
        return Ok(answer);
    }
    let stored = match find(&state, &auth, lang, &id).await? {
        Ok(a) => a,
        Err(answer) => return Ok(answer),
    };
    let result = match form_version(&fields) {
        Ok(version) => {
            agreements::archive(state.app(), auth.who(), stored.agreement.id, version).await
        }
        Err(error) => Err(error),
    }
    .map_err(|e| in_lang(e.into(), lang));
    match result {
        Ok(a) => Ok(see_other(&format!("/aftaler/{}?besked=arkiveret", a.id))),
        Err(e) => {
            let errors = if e.detail.code == "conflict" {
                Errors::general(
                    lang.pick(
                        "Aftalen er ændret af en anden, siden du hentede siden. Den er ikke arkiveret; siden viser nu den gemte udgave.",
                        "The agreement was changed by someone else after you loaded the page. It was not archived; the page now shows the stored version.",
                    )
                    .to_owned(),
                )
            } else {
                Errors::of(&e, lang, ("Aftalen", "The agreement"), &[])
            };
            show_one(
                &state,
                &auth,
                lang,
                &stored,
                None,
                String::new(),
                errors,
                false,
                None,
                e.status,
            )
            .await
        }
    }
}
