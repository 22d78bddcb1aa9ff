//! Users and roles (`/admin/brugere`, admins only): the list with state and last login,
//! creating a user with roles, products and an initial password, changing roles and
//! products, disabling and enabling, and setting a new password. The API's operations
//! ([`niveau_app::accounts`]: the password rule, the last-administrator rule) do the work,
//! so the pages and the API agree.

use std::collections::HashMap;
use std::time::Instant;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use axum_extra::extract::CookieJar;
use niveau_app::accounts::{self, MIN_PASSWORD_CHARS, SetPassword, UserInput};
use niveau_app::{AppError, ErrorKind};
use niveau_model::Msg;
use niveau_report::Lang;
use niveau_store::ListParams;
use niveau_store::accounts::{UserUpdate, UserView};
use niveau_store::types::Role;

use super::{here, notice, problem, refuse};
use crate::auth::principal::Auth;
use crate::auth::session;
use crate::error::ApiError;
use crate::pages::form::{Fields, FormPost, NoticeQuery, see_other};
use crate::pages::lang::PageLang;
use crate::pages::{Choice, Layout, error_page, labels, render};
use crate::state::AppState;
use niveau_app::permissions::Action;

/// A user in the list.
struct UserRow {
    id: i32,
    username: String,
    display_name: String,
    roles: String,
    products: String,
    disabled: bool,
    locked: bool,
    last_login: String,
    version: i32,
    is_self: bool,
}

/// The stored account, shown next to the form after a conflict.
struct Stored {
    display_name: String,
    email: String,
    roles: String,
    products: String,
    disabled: bool,
}

/// What the visitor wrote in a user form.
#[derive(Debug, Default)]
struct Draft {
    username: String,
    display_name: String,
    email: String,
    roles: Vec<Role>,
    product_ids: Vec<i32>,
}

impl Draft {
    /// The form's values, and the first value that could not be read.
    fn read(fields: &Fields, lang: Lang) -> (Draft, Option<String>) {
        let mut problem = None;
        let mut roles = Vec::new();
        for value in fields.all("roles") {
            match Role::parse(value) {
                Some(role) if !roles.contains(&role) => roles.push(role),
                Some(_) => {}
                None => {
                    problem.get_or_insert(format!(
                        "{} «{value}»",
                        lang.pick("Ukendt rolle:", "Unknown role:")
                    ));
                }
            }
        }
        let mut product_ids = Vec::new();
        for value in fields.all("product_ids") {
            match value.parse::<i32>() {
                Ok(id) if !product_ids.contains(&id) => product_ids.push(id),
                Ok(_) => {}
                Err(_) => {
                    problem.get_or_insert(format!(
                        "{} «{value}»",
                        lang.pick("Ukendt produkt:", "Unknown product:")
                    ));
                }
            }
        }
        let draft = Draft {
            username: fields.one("username").to_owned(),
            display_name: fields.one("display_name").to_owned(),
            email: fields.one("email").to_owned(),
            roles,
            product_ids,
        };
        (draft, problem)
    }

    fn of(user: &UserView) -> Draft {
        Draft {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            email: user.email.clone().unwrap_or_default(),
            roles: user.roles.clone(),
            product_ids: user.product_ids.clone(),
        }
    }

    fn email(&self) -> Option<String> {
        (!self.email.is_empty()).then(|| self.email.clone())
    }

