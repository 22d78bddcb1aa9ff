//! Accounts: logging in (password and single sign-on), sessions, one's own API tokens,
//! and the administration of accounts (admins, and the operator at the console).
//!
//! The HTTP layer keeps what is HTTP: the login guard that makes a client wait after
//! failures, cookies, CSRF, the OpenID Connect exchange. Whether a name and password are
//! right, what a session or a token is, who may create or revoke one, the password rule
//! and the last-administrator rule are here, so the API, the pages and `niveau user`
//! apply the same ones.

use niveau_model::Msg;
use niveau_store::accounts::{
    ApiTokenView, MAX_TOKEN_DAYS, NewUser, PasswordChange, PasswordChanged, UserUpdate, UserView,
    token_expiry,
};
use niveau_store::entity::{api_token, user_account};
use niveau_store::types::Role;
use niveau_store::{ListParams, Page, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::App;
use crate::error::{AppError, AppResult};
use crate::password::{dummy_verify, hash_password, verify_password};
use crate::permissions::{Action, allowed, require};
use crate::principal::{Caller, Principal};
use crate::secrets::{hash_secret, new_api_token, new_secret};

/// The shortest password accepted, in characters.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// The name the audit log gives accounts made at their first single sign-on.
pub const SINGLE_SIGN_ON: &str = "single sign-on";

/// Refuses a password shorter than [`MIN_PASSWORD_CHARS`] (field `password`).
pub fn check_password(password: &str) -> AppResult<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AppError::invalid(
            "password",
            Msg::new(
                format!("adgangskoden skal være mindst {MIN_PASSWORD_CHARS} tegn"),
                format!("the password must be at least {MIN_PASSWORD_CHARS} characters"),
            ),
        ));
    }
    Ok(())
}

/// Checks the password rule ([`check_password`]), then hashes the password with argon2id
/// off the async threads: the PHC string to store.
pub async fn hash_checked(password: String) -> AppResult<String> {
    check_password(&password)?;
    tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

// ---------------------------------------------------------------------------------------
// Logging in
// ---------------------------------------------------------------------------------------

/// The answer to a name and a password.
#[derive(Debug, Clone)]
pub enum Credentials {
    /// Right, and the account may log in.
    Valid(Box<user_account::Model>),
    /// A wrong password, an unknown account, an account without a password or a disabled
    /// one: one answer for all, so nobody learns which ([`refused_login`]).
    Refused,
}

/// What a refused login is told: "forkert brugernavn eller adgangskode".
pub fn refused_login() -> Msg {
    Msg::new(
        "forkert brugernavn eller adgangskode",
        "wrong user name or password",
    )
}

/// Check a login by name and password. Anybody may ask (this is how one gets to be
/// somebody); the HTTP layer's login guard decides first whether this client must wait,
/// and counts the answer.
///
/// Every answer costs one argon2id verification, a dummy one when the account does not
/// exist or has no password, and every refusal is [`Credentials::Refused`], so neither the
/// answer nor its time tells whether the account exists or is disabled. An account's
/// stored `locked_until` (earlier versions locked an account for everyone) is not
/// consulted: no account is locked for all clients.
pub async fn authenticate(app: &App, username: &str, password: &str) -> AppResult<Credentials> {
    let user = app.store().user_by_username(username.trim()).await?;
    let hash = user.as_ref().and_then(|u| u.password_hash.clone());
    let password = password.to_owned();
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&password, &hash),
        None => {
            dummy_verify(&password);
            false
        }
    })
    .await
    .map_err(AppError::internal)?;
    Ok(match user {
        Some(user) if verified && !user.disabled => Credentials::Valid(Box::new(user)),
        _ => Credentials::Refused,
    })
}

/// A started session: the secret for the cookie (stored only as its hash) and the CSRF
/// token the session's pages and scripts send with changes.
#[derive(Debug, Clone)]
pub struct Session {
    /// The cookie's value.
    pub secret: String,
    /// The session's CSRF token.
    pub csrf_token: String,
    /// The account, as stored after the login (its last login is now).
    pub user: user_account::Model,
}

/// Start a session of `ttl` for `user`, whose credentials (a password, or a single sign-on)
/// were just found valid ([`authenticate`], [`single_sign_on`]); the login is recorded.
pub async fn start_session(
    app: &App,
    user: &user_account::Model,
    ttl: chrono::Duration,
) -> AppResult<Session> {
    let secret = new_secret();
    let csrf_token = new_secret();
    let store = app.store();
    store
        .create_session(&hash_secret(&secret), user.id, &csrf_token, ttl)
        .await?;
    store.record_login_success(user.id).await?;
    Ok(Session {
        secret,
        csrf_token,
        user: store.user(user.id).await?,
    })
}

