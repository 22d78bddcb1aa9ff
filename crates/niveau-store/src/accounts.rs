//! Accounts, sessions, API tokens and single-sign-on logins in progress. Secrets arrive
//! here already hashed (niveau-web hashes passwords with argon2id and tokens with SHA-256);
//! the store never sees a password or a token in clear text.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, ModelTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::Store;
use crate::entity::{api_token, auth_flow, session, user_account};
use crate::error::{Result, StoreError};
use crate::json::{IdList, RoleList, StringList};
use crate::list::{ListParams, Page};
use crate::query::{lower_like, page};
use crate::types::Role;
use crate::validate;
use crate::versioned::{self, Aggregate, Change, ensure_free};
use crate::write::{Actor, map_unique, save};

/// The longest lifetime an API token can be given, in days (ten years). A token that
/// should live longer is made without an expiry.
pub const MAX_TOKEN_DAYS: u32 = 3650;

/// When a token made at `now` that lives `days` days expires: `None` unless `days` is
/// between 1 and [`MAX_TOKEN_DAYS`] (so the date arithmetic can never overflow).
pub fn token_expiry(
    now: chrono::DateTime<chrono::Utc>,
    days: u32,
) -> Option<chrono::DateTime<chrono::Utc>> {
    if !(1..=MAX_TOKEN_DAYS).contains(&days) {
        return None;
    }
    now.checked_add_signed(chrono::TimeDelta::try_days(i64::from(days))?)
}

/// An account as clients see it (no password hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct UserView {
    /// Id.
    pub id: i32,
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// The products a produktredaktør may edit.
    pub product_ids: Vec<i32>,
    /// Has a local password.
    pub has_password: bool,
    /// Linked single-sign-on issuer.
    pub oidc_issuer: Option<String>,
    /// Disabled.
    pub disabled: bool,
    /// Locked after failed logins until.
    pub locked_until: Option<chrono::DateTime<chrono::Utc>>,
    /// Last login.
    pub last_login_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Optimistic-concurrency version.
    pub version: i32,
}

impl From<&user_account::Model> for UserView {
    fn from(m: &user_account::Model) -> Self {
        UserView {
            id: m.id,
            username: m.username.clone(),
            display_name: m.display_name.clone(),
            email: m.email.clone(),
            roles: m.roles.0.clone(),
            product_ids: m.product_ids.0.clone(),
            has_password: m.password_hash.is_some(),
            oidc_issuer: m.oidc_issuer.clone(),
            disabled: m.disabled,
            locked_until: m.locked_until,
            last_login_at: m.last_login_at,
            version: m.version,
        }
    }
}

/// An API token as clients see it (no hash).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ApiTokenView {
    /// Id.
    pub id: i32,
    /// The account.
    pub user_id: i32,
    /// Name.
    pub name: String,
    /// Scopes.
    pub scopes: Vec<String>,
    /// Created.
    pub created_at: chrono::DateTime<chrono::Utc>,
    /// Expires.
    pub expires_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Revoked.
    pub revoked_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Last used.
    pub last_used_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<&api_token::Model> for ApiTokenView {
    fn from(m: &api_token::Model) -> Self {
        ApiTokenView {
            id: m.id,
            user_id: m.user_id,
            name: m.name.clone(),
            scopes: m.scopes.0.clone(),
            created_at: m.created_at,
            expires_at: m.expires_at,
            revoked_at: m.revoked_at,
            last_used_at: m.last_used_at,
        }
    }
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    pub email: Option<String>,
    /// argon2id PHC string, if the account has a local password.
    pub password_hash: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Products for a produktredaktør.
    pub product_ids: Vec<i32>,
    /// A linked single-sign-on identity (issuer, subject).
    pub oidc: Option<(String, String)>,
}

/// What an admin sends to change an account.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// Name shown.
    pub display_name: String,
    /// E-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Roles.
    pub roles: Vec<Role>,
    /// Products for a produktredaktør.
    #[serde(default)]
    pub product_ids: Vec<i32>,
    /// Disabled.
    #[serde(default)]
    pub disabled: bool,
    /// The version the change is based on.
    #[serde(default)]
    pub version: Option<i32>,
}