    /// The change of an account this draft asks for, keeping its state (`disabled`).
    fn update(&self, disabled: bool, version: i32) -> UserUpdate {
        UserUpdate {
            display_name: self.display_name.clone(),
            email: self.email(),
            roles: self.roles.clone(),
            product_ids: self.product_ids.clone(),
            disabled,
            version: Some(version),
        }
    }
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserRow>,
    notice: String,
    /// A refusal of a change in the list (disable, enable).
    error: String,
    /// A refusal of the new-user form, shown by the form.
    form_error: String,
    draft: Draft,
    roles: Vec<Choice>,
    products: Vec<Choice>,
    sso: bool,
    min_password: usize,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct UserPage {
    layout: Layout,
    id: i32,
    draft: Draft,
    roles: Vec<Choice>,
    products: Vec<Choice>,
    version: i32,
    disabled: bool,
    locked: bool,
    has_password: bool,
    last_login: String,
    notice: String,
    error: String,
    password_error: String,
    stored: Option<Stored>,
    is_self: bool,
    min_password: usize,
}

/// The role checkboxes.
fn role_choices(chosen: &[Role], lang: Lang) -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| Choice {
            value: r.as_str().to_owned(),
            label: labels::account_role(*r, lang).to_owned(),
            selected: chosen.contains(r),
        })
        .collect()
}

/// Products by id (name), and the choices of the product select sorted by name.
async fn products(
    state: &AppState,
    auth: &Auth,
    chosen: &[i32],
) -> Result<(HashMap<i32, String>, Vec<Choice>), ApiError> {
    let mut all = niveau_app::visibility::visible_products(state.store(), auth.who()).await?;
    all.sort_by_key(|p| p.name.to_lowercase());
    let choices = all
        .iter()
        .map(|p| Choice {
            value: p.id.to_string(),
            label: p.name.clone(),
            selected: chosen.contains(&p.id),
        })
        .collect();
    Ok((all.into_iter().map(|p| (p.id, p.name)).collect(), choices))
}

fn role_names(roles: &[Role], lang: Lang) -> String {
    roles
        .iter()
        .map(|r| labels::account_role(*r, lang))
        .collect::<Vec<_>>()
        .join(", ")
}

fn product_names(ids: &[i32], names: &HashMap<i32, String>) -> String {
    ids.iter()
        .map(|id| names.get(id).cloned().unwrap_or_else(|| format!("#{id}")))
        .collect::<Vec<_>>()
        .join(", ")
}

fn when(at: Option<chrono::DateTime<chrono::Utc>>) -> String {
    at.map(crate::pages::labels::date_time).unwrap_or_default()
}

/// What went wrong on the list page, and where to say it.
enum ListError {
    None,
    /// A change in the list (disable, enable): said at the top.
    List(String),
    /// The new-user form: said by the form, which keeps the draft.
    Form(String),
}