/// End the session whose cookie value is `secret` (nothing when there is none).
pub async fn end_session(app: &App, secret: &str) -> AppResult<()> {
    Ok(app.store().delete_session(&hash_secret(secret)).await?)
}

/// Who the single-sign-on provider says logged in.
#[derive(Debug, Clone)]
pub struct SsoIdentity {
    /// The provider (issuer URL).
    pub issuer: String,
    /// The account at the provider.
    pub subject: String,
    /// E-mail, if the provider gave one (the new account's login name).
    pub email: Option<String>,
    /// Name, if the provider gave one.
    pub name: Option<String>,
}

/// A single-sign-on login under way at the provider.
#[derive(Debug, Clone)]
pub struct SsoFlow {
    /// The `state` sent to the provider; the provider sends it back.
    pub state: String,
    /// The nonce the ID token must carry.
    pub nonce: String,
    /// The PKCE verifier of the challenge sent.
    pub pkce_verifier: String,
    /// A local path to return to afterwards.
    pub return_to: String,
}

/// How long a login at the provider may take.
pub const SSO_FLOW_MINUTES: i64 = 10;

/// Remember a single-sign-on login that is sent to the provider, for
/// [`SSO_FLOW_MINUTES`].
pub async fn begin_sso(app: &App, flow: SsoFlow) -> AppResult<()> {
    let now = app.store().now();
    Ok(app
        .store()
        .put_auth_flow(niveau_store::entity::auth_flow::Model {
            state: flow.state,
            nonce: flow.nonce,
            pkce_verifier: flow.pkce_verifier,
            return_to: flow.return_to,
            created_at: now,
            expires_at: now + chrono::Duration::minutes(SSO_FLOW_MINUTES),
        })
        .await?)
}

/// The login under way with this `state`, taken (it can be completed once): `None` when
/// it is unknown or has expired.
pub async fn take_sso(app: &App, state: &str) -> AppResult<Option<SsoFlow>> {
    Ok(app.store().take_auth_flow(state).await?.map(|f| SsoFlow {
        state: f.state,
        nonce: f.nonce,
        pkce_verifier: f.pkce_verifier,
        return_to: f.return_to,
    }))
}

/// The account of a single sign-on.
#[derive(Debug, Clone)]
pub enum SsoAccount {
    /// The account, to start a session for.
    Ready(Box<user_account::Model>),
    /// No account is linked to the identity, and none is made on first login.
    NoAccount,
    /// The linked account is disabled.
    Disabled,
}

/// The account linked to a single sign-on `identity`. When there is none and
/// `create_with` names roles, the account is made with them (login name: the e-mail, or
/// `sso-<subject>`), written in the audit log as [`SINGLE_SIGN_ON`].
pub async fn single_sign_on(
    app: &App,
    identity: SsoIdentity,
    create_with: Option<Vec<Role>>,
) -> AppResult<SsoAccount> {
    let store = app.store();
    let user = match store
        .user_by_oidc(&identity.issuer, &identity.subject)
        .await?
    {
        Some(user) => user,
        None => {
            let Some(roles) = create_with else {
                return Ok(SsoAccount::NoAccount);
            };
            let who = Principal::system(SINGLE_SIGN_ON);
            let view = store
                .create_user(
                    &who.actor(),
                    NewUser {
                        username: identity
                            .email
                            .clone()
                            .unwrap_or_else(|| format!("sso-{}", identity.subject)),
                        display_name: identity
                            .name
                            .clone()
                            .unwrap_or_else(|| identity.subject.clone()),
                        email: identity.email,
                        password_hash: None,
                        roles,
                        product_ids: vec![],
                        oidc: Some((identity.issuer, identity.subject)),
                    },
                )
                .await?;
            store.user(view.id).await?
        }
    };
    Ok(if user.disabled {
        SsoAccount::Disabled
    } else {
        SsoAccount::Ready(Box::new(user))
    })
}

// ---------------------------------------------------------------------------------------
// One's own account
// ---------------------------------------------------------------------------------------

/// The caller's own account.
pub async fn me(app: &App, who: Caller<'_>) -> AppResult<user_account::Model> {
    let who = require(who, Action::ReadOwnAccount)?;
    Ok(app.store().user(who.user_id).await?)
}