/// What else a password change ends ([`Store::set_password_with`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct PasswordChange<'a> {
    /// The session (hash of its cookie secret) to keep: the one of the person who changes
    /// their own password. All other sessions of the account end.
    pub keep_session: Option<&'a str>,
    /// Revoke all the account's API tokens too.
    pub revoke_tokens: bool,
}

/// What a password change ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub struct PasswordChanged {
    /// Sessions that ended (the account is logged out there).
    pub sessions_ended: u64,
    /// API tokens that were revoked.
    pub tokens_revoked: u64,
}

/// The Danish message of the [`StoreError::State`] that refuses a change that would leave
/// no enabled administrator (removing the admin role of, or disabling, the last one); see
/// [`StoreError::is_last_admin`].
pub const LAST_ADMIN: &str = "den sidste aktive administrator kan ikke miste administratorrollen eller deaktiveres; giv først en anden konto rollen admin";

/// The English message of the same refusal as [`LAST_ADMIN`].
pub const LAST_ADMIN_EN: &str = "the last active administrator cannot lose the administrator role or be disabled; first give another account the admin role";

/// A live session with its account.
#[derive(Debug, Clone)]
pub struct SessionWithUser {
    /// The session.
    pub session: session::Model,
    /// The account.
    pub user: user_account::Model,
}

/// A usable API token with its account.
#[derive(Debug, Clone)]
pub struct TokenWithUser {
    /// The token.
    pub token: api_token::Model,
    /// The account.
    pub user: user_account::Model,
}

fn check_username(name: &str) -> Result<String> {
    let name = validate::required("username", name, 100)?;
    if !name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'))
    {
        return Err(StoreError::invalid(
            "username",
            "må kun indeholde bogstaver, tal og . - _ @",
            "may only contain letters, digits and . - _ @",
        ));
    }
    Ok(name)
}

fn check_roles(roles: &[Role], product_ids: &[i32]) -> Result<()> {
    if roles.is_empty() {
        return Err(StoreError::invalid(
            "roles",
            "en konto har mindst én rolle",
            "an account has at least one role",
        ));
    }
    if !product_ids.is_empty() && !roles.contains(&Role::Produktredaktor) {
        return Err(StoreError::invalid(
            "product_ids",
            "kun en produktredaktør har produkter",
            "only a product editor has products",
        ));
    }
    Ok(())
}

fn is_active_admin(user: &user_account::Model) -> bool {
    !user.disabled && user.roles.0.contains(&Role::Admin)
}

/// Fails with [`LAST_ADMIN`] unless an enabled administrator other than `id` exists.
///
/// On PostgreSQL every account row is locked (in id order, so two such changes wait for
/// each other instead of deadlocking) before counting: two administrators removing each
/// other's role at the same time cannot both succeed. SQLite has one writer at a time.
async fn ensure_another_admin(txn: &sea_orm::DatabaseTransaction, id: i32) -> Result<()> {
    let users = user_account::Entity::find()
        .order_by_asc(user_account::Column::Id)
        .lock_exclusive()
        .all(txn)
        .await?;
    if users.iter().any(|u| u.id != id && is_active_admin(u)) {
        Ok(())
    } else {
        Err(StoreError::state(LAST_ADMIN, LAST_ADMIN_EN))
    }
}

/// An account is recorded in the audit log as clients see it (no password hash).
impl Aggregate for user_account::Entity {
    type View = UserView;

    async fn view(_txn: &DatabaseTransaction, row: user_account::Model) -> Result<UserView> {
        Ok(UserView::from(&row))
    }
}

async fn ensure_products(txn: &DatabaseTransaction, ids: &[i32]) -> Result<()> {
    for (i, id) in ids.iter().enumerate() {
        crate::products::ensure_product(txn, &format!("product_ids[{i}]"), *id).await?;
    }
    Ok(())
}

/// A new account, checked.
struct NewUserChange {
    username: String,
    display_name: String,
    email: Option<String>,
    input: NewUser,
}

fn check_new_user(input: NewUser) -> Result<NewUserChange> {
    let username = check_username(&input.username)?;
    let display_name = validate::required("display_name", &input.display_name, 200)?;
    let email = validate::optional("email", input.email.as_deref(), 320)?;
    check_roles(&input.roles, &input.product_ids)?;
    Ok(NewUserChange {
        username,
        display_name,
        email,
        input,
    })
}