/// The list with the create form (holding `draft`), answered with `status`.
async fn show_list(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    notice: String,
    error: ListError,
    draft: Draft,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let (error, form_error) = match error {
        ListError::None => (String::new(), String::new()),
        ListError::List(e) => (e, String::new()),
        ListError::Form(e) => (String::new(), e),
    };
    let me = auth.0.as_ref().map(|p| p.user_id);
    let (names, choices) = products(state, auth, &draft.product_ids).await?;
    let waiting = state.login_guard().waiting_accounts(Instant::now());
    let users = accounts::list_users(state.app(), auth.who(), &ListParams::all())
        .await?
        .items
        .into_iter()
        .map(|u| UserRow {
            roles: role_names(&u.roles, lang),
            products: product_names(&u.product_ids, &names),
            locked: waiting.contains(&u.username),
            last_login: when(u.last_login_at),
            is_self: Some(u.id) == me,
            id: u.id,
            username: u.username,
            display_name: u.display_name,
            disabled: u.disabled,
            version: u.version,
        })
        .collect();
    let mut response = render(&UsersPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            lang.pick("Brugere og roller", "Users and roles"),
            "admin",
            "/admin/brugere",
        ),
        users,
        notice,
        error,
        form_error,
        roles: role_choices(&draft.roles, lang),
        products: choices,
        draft,
        sso: state.oidc().is_some(),
        min_password: MIN_PASSWORD_CHARS,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// What the user page shows besides the stored account.
#[derive(Default)]
struct Shown {
    draft: Option<Draft>,
    version: Option<i32>,
    notice: String,
    error: String,
    password_error: String,
    conflict: bool,
}

/// The user page for `user`, with the visitor's `draft` in the form if there is one.
async fn show_user(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    user: &UserView,
    view: Shown,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let draft = view.draft.unwrap_or_else(|| Draft::of(user));
    let (names, choices) = products(state, auth, &draft.product_ids).await?;
    let stored = view.conflict.then(|| Stored {
        display_name: user.display_name.clone(),
        email: user.email.clone().unwrap_or_default(),
        roles: role_names(&user.roles, lang),
        products: product_names(&user.product_ids, &names),
        disabled: user.disabled,
    });
    let mut response = render(&UserPage {
        layout: Layout::new(
            state,
            auth,
            lang,
            user.username.clone(),
            "admin",
            &format!("/admin/brugere/{}", user.id),
        ),
        id: user.id,
        roles: role_choices(&draft.roles, lang),
        products: choices,
        draft,
        version: view.version.unwrap_or(user.version),
        disabled: user.disabled,
        locked: state
            .login_guard()
            .waiting_accounts(Instant::now())
            .contains(&user.username),
        has_password: user.has_password,
        last_login: when(user.last_login_at),
        notice: view.notice,
        error: view.error,
        password_error: view.password_error,
        stored,
        is_self: auth.0.as_ref().map(|p| p.user_id) == Some(user.id),
        min_password: MIN_PASSWORD_CHARS,
    });
    *response.status_mut() = status;
    Ok(response)
}

/// The account `id` (from the path), or the 404 page.
async fn find(
    state: &AppState,
    auth: &Auth,
    lang: Lang,
    id: &str,
) -> Result<Result<UserView, Response>, ApiError> {
    let path = format!("/admin/brugere/{id}");
    let missing = || {
        let what = Msg::new(format!("bruger {id}"), format!("user {id}"));
        error_page(state, auth, lang, &path, ApiError::not_found(what))
    };
    let Ok(number) = id.parse::<i32>() else {
        return Ok(Err(missing()));
    };
    match accounts::user(state.app(), auth.who(), number).await {
        Ok(user) => Ok(Ok(user)),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(Err(missing())),
        Err(e) => Err(e.into()),
    }
}

/// The password rule's message in the page's language.
fn password_problem(error: &ApiError, lang: Lang) -> String {
    if error.detail.field.as_deref() == Some("password") {
        match lang {
            Lang::Da => format!("Adgangskoden skal være mindst {MIN_PASSWORD_CHARS} tegn."),
            Lang::En => format!("The password must be at least {MIN_PASSWORD_CHARS} characters."),
        }
    } else {
        error.message_in(lang).to_owned()
    }
}

/// `GET /admin/brugere`.
pub async fn list(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/brugere");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ManageUsers)) {
        return Ok(answer);
    }
    show_list(
        &state,
        &auth,
        lang,
        notice(query.notice(), lang),
        ListError::None,
        Draft::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /admin/brugere`: a new user; on success to the user's page.
pub async fn create(State(state): State<AppState>, post: FormPost) -> Result<Response, ApiError> {
    let FormPost {
        auth,
        lang,
        path: _,
        fields,
    } = post;
    if let Some(answer) = refuse(
        &state,
        &auth,
        lang,
        "/admin/brugere",
        auth.can(Action::ManageUsers),
    ) {
        return Ok(answer);
    }
    auth.require(Action::ManageUsers)?;
    let (draft, unreadable) = Draft::read(&fields, lang);
    let fail = |draft, error, status| {
        show_list(
            &state,
            &auth,
            lang,
            String::new(),
            ListError::Form(error),
            draft,
            status,
        )
    };
    if let Some(error) = unreadable {
        return fail(draft, error, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let password = fields.raw("password");
    let password = (!(password.is_empty() && state.oidc().is_some())).then(|| password.to_owned());
    let input = UserInput {
        username: draft.username.clone(),
        display_name: draft.display_name.clone(),
        email: draft.email(),
        password,
        roles: draft.roles.clone(),
        product_ids: draft.product_ids.clone(),
    };
    match accounts::create_user(state.app(), auth.who(), input).await {
        Ok(user) => Ok(see_other(&format!(
            "/admin/brugere/{}?besked=oprettet",
            user.id
        ))),
        Err(e) => {
            let e = ApiError::from(e);
            let error = if e.detail.field.as_deref() == Some("password") {
                password_problem(&e, lang)
            } else {
                problem(&e, lang, ("Brugeren", "The user"))
            };
            fail(draft, error, e.status).await
        }
    }
}

/// `GET /admin/brugere/{id}`.
pub async fn page(
    State(state): State<AppState>,
    auth: Auth,
    PageLang(lang): PageLang,
    uri: Uri,
    Path(id): Path<String>,
    Query(query): Query<NoticeQuery>,
) -> Result<Response, ApiError> {
    let path = here(&uri, "/admin/brugere");
    if let Some(answer) = refuse(&state, &auth, lang, path, auth.can(Action::ManageUsers)) {
        return Ok(answer);
    }
    let user = match find(&state, &auth, lang, &id).await? {
        Ok(user) => user,
        Err(answer) => return Ok(answer),
    };
    let view = Shown {
        notice: notice(query.notice(), lang),
        ..Default::default()
    };
    show_user(&state, &auth, lang, &user, view, StatusCode::OK).await
}

/// `POST /admin/brugere/{id}`: name, e-mail, roles and products, based on the version
/// the form was made from.
pub async fn update(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/admin/brugere/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::ManageUsers)) {
        return Ok(answer);
    }
    let who = auth.require(Action::ManageUsers)?.clone();
    let user = match find(&state, &auth, lang, &id).await? {
        Ok(user) => user,
        Err(answer) => return Ok(answer),
    };
    let (mut draft, unreadable) = Draft::read(&fields, lang);
    draft.username = user.username.clone();
    let version = fields.version(lang);
    let change = draft.update(user.disabled, version.clone().unwrap_or(user.version));
    let refused = unreadable
        .or_else(|| version.as_ref().err().cloned())
        .or_else(|| {
            accounts::refuse_own_lockout(&who, user.id, &change)
                .err()
                .map(|e| lang.msg(&e.message()).to_owned())
        });
    if let Some(error) = refused {
        let view = Shown {
            draft: Some(draft),
            error,
            ..Default::default()
        };
        return show_user(
            &state,
            &auth,
            lang,
            &user,
            view,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    }
    let version = version.unwrap_or(user.version);
    let saved = accounts::update_user(state.app(), auth.who(), user.id, version, change).await;
    match saved {
        Ok(user) => Ok(see_other(&format!(
            "/admin/brugere/{}?besked=gemt",
            user.id
        ))),
        Err(e) => {
            let (e, error) = user_problem(e, lang);
            let conflict = e.detail.code == "conflict";
            let view = Shown {
                draft: Some(draft),
                // After a conflict the form is based on the stored version, so saving
                // again is a deliberate choice to replace it.
                version: (!conflict).then_some(version),
                error,
                conflict,
                ..Default::default()
            };
            show_user(&state, &auth, lang, &user, view, e.status).await
        }
    }
}

/// `POST /admin/brugere/{id}/status`: disable (`disabled=true`) or enable a user, based
/// on the version the list showed. A disabled user's sessions end.
pub async fn status(
    State(state): State<AppState>,
    Path(id): Path<String>,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/admin/brugere/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::ManageUsers)) {
        return Ok(answer);
    }
    let who = auth.require(Action::ManageUsers)?.clone();
    let user = match find(&state, &auth, lang, &id).await? {
        Ok(user) => user,
        Err(answer) => return Ok(answer),
    };
    let disabled = fields.one("disabled") == "true";
    let fail = |error: String, status| {
        show_list(
            &state,
            &auth,
            lang,
            String::new(),
            ListError::List(error),
            Draft::default(),
            status,
        )
    };
    let version = match fields.version(lang) {
        Ok(v) => v,
        Err(error) => return fail(error, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    let change = Draft::of(&user).update(disabled, version);
    if let Err(e) = accounts::refuse_own_lockout(&who, user.id, &change) {
        let error = lang.msg(&e.message()).to_owned();
        return fail(error, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let saved = accounts::update_user(state.app(), auth.who(), user.id, version, change).await;
    match saved {
        Ok(_) => Ok(see_other(if disabled {
            "/admin/brugere?besked=deaktiveret"
        } else {
            "/admin/brugere?besked=aktiveret"
        })),
        Err(e) => {
            let (e, error) = user_problem(e, lang);
            let error = if e.detail.code == "conflict" {
                format!(
                    "{} {}",
                    user.username,
                    lang.pick(
                        "er ændret af en anden, siden du hentede siden. Intet er gemt; listen viser nu den gemte udgave.",
                        "was changed by someone else after you loaded the page. Nothing was saved; the list now shows the stored version.",
                    )
                )
            } else {
                error
            };
            fail(error, e.status).await
        }
    }
}

/// `POST /admin/brugere/{id}/adgangskode`: a new password (the API's rule). The user's
/// sessions end (but the admin's own, when admins set their own password), and the user's
/// API tokens are revoked unless `keep_tokens` is ticked.
pub async fn password(
    State(state): State<AppState>,
    Path(id): Path<String>,
    jar: CookieJar,
    post: FormPost,
) -> Result<Response, ApiError> {
    let FormPost {
        auth, lang, fields, ..
    } = post;
    let path = format!("/admin/brugere/{id}");
    if let Some(answer) = refuse(&state, &auth, lang, &path, auth.can(Action::ManageUsers)) {
        return Ok(answer);
    }
    auth.require(Action::ManageUsers)?;
    let user = match find(&state, &auth, lang, &id).await? {
        Ok(user) => user,
        Err(answer) => return Ok(answer),
    };
    let keep_tokens = fields.one("keep_tokens") == "true";
    let input = SetPassword {
        password: fields.raw("password").to_owned(),
        revoke_tokens: !keep_tokens,
        own_session: session::secret(&jar),
    };
    match accounts::set_password(state.app(), auth.who(), user.id, input).await {
        Ok(_) => {}
        Err(e) if e.field() == Some("password") => {
            let e = ApiError::from(e);
            let view = Shown {
                password_error: password_problem(&e, lang),
                ..Default::default()
            };
            return show_user(&state, &auth, lang, &user, view, e.status).await;
        }
        Err(e) => return Err(e.into()),
    }
    state.login_guard().forget_account(&user.username);
    Ok(see_other(&format!(
        "/admin/brugere/{}?besked={}",
        user.id,
        if keep_tokens {
            "adgangskode-tokens-beholdt"
        } else {
            "adgangskode"
        }
    )))
}

/// A refusal of a change of an account, as the answer and its text in the page's
/// language: the last-administrator rule, or [`problem`]'s text.
fn user_problem(error: AppError, lang: Lang) -> (ApiError, String) {
    let last_admin = accounts::is_last_admin(&error);
    let error = ApiError::from(error);
    if last_admin {
        let text = lang
            .pick(
                "Den sidste aktive administrator kan ikke miste administratorrollen eller deaktiveres. Giv først en anden bruger rollen administrator.",
                "The last active administrator cannot lose the administrator role or be disabled. First give another user the administrator role.",
            )
            .to_owned();
        return (error, text);
    }
    let text = problem(&error, lang, ("Brugeren", "The user"));
    (error, text)
}