/// One's own new password.
#[derive(Debug, Clone)]
pub struct ChangePassword {
    /// The current password: a session or token alone does not let anyone lock the
    /// account's owner out.
    pub current: String,
    /// The new password ([`check_password`]).
    pub new: String,
    /// Revoke the account's API tokens too.
    pub revoke_tokens: bool,
    /// The caller's own session (its cookie value), which stays logged in.
    pub own_session: Option<String>,
}

/// Change one's own password, given the current one (field `current_password` when it is
/// wrong). The account's other sessions end; its API tokens are revoked when asked.
pub async fn change_own_password(
    app: &App,
    who: Caller<'_>,
    input: ChangePassword,
) -> AppResult<PasswordChanged> {
    let who = require(who, Action::OwnAccount)?;
    let user = app.store().user(who.user_id).await?;
    let hash = user.password_hash.clone();
    let current = input.current;
    let verified = tokio::task::spawn_blocking(move || match hash {
        Some(hash) => verify_password(&current, &hash),
        None => {
            dummy_verify(&current);
            false
        }
    })
    .await
    .map_err(AppError::internal)?;
    if !verified {
        return Err(AppError::invalid(
            "current_password",
            Msg::new(
                "den nuværende adgangskode er forkert",
                "the current password is wrong",
            ),
        ));
    }
    let hash = hash_checked(input.new).await?;
    let keep = input.own_session.map(|secret| hash_secret(&secret));
    Ok(app
        .store()
        .set_password_with(
            &who.actor(),
            who.user_id,
            hash,
            PasswordChange {
                keep_session: keep.as_deref(),
                revoke_tokens: input.revoke_tokens,
            },
        )
        .await?)
}

/// The caller's API tokens, revoked and expired ones included (never their secrets).
pub async fn tokens(app: &App, who: Caller<'_>) -> AppResult<Vec<api_token::Model>> {
    let who = require(who, Action::ReadOwnAccount)?;
    Ok(app.store().api_tokens(who.user_id).await?)
}

/// A token to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenInput {
    /// A name for people ("CI-job").
    pub name: String,
    /// `read`, `write` (default: read).
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
    /// Expires after this many days, 1 to 3650 (default: never).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 3650)]
    pub expires_days: Option<u32>,
}

fn default_scopes() -> Vec<String> {
    vec!["read".into()]
}

/// A new token: the secret is shown this once.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct NewToken {
    /// The secret: send it as `Authorization: Bearer <token>`.
    pub token: String,
    /// The stored token.
    pub info: ApiTokenView,
}

/// Create an API token for the caller. A token that may only read cannot make one
/// (`insufficient_scope`); an expiry outside 1 to [`MAX_TOKEN_DAYS`] days is refused
/// (field `expires_days`).
pub async fn create_token(app: &App, who: Caller<'_>, input: TokenInput) -> AppResult<NewToken> {
    let who = require(who, Action::OwnAccount)?;
    issue_token(app, who, who.user_id, input).await
}

/// Create an API token for the account `user_id` (admins; `niveau user token`).
pub async fn create_token_for(
    app: &App,
    who: Caller<'_>,
    user_id: i32,
    input: TokenInput,
) -> AppResult<NewToken> {
    let who = require(who, Action::ManageUsers)?;
    issue_token(app, who, user_id, input).await
}

async fn issue_token(
    app: &App,
    who: &Principal,
    user_id: i32,
    input: TokenInput,
) -> AppResult<NewToken> {
    let expires_at = match input.expires_days {
        None => None,
        Some(days) => Some(token_expiry(app.store().now(), days).ok_or_else(|| {
            AppError::invalid(
                "expires_days",
                Msg::new(
                    format!(
                        "expires_days skal være mellem 1 og {MAX_TOKEN_DAYS} dage; udelad feltet for et token uden udløb"
                    ),
                    format!(
                        "expires_days must be between 1 and {MAX_TOKEN_DAYS} days; leave the field out for a token that never expires"
                    ),
                ),
            )
        })?),
    };
    let secret = new_api_token();
    let token = app
        .store()
        .create_api_token(
            &who.actor(),
            user_id,
            &input.name,
            &hash_secret(&secret),
            input.scopes,
            expires_at,
        )
        .await?;
    Ok(NewToken {
        token: secret,
        info: ApiTokenView::from(&token),
    })
}