impl Change for NewUserChange {
    type Of = user_account::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        _before: Option<&user_account::Model>,
    ) -> Result<()> {
        let username = user_account::Column::Username;
        ensure_free::<user_account::Entity>(txn, username, "username", &self.username, None)
            .await?;
        ensure_products(txn, &self.input.product_ids).await
    }

    fn fields(&self) -> user_account::ActiveModel {
        let (issuer, subject) = match &self.input.oidc {
            Some((issuer, subject)) => (Some(issuer.clone()), Some(subject.clone())),
            None => (None, None),
        };
        user_account::ActiveModel {
            username: Set(self.username.clone()),
            display_name: Set(self.display_name.clone()),
            email: Set(self.email.clone()),
            password_hash: Set(self.input.password_hash.clone()),
            roles: Set(RoleList(self.input.roles.clone())),
            product_ids: Set(IdList(self.input.product_ids.clone())),
            oidc_issuer: Set(issuer),
            oidc_subject: Set(subject),
            failed_logins: Set(0),
            locked_until: Set(None),
            disabled: Set(false),
            last_login_at: Set(None),
            ..Default::default()
        }
    }
}

/// A change to an account, checked.
struct UserChange {
    display_name: String,
    email: Option<String>,
    input: UserUpdate,
}

fn check_user_update(input: UserUpdate) -> Result<UserChange> {
    let display_name = validate::required("display_name", &input.display_name, 200)?;
    let email = validate::optional("email", input.email.as_deref(), 320)?;
    check_roles(&input.roles, &input.product_ids)?;
    Ok(UserChange {
        display_name,
        email,
        input,
    })
}

impl Change for UserChange {
    type Of = user_account::Entity;

    async fn check_in(
        &self,
        txn: &DatabaseTransaction,
        before: Option<&user_account::Model>,
    ) -> Result<()> {
        let stays_admin = !self.input.disabled && self.input.roles.contains(&Role::Admin);
        if let Some(before) = before
            && !stays_admin
            && is_active_admin(before)
        {
            ensure_another_admin(txn, before.id).await?;
        }
        ensure_products(txn, &self.input.product_ids).await
    }

    fn fields(&self) -> user_account::ActiveModel {
        user_account::ActiveModel {
            display_name: Set(self.display_name.clone()),
            email: Set(self.email.clone()),
            roles: Set(RoleList(self.input.roles.clone())),
            product_ids: Set(IdList(self.input.product_ids.clone())),
            disabled: Set(self.input.disabled),
            ..Default::default()
        }
    }

    /// A disabled account's sessions end.
    async fn written(
        self,
        txn: &DatabaseTransaction,
        row: user_account::Model,
    ) -> Result<UserView> {
        if row.disabled {
            session::Entity::delete_many()
                .filter(session::Column::UserId.eq(row.id))
                .exec(txn)
                .await?;
        }
        Ok(UserView::from(&row))
    }
}

impl Store {
    /// Create an account.
    pub async fn create_user(&self, actor: &Actor, input: NewUser) -> Result<UserView> {
        versioned::create(self, actor, check_new_user(input)?).await
    }

    /// Change an account's roles, products, name or state. A disabled account's sessions
    /// end. Refused with [`StoreError::State`] ([`LAST_ADMIN`]) when it would leave no
    /// enabled administrator.
    pub async fn update_user(
        &self,
        actor: &Actor,
        id: i32,
        expected: i32,
        input: UserUpdate,
    ) -> Result<UserView> {
        versioned::update(self, actor, id, expected, check_user_update(input)?).await
    }

    /// Set (or replace) an account's password hash; ends all its sessions and revokes all
    /// its API tokens (see [`Store::set_password_with`] to keep some).
    pub async fn set_password(
        &self,
        actor: &Actor,
        id: i32,
        password_hash: String,
    ) -> Result<PasswordChanged> {
        self.set_password_with(
            actor,
            id,
            password_hash,
            PasswordChange {
                keep_session: None,
                revoke_tokens: true,
            },
        )
        .await
    }

