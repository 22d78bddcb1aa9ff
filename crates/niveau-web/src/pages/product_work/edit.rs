//! Creating a product from an idea (`/produkter/ny`), editing it
//! (`/produkter/{slug}/rediger`) and archiving it (`/produkter/{slug}/arkiver`), with
//! [`niveau_app::products`]' operations and permissions: the secretariat creates,
//! publishes, renames and archives; a product's editors change its other fields. A new
//! product starts as an idea (stage `idé`) and unpublished; its stage changes only
//! through the product process, never here.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use niveau_app::AppError;
use niveau_app::evaluations::DEFAULT_MODEL;
use niveau_app::permissions::Action;
use niveau_app::products::{self, ProductInput};
use niveau_report::Lang;
use niveau_store::entity::product;

use super::{
    Errors, FieldError, in_lang, is_conflict, is_internal, message, refusal, see_other, sends_away,
    status_of, with_status,
};
use crate::auth::principal::Auth;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, labels, render};
use crate::state::AppState;

/// What the visitor wrote in the product form, as text so nothing is lost.
#[derive(Debug, Default, Clone)]
pub(super) struct Draft {
    name: String,
    slug: String,
    short_description: String,
    long_description: String,
    /// One repository a line.
    repositories: String,
    website: String,
    license: String,
    target_level: String,
    published: bool,
}

impl Draft {
    fn read(fields: &Fields) -> Draft {
        Draft {
            name: fields.one("name").to_owned(),
            slug: fields.one("slug").to_owned(),
            short_description: fields.one("short_description").to_owned(),
            long_description: fields.raw("long_description").trim_end().to_owned(),
            repositories: fields.one("repositories").to_owned(),
            website: fields.one("website").to_owned(),
            license: fields.one("license").to_owned(),
            target_level: fields.one("target_level").to_owned(),
            published: fields.one("published") == "1",
        }
    }

    fn of(p: &product::Model) -> Draft {
        Draft {
            name: p.name.clone(),
            slug: p.slug.clone(),
            short_description: p.short_description.clone(),
            long_description: p.long_description.clone(),
            repositories: p.repositories.0.join("\n"),
            website: p.website.clone().unwrap_or_default(),
            license: p.license.clone().unwrap_or_default(),
            target_level: p.target_level.clone().unwrap_or_default(),
            published: p.published,
        }
    }

    /// The repositories, one a non-empty line.
    fn repository_list(&self) -> Vec<String> {
        self.repositories
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    }

    /// The operation's input, on top of `stored` (what the form does not hold stays).
    fn input(&self, stored: Option<&product::Model>) -> ProductInput {
        let text = |t: &str| (!t.is_empty()).then(|| t.to_owned());
        ProductInput {
            slug: self.slug.clone(),
            name: self.name.clone(),
            short_description: self.short_description.clone(),
            long_description: self.long_description.clone(),
            stage: None,
            official_level: None,
            target_level: text(&self.target_level),
            website: text(&self.website),
            license: text(&self.license),
            repositories: self.repository_list(),
            publiccode: stored.and_then(|p| p.publiccode.clone()),
            published: self.published,
            version: None,
        }
    }
}

/// A slug suggested from a product's name: lowercase ASCII letters and digits with
/// hyphens between words (`OS2 Fælles Login` → `os2-faelles-login`).
pub fn suggest_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.to_lowercase().chars() {
        let part: &str = match c {
            'æ' => "ae",
            'ø' => "oe",
            'å' => "aa",
            'é' | 'è' | 'ê' => "e",
            'ü' => "u",
            'ö' => "o",
            'ä' => "a",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(part);
    }
    let mut slug = String::new();
    for piece in out.split('-').filter(|p| !p.is_empty()) {
        if slug.len() + piece.len() + 1 > 64 {
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(piece);
    }
    slug
}

/// The form field an operation's error names (`repositories[2]` is the repositories
/// box); empty for the form as a whole.
fn field_of(error: &AppError) -> String {
    let field = error.field().unwrap_or("");
    let base = field.split('[').next().unwrap_or(field);
    match base {
        "name" | "slug" | "short_description" | "long_description" | "repositories" | "website"
        | "license" | "target_level" | "published" => base.to_owned(),
        _ => String::new(),
    }
}

/// The label of a form field, for the error summary.
fn label(field: &str, lang: Lang) -> &'static str {
    let (da, en) = match field {
        "name" => ("Navn", "Name"),
        "slug" => (
            "Kort navn i adressen (slug)",
            "Short name in the address (slug)",
        ),
        "short_description" => ("Kort beskrivelse", "Short description"),
        "long_description" => ("Lang beskrivelse", "Long description"),
        "repositories" => ("Repositorier", "Repositories"),
        "website" => ("Hjemmeside", "Website"),
        "license" => ("Licens", "Licence"),
        "target_level" => ("Målniveau", "Target level"),
        "published" => ("Offentliggjort", "Published"),
        "bekraeft" => ("Bekræft arkivering", "Confirm archiving"),
        _ => ("", ""),
    };
    lang.pick(da, en)
}