/// Revoke an API token: one's own; admins any. Needs the `write` scope: a read-only token
/// cannot revoke anything. Somebody else's token does not exist for the caller.
pub async fn revoke_token(app: &App, who: Caller<'_>, id: i32) -> AppResult<api_token::Model> {
    let who = require(who, Action::OwnAccount)?;
    let token = app.store().api_token_by_id(id).await?;
    if token.user_id != who.user_id && !allowed(Some(who), Action::ManageUsers) {
        return Err(StoreError::not_found("api_token", id).into());
    }
    Ok(app.store().revoke_api_token(&who.actor(), id).await?)
}

/// Who presents the API token `secret`: the account, allowed to change things only when
/// the token has the `write` scope; `None` for an unknown, expired or revoked token. The
/// store notes when the token was last used.
pub async fn principal_from_token(app: &App, secret: &str) -> AppResult<Option<Principal>> {
    let Some(found) = app.store().api_token(&hash_secret(secret)).await? else {
        return Ok(None);
    };
    let can_write = found.token.scopes.0.iter().any(|s| s == "write");
    Ok(Some(principal_of(&found.user, can_write)))
}

/// Who holds the session with cookie value `secret`, and the session's CSRF token; `None`
/// for an unknown or expired session (the store ends an expired one; a live one is
/// kept alive for `ttl` from now).
pub async fn principal_from_session(
    app: &App,
    secret: &str,
    ttl: chrono::Duration,
) -> AppResult<Option<(Principal, String)>> {
    let Some(found) = app.store().session(&hash_secret(secret), ttl).await? else {
        return Ok(None);
    };
    Ok(Some((
        principal_of(&found.user, true),
        found.session.csrf_token.clone(),
    )))
}

/// The principal of an account.
fn principal_of(user: &user_account::Model, can_write: bool) -> Principal {
    Principal {
        user_id: user.id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        roles: user.roles.0.clone(),
        product_ids: user.product_ids.0.clone(),
        can_write,
        system: false,
    }
}

// ---------------------------------------------------------------------------------------
// Administering accounts
// ---------------------------------------------------------------------------------------

/// Accounts, a page at a time (admins).
pub async fn list_users(
    app: &App,
    who: Caller<'_>,
    params: &ListParams,
) -> AppResult<Page<UserView>> {
    require(who, Action::ManageUsers)?;
    Ok(app.store().list_users(params).await?)
}

/// One account (admins).
pub async fn user(app: &App, who: Caller<'_>, id: i32) -> AppResult<UserView> {
    require(who, Action::ManageUsers)?;
    Ok(UserView::from(&app.store().user(id).await?))
}

/// The account with this login name, if there is one (admins).
pub async fn user_by_name(
    app: &App,
    who: Caller<'_>,
    username: &str,
) -> AppResult<Option<user_account::Model>> {
    require(who, Action::ManageUsers)?;
    Ok(app.store().user_by_username(username).await?)
}

/// An account to create.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Password (at least 12 characters); none for single-sign-on-only accounts.
    #[serde(default)]
    pub password: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Products for a produktredaktør.
    #[serde(default)]
    pub product_ids: Vec<i32>,
}

/// Create an account (admins). A password must follow the password rule
/// ([`check_password`]); an account without one logs in by single sign-on only.
pub async fn create_user(app: &App, who: Caller<'_>, input: UserInput) -> AppResult<UserView> {
    let who = require(who, Action::ManageUsers)?;
    let password_hash = match input.password {
        Some(password) => Some(hash_checked(password).await?),
        None => None,
    };
    Ok(app
        .store()
        .create_user(
            &who.actor(),
            NewUser {
                username: input.username,
                display_name: input.display_name,
                email: input.email,
                password_hash,
                roles: input.roles,
                product_ids: input.product_ids,
                oidc: None,
            },
        )
        .await?)
}

/// Change an account's name, e-mail, roles, products or state (admins), based on
/// `version`. A change that would leave no enabled administrator is refused (the
/// last-administrator rule, [`is_last_admin`]); a disabled account's sessions end.
pub async fn update_user(
    app: &App,
    who: Caller<'_>,
    id: i32,
    version: i32,
    input: UserUpdate,
) -> AppResult<UserView> {
    let who = require(who, Action::ManageUsers)?;
    Ok(app
        .store()
        .update_user(&who.actor(), id, version, input)
        .await?)
}

/// Whether `error` is the refusal of the last-administrator rule: the last enabled
/// administrator cannot lose the role or be disabled.
pub fn is_last_admin(error: &AppError) -> bool {
    matches!(error, AppError::Store(e) if e.is_last_admin())
}