    /// Set (or replace) an account's password hash. Its sessions end, except
    /// `change.keep_session` (the one making the change, when people change their own
    /// password); its API tokens are revoked if `change.revoke_tokens`. One transaction,
    /// with one audit event that says how many sessions and tokens ended.
    pub async fn set_password_with(
        &self,
        actor: &Actor,
        id: i32,
        password_hash: String,
        change: PasswordChange<'_>,
    ) -> Result<PasswordChanged> {
        let tx = self.tx(actor).await?;
        let before = crate::write::load_locked::<user_account::Entity>(&tx.txn, id).await?;
        save::<user_account::Entity>(
            &tx.txn,
            id,
            before.version,
            user_account::ActiveModel {
                password_hash: Set(Some(password_hash)),
                failed_logins: Set(0),
                locked_until: Set(None),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await?;
        let mut sessions = session::Entity::delete_many().filter(session::Column::UserId.eq(id));
        if let Some(keep) = change.keep_session {
            sessions = sessions.filter(session::Column::Id.ne(keep));
        }
        let sessions_ended = sessions.exec(&tx.txn).await?.rows_affected;
        let tokens_revoked = if change.revoke_tokens {
            api_token::Entity::update_many()
                .col_expr(api_token::Column::RevokedAt, Expr::value(tx.now))
                .filter(api_token::Column::UserId.eq(id))
                .filter(api_token::Column::RevokedAt.is_null())
                .exec(&tx.txn)
                .await?
                .rows_affected
        } else {
            0
        };
        let changed = PasswordChanged {
            sessions_ended,
            tokens_revoked,
        };
        tx.audit("password", "user", Some(id), None::<&()>, Some(&changed))
            .await?;
        tx.commit().await?;
        Ok(changed)
    }

    /// One account.
    pub async fn user(&self, id: i32) -> Result<user_account::Model> {
        user_account::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("user", id))
    }

    /// An account by login name.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<user_account::Model>> {
        Ok(user_account::Entity::find()
            .filter(user_account::Column::Username.eq(username.trim()))
            .one(self.conn())
            .await?)
    }

    /// An account by its linked single-sign-on identity.
    pub async fn user_by_oidc(
        &self,
        issuer: &str,
        subject: &str,
    ) -> Result<Option<user_account::Model>> {
        Ok(user_account::Entity::find()
            .filter(user_account::Column::OidcIssuer.eq(issuer))
            .filter(user_account::Column::OidcSubject.eq(subject))
            .one(self.conn())
            .await?)
    }