/// An operation's refusal as the form's errors.
fn errors_of(error: &AppError, lang: Lang) -> Errors {
    if is_conflict(error) {
        return Errors::one(
            "",
            lang.pick(
                "Produktet er ændret af en anden, siden du hentede siden. Intet er gemt. Dine ændringer står stadig i formularen, og den gemte udgave står herunder. Gem igen for at erstatte den med dine ændringer.",
                "The product was changed by someone else after you loaded the page. Nothing was saved. Your changes are still in the form, and the stored version is shown below. Save again to replace it with your changes.",
            ),
        );
    }
    let field = field_of(error);
    Errors(vec![FieldError {
        field,
        message: message(error, lang),
    }])
}

/// The form's errors as the summary shows them: "Label: message".
fn summary(errors: &Errors, lang: Lang) -> Vec<FieldError> {
    errors
        .all()
        .iter()
        .map(|e| FieldError {
            field: e.field.clone(),
            message: if e.field.is_empty() {
                e.message.clone()
            } else {
                format!("{}: {}", label(&e.field, lang), e.message)
            },
        })
        .collect()
}

/// The stored product as the conflict box shows it.
struct Stored {
    name: String,
    slug: String,
    short_description: String,
    long_description: String,
    repositories: Vec<String>,
    website: String,
    license: String,
    target_level: String,
    published: &'static str,
    version: i32,
}

#[derive(Template)]
#[template(path = "product_form.html")]
struct FormPage {
    layout: Layout,
    /// Creating (true) or editing.
    is_new: bool,
    action: String,
    archive_action: String,
    /// The product's page, when editing.
    product_href: String,
    stored_name: String,
    draft: Draft,
    /// The version the form is based on (editing).
    version: i32,
    notice: String,
    errors: Errors,
    summary: Vec<FieldError>,
    stored: Option<Stored>,
    stage: &'static str,
    target_levels: Vec<Choice>,
    /// May publish and change the slug (the secretariat).
    can_publish: bool,
    /// May archive (the secretariat).
    can_archive: bool,
    archived: bool,
    /// The archive form's confirmation error.
    archive_error: String,
}

/// The target levels the product's model offers (its official model, else OS2's
/// current one), with the chosen one selected; a stored level the model does not know
/// stays choosable.
fn target_levels(
    state: &AppState,
    p: Option<&product::Model>,
    chosen: &str,
    lang: Lang,
) -> Vec<Choice> {
    let model_id = p
        .and_then(|p| p.official_model.clone())
        .unwrap_or_else(|| DEFAULT_MODEL.to_owned());
    let mut choices = vec![Choice {
        value: String::new(),
        label: lang.pick("(intet)", "(none)").to_owned(),
        selected: chosen.is_empty(),
    }];
    if let Ok(model) = state.registry().get(&model_id) {
        choices.extend(model.levels().iter().map(|l| Choice {
            value: l.id.to_string(),
            label: l.name.clone(),
            selected: l.id.as_str() == chosen,
        }));
    }
    if !chosen.is_empty() && !choices.iter().any(|c| c.value == chosen) {
        choices.push(Choice {
            value: chosen.to_owned(),
            label: labels::level(Some(chosen), lang),
            selected: true,
        });
    }
    choices
}

/// What the edit form shows for `stored` with `draft` (or the stored values).
#[allow(clippy::too_many_arguments)]
fn edit_page(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    stored: &product::Model,
    draft: Option<Draft>,
    version: i32,
    notice: String,
    errors: Errors,
    conflict: bool,
    archive_error: String,
) -> Response {
    let can_publish = auth.can(Action::PublishProduct);
    let mut draft = draft.unwrap_or_else(|| Draft::of(stored));
    if !can_publish {
        // What an editor may not change is shown as stored, never taken from the form.
        draft.slug = stored.slug.clone();
        draft.published = stored.published;
    }
    let path = format!("/produkter/{}/rediger", stored.slug);
    let shown = |level: Option<&str>| {
        level
            .map(|l| labels::level(Some(l), lang))
            .unwrap_or_default()
    };
    let page = FormPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            format!("{} {}", lang.pick("Rediger", "Edit"), stored.name),
            "portfolio",
            &in_lang(&path, lang),
        ),
        is_new: false,
        action: in_lang(&path, lang),
        archive_action: in_lang(&format!("/produkter/{}/arkiver", stored.slug), lang),
        product_href: format!("/produkter/{}", stored.slug),
        stored_name: stored.name.clone(),
        target_levels: target_levels(state, Some(stored), &draft.target_level, lang),
        draft,
        version,
        notice,
        summary: summary(&errors, lang),
        errors,
        stored: conflict.then(|| Stored {
            name: stored.name.clone(),
            slug: stored.slug.clone(),
            short_description: stored.short_description.clone(),
            long_description: stored.long_description.clone(),
            repositories: stored.repositories.0.clone(),
            website: stored.website.clone().unwrap_or_default(),
            license: stored.license.clone().unwrap_or_default(),
            target_level: shown(stored.target_level.as_deref()),
            published: if stored.published {
                lang.pick("Ja", "Yes")
            } else {
                lang.pick("Nej", "No")
            },
            version: stored.version,
        }),
        stage: labels::stage(stored.stage, lang),
        can_publish,
        can_archive: auth.can(Action::EditPortfolio),
        archived: stored.archived,
        archive_error,
    };
    render(&page)
}