/// The administration pages' guard against locking oneself out: an admin may not disable
/// their own account or remove their own administrator role there (the API leaves this to
/// the last-administrator rule). Field `disabled` or `roles`.
pub fn refuse_own_lockout(who: &Principal, id: i32, change: &UserUpdate) -> AppResult<()> {
    if id != who.user_id || who.system {
        return Ok(());
    }
    if change.disabled {
        return Err(AppError::invalid(
            "disabled",
            Msg::new(
                "Du kan ikke deaktivere dig selv.",
                "You cannot disable yourself.",
            ),
        ));
    }
    if !change.roles.contains(&Role::Admin) {
        return Err(AppError::invalid(
            "roles",
            Msg::new(
                "Du kan ikke fjerne din egen administratorrolle.",
                "You cannot remove your own administrator role.",
            ),
        ));
    }
    Ok(())
}

/// A new password for an account.
#[derive(Debug, Clone)]
pub struct SetPassword {
    /// The password ([`check_password`]).
    pub password: String,
    /// Revoke the account's API tokens too.
    pub revoke_tokens: bool,
    /// The caller's own session (its cookie value), kept when admins set their own
    /// password; ignored for anyone else's account.
    pub own_session: Option<String>,
}

/// What setting a password did.
#[derive(Debug, Clone)]
pub struct PasswordSet {
    /// The account's login name.
    pub username: String,
    /// What ended.
    pub changed: PasswordChanged,
}

