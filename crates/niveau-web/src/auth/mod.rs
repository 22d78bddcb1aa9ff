//! Authentication building blocks: password hashes, random secrets and API tokens, a login
//! rate limiter and OpenID Connect login.
//!
//! These pieces hold no state about users or sessions; the store keeps that. They only do the
//! parts that are easy to get wrong: hashing, constant-time comparison, randomness, and the
//! OpenID Connect protocol checks.

pub mod oidc;
pub mod password;
pub mod principal;
pub mod ratelimit;
pub mod routes;
pub mod session;
pub mod token;

/// An error of the local authentication functions ([`password`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// The password could not be hashed (for example, the system random number generator
    /// failed while making the salt).
    #[error("could not hash the password: {0}")]
    Hash(String),
}