/// The form for a new product.
fn new_page(state: &AppState, auth: &Auth, lang: Lang, draft: Draft, errors: Errors) -> Response {
    let page = FormPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Nyt produkt", "New product"),
            "portfolio",
            &in_lang("/produkter/ny", lang),
        ),
        is_new: true,
        action: in_lang("/produkter/ny", lang),
        archive_action: String::new(),
        product_href: String::new(),
        stored_name: String::new(),
        target_levels: Vec::new(),
        draft,
        version: 0,
        notice: String::new(),
        summary: summary(&errors, lang),
        errors,
        stored: None,
        stage: labels::stage(niveau_store::types::Stage::Ide, lang),
        can_publish: true,
        can_archive: false,
        archived: false,
        archive_error: String::new(),
    };
    render(&page)
}

/// The confirmation named by `?besked=` (a fixed set of texts).
fn notice(key: Option<&str>, lang: Lang) -> String {
    let (da, en) = match key.unwrap_or("") {
        "oprettet" => (
            "Produktet er oprettet som idé og er ikke offentliggjort. Udfyld resten her.",
            "The product is created as an idea and is not published. Fill in the rest here.",
        ),
        "gemt" => ("Ændringerne er gemt.", "The changes are saved."),
        "arkiveret" => (
            "Produktet er arkiveret: det er ikke længere offentligt og står ikke i listerne; dets historik bliver stående.",
            "The product is archived: it is no longer public and leaves the lists; its history stays.",
        ),
        _ => return String::new(),
    };
    lang.pick(da, en).to_owned()
}

/// `GET /produkter/ny`: the form for a new product (the secretariat).
pub async fn new_form(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
) -> Result<Response, ApiError> {
    let path = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/produkter/ny");
    if !auth.can(Action::EditPortfolio) {
        return Ok(refusal(&state, &auth, lang, path, AppError::Forbidden));
    }
    Ok(new_page(
        &state,
        &auth,
        lang,
        Draft::default(),
        Errors::default(),
    ))
}

/// `POST /produkter/ny`: create the product as an idea, unpublished; on success to its
/// edit page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    if !auth.can(Action::EditPortfolio) {
        return Ok(refusal(
            &state,
            &auth,
            lang,
            "/produkter/ny",
            AppError::Forbidden,
        ));
    }
    let mut draft = Draft::read(&fields);
    if draft.name.is_empty() {
        // Without a name there is no slug to suggest either: ask for the name, which is
        // what is missing, rather than for the slug.
        let errors = Errors::one("name", lang.pick("skal udfyldes", "is required"));
        return Ok(with_status(
            new_page(&state, &auth, lang, draft, errors),
            StatusCode::UNPROCESSABLE_ENTITY,
        ));
    }
    if draft.slug.is_empty() {
        draft.slug = suggest_slug(&draft.name);
    }
    let mut input = draft.input(None);
    // Created as an idea, unpublished, with nothing but names and descriptions.
    input.published = false;
    input.stage = Some(niveau_store::types::Stage::Ide);
    input.repositories = Vec::new();
    input.website = None;
    input.license = None;
    input.target_level = None;
    let locations = state.config().worker.remote_policy();
    match products::create(state.app(), auth.who(), input, &locations).await {
        Ok(created) => Ok(see_other(
            &format!("/produkter/{}/rediger?besked=oprettet", created.slug),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let status = status_of(&e);
            Ok(with_status(
                new_page(&state, &auth, lang, draft, errors_of(&e, lang)),
                status,
            ))
        }
    }
}