    /// Link a single-sign-on identity to an account.
    pub async fn link_oidc(
        &self,
        actor: &Actor,
        id: i32,
        issuer: &str,
        subject: &str,
    ) -> Result<()> {
        let tx = self.tx(actor).await?;
        let before = crate::write::load_locked::<user_account::Entity>(&tx.txn, id).await?;
        save::<user_account::Entity>(
            &tx.txn,
            id,
            before.version,
            user_account::ActiveModel {
                oidc_issuer: Set(Some(issuer.to_string())),
                oidc_subject: Set(Some(subject.to_string())),
                updated_at: Set(tx.now),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| match e {
            StoreError::Duplicate { .. } => StoreError::Duplicate {
                field: "oidc_subject",
                value: subject.to_string(),
            },
            other => other,
        })?;
        tx.audit(
            "link_oidc",
            "user",
            Some(id),
            None::<&()>,
            Some(&serde_json::json!({"issuer": issuer, "subject": subject})),
        )
        .await?;
        tx.commit().await
    }

    /// Whether any account exists (the first start prints how to create one).
    pub async fn has_users(&self) -> Result<bool> {
        Ok(user_account::Entity::find()
            .one(self.conn())
            .await?
            .is_some())
    }

    /// Accounts; sort by username.
    pub async fn list_users(&self, params: &ListParams) -> Result<Page<UserView>> {
        let mut q = user_account::Entity::find();
        if let Some(text) = params.query() {
            q = q.filter(lower_like(user_account::Column::Username, &text));
        }
        q = q.order_by_asc(user_account::Column::Username);
        Ok(page(q, params, self.conn())
            .await?
            .map(|m| UserView::from(&m)))
    }

    /// Record a successful login: last login set, and the failure count and lock of earlier
    /// versions cleared (logins are now guarded per client in niveau-web, not per account).
    pub async fn record_login_success(&self, id: i32) -> Result<()> {
        let now = self.now();
        let _guard = self.write_guard().await;
        user_account::Entity::update_many()
            .col_expr(user_account::Column::FailedLogins, Expr::value(0))
            .col_expr(
                user_account::Column::LockedUntil,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(user_account::Column::LastLoginAt, Expr::value(now))
            .filter(user_account::Column::Id.eq(id))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Store a new session (`id_hash` is the SHA-256 of the cookie secret).
    pub async fn create_session(
        &self,
        id_hash: &str,
        user_id: i32,
        csrf_token: &str,
        ttl: chrono::Duration,
    ) -> Result<session::Model> {
        let now = self.now();
        let _guard = self.write_guard().await;
        Ok(session::ActiveModel {
            id: Set(id_hash.to_string()),
            user_id: Set(user_id),
            csrf_token: Set(csrf_token.to_string()),
            created_at: Set(now),
            expires_at: Set(now + ttl),
            last_seen_at: Set(now),
        }
        .insert(self.conn())
        .await?)
    }

    /// A live session and its (enabled) account. Expired sessions are gone. The session's
    /// expiry slides forward by `ttl`, written at most once a minute.
    pub async fn session(
        &self,
        id_hash: &str,
        ttl: chrono::Duration,
    ) -> Result<Option<SessionWithUser>> {
        let now = self.now();
        let Some(session) = session::Entity::find_by_id(id_hash.to_string())
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        if session.expires_at <= now {
            let _guard = self.write_guard().await;
            session.delete(self.conn()).await?;
            return Ok(None);
        }
        let Some(user) = user_account::Entity::find_by_id(session.user_id)
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        if now - session.last_seen_at > chrono::Duration::minutes(1) {
            let _guard = self.write_guard().await;
            session::Entity::update_many()
                .col_expr(session::Column::LastSeenAt, Expr::value(now))
                .col_expr(session::Column::ExpiresAt, Expr::value(now + ttl))
                .filter(session::Column::Id.eq(id_hash))
                .exec(self.conn())
                .await?;
        }
        Ok(Some(SessionWithUser { session, user }))
    }

    /// End a session.
    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        let _guard = self.write_guard().await;
        session::Entity::delete_many()
            .filter(session::Column::Id.eq(id_hash))
            .exec(self.conn())
            .await?;
        Ok(())
    }

    /// Remove expired sessions and login flows; returns how many rows went.
    pub async fn purge_expired(&self) -> Result<u64> {
        let now = self.now();
        let _guard = self.write_guard().await;
        let a = session::Entity::delete_many()
            .filter(session::Column::ExpiresAt.lte(now))
            .exec(self.conn())
            .await?
            .rows_affected;
        let b = auth_flow::Entity::delete_many()
            .filter(auth_flow::Column::ExpiresAt.lte(now))
            .exec(self.conn())
            .await?
            .rows_affected;
        Ok(a + b)
    }

    /// Store a new API token (hashed).
    pub async fn create_api_token(
        &self,
        actor: &Actor,
        user_id: i32,
        name: &str,
        token_hash: &str,
        scopes: Vec<String>,
        expires_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<api_token::Model> {
        let name = validate::required("name", name, 100)?;
        for (i, scope) in scopes.iter().enumerate() {
            if !matches!(scope.as_str(), "read" | "write") {
                return Err(StoreError::invalid(
                    format!("scopes[{i}]"),
                    "mulige: read, write",
                    "possible: read, write",
                ));
            }
        }
        if scopes.is_empty() {
            return Err(StoreError::invalid(
                "scopes",
                "mindst ét scope: read eller write",
                "at least one scope: read or write",
            ));
        }
        let tx = self.tx(actor).await?;
        let model = api_token::ActiveModel {
            user_id: Set(user_id),
            name: Set(name),
            token_hash: Set(token_hash.to_string()),
            scopes: Set(StringList(scopes)),
            created_at: Set(tx.now),
            expires_at: Set(expires_at),
            revoked_at: Set(None),
            last_used_at: Set(None),
            ..Default::default()
        }
        .insert(&tx.txn)
        .await
        .map_err(map_unique)?;
        tx.audit(
            "create",
            "api_token",
            Some(model.id),
            None::<&()>,
            Some(&ApiTokenView::from(&model)),
        )
        .await?;
        tx.commit().await?;
        Ok(model)
    }

    /// A usable token (not revoked, not expired, account enabled) by its hash.
    pub async fn api_token(&self, token_hash: &str) -> Result<Option<TokenWithUser>> {
        let now = self.now();
        let Some(token) = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(token_hash))
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        if token.revoked_at.is_some() || token.expires_at.is_some_and(|e| e <= now) {
            return Ok(None);
        }
        let Some(user) = user_account::Entity::find_by_id(token.user_id)
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        if user.disabled {
            return Ok(None);
        }
        if token
            .last_used_at
            .is_none_or(|t| now - t > chrono::Duration::minutes(1))
        {
            let _guard = self.write_guard().await;
            api_token::Entity::update_many()
                .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
                .filter(api_token::Column::Id.eq(token.id))
                .exec(self.conn())
                .await?;
        }
        Ok(Some(TokenWithUser { token, user }))
    }

    /// The tokens of an account (never the secrets).
    pub async fn api_tokens(&self, user_id: i32) -> Result<Vec<api_token::Model>> {
        Ok(api_token::Entity::find()
            .filter(api_token::Column::UserId.eq(user_id))
            .order_by_asc(api_token::Column::Id)
            .all(self.conn())
            .await?)
    }

    /// One token (for permission checks before revoking).
    pub async fn api_token_by_id(&self, id: i32) -> Result<api_token::Model> {
        api_token::Entity::find_by_id(id)
            .one(self.conn())
            .await?
            .ok_or_else(|| StoreError::not_found("api_token", id))
    }

    /// Revoke a token.
    pub async fn revoke_api_token(&self, actor: &Actor, id: i32) -> Result<api_token::Model> {
        let tx = self.tx(actor).await?;
        let before = api_token::Entity::find_by_id(id)
            .one(&tx.txn)
            .await?
            .ok_or_else(|| StoreError::not_found("api_token", id))?;
        let mut am: api_token::ActiveModel = before.clone().into();
        am.revoked_at = Set(Some(before.revoked_at.unwrap_or(tx.now)));
        let after = am.update(&tx.txn).await?;
        tx.audit(
            "revoke",
            "api_token",
            Some(id),
            Some(&ApiTokenView::from(&before)),
            Some(&ApiTokenView::from(&after)),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Remember a single-sign-on login in progress.
    pub async fn put_auth_flow(&self, flow: auth_flow::Model) -> Result<()> {
        let _guard = self.write_guard().await;
        auth_flow::ActiveModel::from(flow)
            .insert(self.conn())
            .await?;
        Ok(())
    }

    /// Take (and forget) a login in progress by its state; none if unknown or expired.
    pub async fn take_auth_flow(&self, state: &str) -> Result<Option<auth_flow::Model>> {
        let now = self.now();
        let _guard = self.write_guard().await;
        let Some(flow) = auth_flow::Entity::find_by_id(state.to_string())
            .one(self.conn())
            .await?
        else {
            return Ok(None);
        };
        // Single use: only the request that deletes the row may continue.
        let deleted = auth_flow::Entity::delete_many()
            .filter(auth_flow::Column::State.eq(state))
            .exec(self.conn())
            .await?;
        if deleted.rows_affected != 1 || flow.expires_at <= now {
            return Ok(None);
        }
        Ok(Some(flow))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_9_token_expiry_is_bounded() {
        let now = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap_or_default();
        assert_eq!(
            token_expiry(now, 90),
            Some(now + chrono::TimeDelta::days(90))
        );
        assert!(token_expiry(now, MAX_TOKEN_DAYS).is_some());
        assert_eq!(token_expiry(now, MAX_TOKEN_DAYS + 1), None);
        assert_eq!(token_expiry(now, 0), None);
        assert_eq!(token_expiry(now, 100_000_000), None);
        assert_eq!(token_expiry(now, u32::MAX), None);
        assert_eq!(
            token_expiry(chrono::DateTime::<chrono::Utc>::MAX_UTC, 1),
            None
        );
    }
}