/// Set an account's password (admins). All the account's sessions end (but the caller's
/// own, when admins set their own password), and its API tokens are revoked unless
/// `revoke_tokens` is false.
pub async fn set_password(
    app: &App,
    who: Caller<'_>,
    id: i32,
    input: SetPassword,
) -> AppResult<PasswordSet> {
    let who = require(who, Action::ManageUsers)?;
    let user = app.store().user(id).await?;
    let hash = hash_checked(input.password).await?;
    let keep = input
        .own_session
        .filter(|_| !who.system && who.user_id == id)
        .map(|secret| hash_secret(&secret));
    let changed = app
        .store()
        .set_password_with(
            &who.actor(),
            id,
            hash,
            PasswordChange {
                keep_session: keep.as_deref(),
                revoke_tokens: input.revoke_tokens,
            },
        )
        .await?;
    Ok(PasswordSet {
        username: user.username,
        changed,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use niveau_store::{Store, StoreOptions};

    use super::*;
    use crate::ErrorKind;

    const PASSWORD: &str = "korrekt hest batteri";

    async fn app() -> App {
        let store = Store::connect("sqlite::memory:", &StoreOptions::default())
            .await
            .unwrap();
        store.migrate().await.unwrap();
        App::new(store, Arc::new(niveau_model::Registry::builtin().unwrap()))
    }

    fn console() -> Principal {
        Principal::system("test")
    }

    fn principal(user: &UserView) -> Principal {
        Principal {
            user_id: user.id,
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            roles: user.roles.clone(),
            product_ids: user.product_ids.clone(),
            can_write: true,
            system: false,
        }
    }

    async fn add(app: &App, name: &str, roles: &[Role], password: Option<&str>) -> UserView {
        create_user(
            app,
            Some(&console()),
            UserInput {
                username: name.into(),
                display_name: name.to_uppercase(),
                email: None,
                password: password.map(str::to_owned),
                roles: roles.to_vec(),
                product_ids: vec![],
            },
        )
        .await
        .unwrap()
    }

    fn update_of(user: &UserView) -> UserUpdate {
        UserUpdate {
            display_name: user.display_name.clone(),
            email: user.email.clone(),
            roles: user.roles.clone(),
            product_ids: user.product_ids.clone(),
            disabled: user.disabled,
            version: Some(user.version),
        }
    }

    #[test]
    fn passwords_need_twelve_characters_counted_as_characters() {
        assert!(check_password("æøåæøåæøåæøå").is_ok());
        let err = check_password("elleve tegn").unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Invalid);
        assert_eq!(err.field(), Some("password"));
        assert_eq!(err.message().da, "adgangskoden skal være mindst 12 tegn");
        assert_eq!(
            err.message().en,
            "the password must be at least 12 characters"
        );
    }

    #[tokio::test]
    async fn a_short_password_makes_no_account() {
        let app = app().await;
        let err = create_user(
            &app,
            Some(&console()),
            UserInput {
                username: "anna".into(),
                display_name: "Anna".into(),
                email: None,
                password: Some("kort".into()),
                roles: vec![Role::Admin],
                product_ids: vec![],
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.field(), Some("password"));
        assert!(
            app.store()
                .user_by_username("anna")
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn unknown_disabled_and_wrong_password_are_refused_alike() {
        let app = app().await;
        let admin = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let bo = add(&app, "bo", &[Role::Laeser], Some(PASSWORD)).await;
        let sso_only = add(&app, "carl", &[Role::Laeser], None).await;
        assert!(!sso_only.has_password);
        let mut disable = update_of(&bo);
        disable.disabled = true;
        update_user(&app, Some(&principal(&admin)), bo.id, bo.version, disable)
            .await
            .unwrap();

        match authenticate(&app, " anna ", PASSWORD).await.unwrap() {
            Credentials::Valid(user) => assert_eq!(user.id, admin.id),
            Credentials::Refused => panic!("the right password was refused"),
        }
        for (name, password) in [
            ("anna", "forkert adgangskode"),
            ("nobody", PASSWORD),
            ("bo", PASSWORD),
            ("carl", ""),
        ] {
            assert!(
                matches!(
                    authenticate(&app, name, password).await.unwrap(),
                    Credentials::Refused
                ),
                "{name} was let in"
            );
        }
        assert_eq!(refused_login().da, "forkert brugernavn eller adgangskode");
    }

    #[tokio::test]
    async fn a_session_is_stored_by_the_hash_of_its_secret_and_ends() {
        let app = app().await;
        let admin = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let Credentials::Valid(user) = authenticate(&app, "anna", PASSWORD).await.unwrap() else {
            panic!("refused");
        };
        let ttl = chrono::Duration::hours(1);
        let session = start_session(&app, &user, ttl).await.unwrap();
        assert_eq!(session.user.id, admin.id);
        assert!(
            session.user.last_login_at.is_some(),
            "the login is recorded"
        );
        let found = app
            .store()
            .session(&hash_secret(&session.secret), ttl)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(found.user.id, admin.id);
        assert_eq!(found.session.csrf_token, session.csrf_token);
        end_session(&app, &session.secret).await.unwrap();
        assert!(
            app.store()
                .session(&hash_secret(&session.secret), ttl)
                .await
                .unwrap()
                .is_none()
        );
    }

    #[tokio::test]
    async fn the_last_admin_cannot_be_demoted_or_disabled() {
        let app = app().await;
        let anna = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let who = principal(&anna);
        let mut demote = update_of(&anna);
        demote.roles = vec![Role::Laeser];
        let mut disable = update_of(&anna);
        disable.disabled = true;
        for change in [demote.clone(), disable.clone()] {
            let err = update_user(&app, Some(&console()), anna.id, anna.version, change)
                .await
                .unwrap_err();
            assert!(is_last_admin(&err), "{err:?}");
            assert_eq!(err.kind(), ErrorKind::State);
            assert_eq!(err.code(), "invalid_state");
        }
        assert_eq!(
            app.store().user(anna.id).await.unwrap().version,
            anna.version
        );
        // The pages refuse one's own lockout before the store is asked.
        assert_eq!(
            refuse_own_lockout(&who, anna.id, &disable)
                .unwrap_err()
                .message()
                .da,
            "Du kan ikke deaktivere dig selv."
        );
        assert_eq!(
            refuse_own_lockout(&who, anna.id, &demote)
                .unwrap_err()
                .field(),
            Some("roles")
        );
        assert!(refuse_own_lockout(&who, anna.id + 1, &demote).is_ok());
        // With a second administrator, anna can be demoted.
        add(&app, "carl", &[Role::Admin], Some(PASSWORD)).await;
        let demoted = update_user(&app, Some(&console()), anna.id, anna.version, demote)
            .await
            .unwrap();
        assert_eq!(demoted.roles, vec![Role::Laeser]);
    }

    #[tokio::test]
    async fn only_admins_manage_accounts() {
        let app = app().await;
        let anna = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let bo = add(&app, "bo", &[Role::Sekretariat], Some(PASSWORD)).await;
        let secretariat = principal(&bo);
        assert!(matches!(
            list_users(&app, Some(&secretariat), &ListParams::all()).await,
            Err(AppError::Forbidden)
        ));
        assert!(matches!(
            user(&app, None, anna.id).await,
            Err(AppError::Unauthenticated)
        ));
        let mut read_only = principal(&anna);
        read_only.can_write = false;
        assert!(matches!(
            update_user(&app, Some(&read_only), bo.id, bo.version, update_of(&bo)).await,
            Err(AppError::ReadOnlyToken)
        ));
        let page = list_users(&app, Some(&principal(&anna)), &ListParams::all())
            .await
            .unwrap();
        assert_eq!(
            page.items
                .iter()
                .map(|u| u.username.as_str())
                .collect::<Vec<_>>(),
            ["anna", "bo"]
        );
    }

    #[tokio::test]
    async fn a_read_only_principal_cannot_create_or_revoke_a_token() {
        let app = app().await;
        let bo = add(&app, "bo", &[Role::Laeser], Some(PASSWORD)).await;
        let mut reader = principal(&bo);
        let input = TokenInput {
            name: "ci".into(),
            scopes: vec!["read".into()],
            expires_days: Some(30),
        };
        let made = create_token(&app, Some(&reader), input.clone())
            .await
            .unwrap();
        assert!(made.token.starts_with("niveau_"));
        assert_eq!(made.info.user_id, bo.id);
        assert_eq!(made.info.scopes, ["read"]);
        assert!(made.info.expires_at.is_some());
        let stored = app
            .store()
            .api_token(&hash_secret(&made.token))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(stored.token.id, made.info.id);

        reader.can_write = false;
        let err = create_token(&app, Some(&reader), input).await.unwrap_err();
        assert!(matches!(err, AppError::ReadOnlyToken));
        assert_eq!(err.code(), "insufficient_scope");
        assert!(matches!(
            revoke_token(&app, Some(&reader), made.info.id).await,
            Err(AppError::ReadOnlyToken)
        ));
        assert_eq!(tokens(&app, Some(&reader)).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn token_expiry_is_checked_and_others_tokens_do_not_exist() {
        let app = app().await;
        let anna = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let bo = add(&app, "bo", &[Role::Laeser], Some(PASSWORD)).await;
        let carl = add(&app, "carl", &[Role::Laeser], Some(PASSWORD)).await;
        for days in [0, MAX_TOKEN_DAYS + 1, u32::MAX] {
            let err = create_token(
                &app,
                Some(&principal(&bo)),
                TokenInput {
                    name: "ci".into(),
                    scopes: vec!["read".into()],
                    expires_days: Some(days),
                },
            )
            .await
            .unwrap_err();
            assert_eq!(err.field(), Some("expires_days"), "{days}");
            assert!(err.message().en.contains("between 1 and 3650 days"));
        }
        assert!(
            tokens(&app, Some(&principal(&bo)))
                .await
                .unwrap()
                .is_empty()
        );

        let made = create_token_for(
            &app,
            Some(&console()),
            bo.id,
            TokenInput {
                name: "script".into(),
                scopes: vec!["read".into(), "write".into()],
                expires_days: None,
            },
        )
        .await
        .unwrap();
        assert_eq!(made.info.user_id, bo.id);
        assert!(matches!(
            create_token_for(
                &app,
                Some(&principal(&carl)),
                bo.id,
                TokenInput {
                    name: "x".into(),
                    scopes: vec!["read".into()],
                    expires_days: None,
                }
            )
            .await,
            Err(AppError::Forbidden)
        ));
        let missing = revoke_token(&app, Some(&principal(&carl)), made.info.id + 99)
            .await
            .unwrap_err();
        let hidden = revoke_token(&app, Some(&principal(&carl)), made.info.id)
            .await
            .unwrap_err();
        assert_eq!(hidden.kind(), ErrorKind::NotFound);
        assert_eq!(
            hidden.message().da,
            format!("API-token {} findes ikke", made.info.id),
            "somebody else's token is as absent as a missing one"
        );
        assert_eq!(missing.kind(), ErrorKind::NotFound);
        let revoked = revoke_token(&app, Some(&principal(&anna)), made.info.id)
            .await
            .unwrap();
        assert!(revoked.revoked_at.is_some(), "admins revoke anyone's token");
    }

    #[tokio::test]
    async fn a_new_password_ends_sessions_and_revokes_tokens_unless_kept() {
        let app = app().await;
        let anna = add(&app, "anna", &[Role::Admin], Some(PASSWORD)).await;
        let who = principal(&anna);
        let Credentials::Valid(user) = authenticate(&app, "anna", PASSWORD).await.unwrap() else {
            panic!("refused");
        };
        let ttl = chrono::Duration::hours(1);
        let mine = start_session(&app, &user, ttl).await.unwrap();
        let other = start_session(&app, &user, ttl).await.unwrap();
        create_token(
            &app,
            Some(&who),
            TokenInput {
                name: "ci".into(),
                scopes: vec!["read".into()],
                expires_days: None,
            },
        )
        .await
        .unwrap();
        let err = set_password(
            &app,
            Some(&who),
            anna.id,
            SetPassword {
                password: "kort".into(),
                revoke_tokens: true,
                own_session: None,
            },
        )
        .await
        .unwrap_err();
        assert_eq!(err.field(), Some("password"));
        let set = set_password(
            &app,
            Some(&who),
            anna.id,
            SetPassword {
                password: "et helt nyt kodeord".into(),
                revoke_tokens: true,
                own_session: Some(mine.secret.clone()),
            },
        )
        .await
        .unwrap();
        assert_eq!(set.username, "anna");
        assert_eq!(set.changed.sessions_ended, 1, "all but the admin's own");
        assert_eq!(set.changed.tokens_revoked, 1);
        let live = |secret: String| {
            let app = app.clone();
            async move {
                app.store()
                    .session(&hash_secret(&secret), ttl)
                    .await
                    .unwrap()
                    .is_some()
            }
        };
        assert!(live(mine.secret).await);
        assert!(!live(other.secret).await);
        assert!(matches!(
            authenticate(&app, "anna", "et helt nyt kodeord")
                .await
                .unwrap(),
            Credentials::Valid(_)
        ));
    }

    #[tokio::test]
    async fn one_changes_ones_own_password_only_with_the_current_one() {
        let app = app().await;
        let bo = add(&app, "bo", &[Role::Laeser], Some(PASSWORD)).await;
        let who = principal(&bo);
        let change = |current: &str, new: &str| ChangePassword {
            current: current.into(),
            new: new.into(),
            revoke_tokens: false,
            own_session: None,
        };
        let wrong = change_own_password(
            &app,
            Some(&who),
            change("gættet forkert", "et helt nyt kodeord"),
        )
        .await
        .unwrap_err();
        assert_eq!(wrong.field(), Some("current_password"));
        assert_eq!(wrong.message().en, "the current password is wrong");
        let short = change_own_password(&app, Some(&who), change(PASSWORD, "kort"))
            .await
            .unwrap_err();
        assert_eq!(short.field(), Some("password"));
        let mut read_only = who.clone();
        read_only.can_write = false;
        assert!(matches!(
            change_own_password(
                &app,
                Some(&read_only),
                change(PASSWORD, "et helt nyt kodeord")
            )
            .await,
            Err(AppError::ReadOnlyToken)
        ));
        assert!(matches!(
            authenticate(&app, "bo", PASSWORD).await.unwrap(),
            Credentials::Valid(_)
        ));
        change_own_password(&app, Some(&who), change(PASSWORD, "et helt nyt kodeord"))
            .await
            .unwrap();
        assert!(matches!(
            authenticate(&app, "bo", PASSWORD).await.unwrap(),
            Credentials::Refused
        ));
        assert!(matches!(
            authenticate(&app, "bo", "et helt nyt kodeord")
                .await
                .unwrap(),
            Credentials::Valid(_)
        ));
    }

    #[tokio::test]
    async fn the_first_single_sign_on_makes_the_account_when_allowed() {
        let app = app().await;
        let identity = SsoIdentity {
            issuer: "https://login.example".into(),
            subject: "s-1".into(),
            email: Some("dora@example.org".into()),
            name: Some("Dora".into()),
        };
        assert!(matches!(
            single_sign_on(&app, identity.clone(), None).await.unwrap(),
            SsoAccount::NoAccount
        ));
        let SsoAccount::Ready(dora) =
            single_sign_on(&app, identity.clone(), Some(vec![Role::Laeser]))
                .await
                .unwrap()
        else {
            panic!("no account made");
        };
        assert_eq!(dora.username, "dora@example.org");
        assert_eq!(dora.display_name, "Dora");
        assert_eq!(dora.roles.0, vec![Role::Laeser]);
        assert!(dora.password_hash.is_none());
        // The second login finds the same account, even without permission to create.
        let SsoAccount::Ready(again) = single_sign_on(&app, identity.clone(), None).await.unwrap()
        else {
            panic!("not found again");
        };
        assert_eq!(again.id, dora.id);
        let view = UserView::from(&*dora);
        let mut disable = update_of(&view);
        disable.disabled = true;
        update_user(&app, Some(&console()), dora.id, dora.version, disable)
            .await
            .unwrap();
        assert!(matches!(
            single_sign_on(&app, identity, None).await.unwrap(),
            SsoAccount::Disabled
        ));
    }
}