/// The product `slug` if the visitor may edit it, or the answer that sends them away.
async fn editable(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    slug: &str,
    path: &str,
) -> Result<Result<product::Model, Response>, ApiError> {
    match products::editable(state.app(), auth.who(), slug).await {
        Ok(p) => Ok(Ok(p)),
        Err(e) if sends_away(&e) => Ok(Err(refusal(state, auth, lang, path, e))),
        Err(e) => Err(e.into()),
    }
}

/// `GET /produkter/{slug}/rediger`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(slug): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let stored = match editable(&state, &auth, lang, &slug, path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    Ok(edit_page(
        &state,
        &auth,
        lang,
        &stored,
        None,
        stored.version,
        notice(query.notice(), lang),
        Errors::default(),
        false,
        String::new(),
    ))
}

/// `POST /produkter/{slug}/rediger`: change the product, based on the form's version.
pub async fn update(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    let stored = match editable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    let mut draft = Draft::read(&fields);
    let version = match fields.version(lang) {
        Ok(v) => v,
        Err(message) => {
            return Ok(with_status(
                edit_page(
                    &state,
                    &auth,
                    lang,
                    &stored,
                    Some(draft),
                    stored.version,
                    String::new(),
                    Errors::one("", message),
                    false,
                    String::new(),
                ),
                StatusCode::UNPROCESSABLE_ENTITY,
            ));
        }
    };
    if !auth.can(Action::PublishProduct) {
        draft.slug = stored.slug.clone();
        draft.published = stored.published;
    }
    let input = draft.input(Some(&stored));
    let locations = state.config().worker.remote_policy();
    match products::update(state.app(), auth.who(), &slug, version, input, &locations).await {
        Ok(saved) => Ok(see_other(
            &format!("/produkter/{}/rediger?besked=gemt", saved.slug),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let conflict = is_conflict(&e);
            // After a conflict the form carries the stored version: saving again is a
            // deliberate choice to replace it. Otherwise it keeps the version it had.
            let based_on = if conflict { stored.version } else { version };
            Ok(with_status(
                edit_page(
                    &state,
                    &auth,
                    lang,
                    &stored,
                    Some(draft),
                    based_on,
                    String::new(),
                    errors_of(&e, lang),
                    conflict,
                    String::new(),
                ),
                status_of(&e),
            ))
        }
    }
}

/// `POST /produkter/{slug}/arkiver`: archive the product (the secretariat), confirmed
/// with a checkbox, based on the form's version.
pub async fn archive(
    State(state): State<AppState>,
    Path(slug): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        fields,
        path,
    } = post;
    let stored = match editable(&state, &auth, lang, &slug, &path).await? {
        Ok(p) => p,
        Err(answer) => return Ok(answer),
    };
    if !auth.can(Action::EditPortfolio) {
        return Ok(refusal(&state, &auth, lang, &path, AppError::Forbidden));
    }
    let refused = |message: String, status: StatusCode, stored: &product::Model| {
        with_status(
            edit_page(
                &state,
                &auth,
                lang,
                stored,
                None,
                stored.version,
                String::new(),
                Errors::default(),
                false,
                message,
            ),
            status,
        )
    };
    if fields.one("bekraeft") != "1" {
        return Ok(refused(
            lang.pick(
                "Sæt flueben for at bekræfte, at produktet skal arkiveres.",
                "Tick the box to confirm that the product is to be archived.",
            )
            .to_owned(),
            StatusCode::UNPROCESSABLE_ENTITY,
            &stored,
        ));
    }
    let version = match fields.version(lang) {
        Ok(v) => v,
        Err(message) => return Ok(refused(message, StatusCode::UNPROCESSABLE_ENTITY, &stored)),
    };
    match products::archive(state.app(), auth.who(), &slug, version).await {
        Ok(archived) => Ok(see_other(
            &format!("/produkter/{}/rediger?besked=arkiveret", archived.slug),
            lang,
        )),
        Err(e) if is_internal(&e) || sends_away(&e) => Err(e.into()),
        Err(e) => {
            let message = if is_conflict(&e) {
                lang.pick(
                    "Produktet er ændret af en anden, siden du hentede siden. Det er ikke arkiveret; siden viser nu den gemte udgave.",
                    "The product was changed by someone else after you loaded the page. It was not archived; the page now shows the stored version.",
                )
                .to_owned()
            } else {
                message(&e, lang)
            };
            Ok(refused(message, status_of(&e), &stored))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::suggest_slug;

    #[test]
    fn a_slug_is_suggested_from_the_name() {
        assert_eq!(suggest_slug("OS2 Fælles Login"), "os2-faelles-login");
        assert_eq!(suggest_slug("  Åbent  Dokument!  "), "aabent-dokument");
        assert_eq!(suggest_slug("Ørsted & Co."), "oersted-co");
        assert_eq!(suggest_slug("!!!"), "");
    }
}
