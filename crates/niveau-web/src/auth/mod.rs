//! Authentication plumbing of the HTTP layer: who is asking ([`principal`]: cookies,
//! tokens, CSRF), the login guard ([`ratelimit`], [`login`]), session cookies
//! ([`session`]) and OpenID Connect login ([`oidc`], [`routes`]).
//!
//! These pieces hold no state about users or sessions; the store keeps that, and the
//! application layer ([`niveau_app::accounts`]) decides whether credentials are valid and
//! what a session or a token is. Password hashing and random secrets live there too
//! ([`password`] and [`token`] name them here).

pub mod login;
pub mod oidc;
pub mod password;
pub mod principal;
pub mod ratelimit;
pub mod routes;
pub mod session;
pub mod token;

/// An error of the local authentication functions ([`password`]).
pub use niveau_app::password::PasswordError as AuthError;
