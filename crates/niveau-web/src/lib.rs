//! # niveau-web
//!
//! The web application: HTML pages and the JSON API (/api/v1, OpenAPI); sessions, roles, i18n.
//!
//! - [`auth`]: password hashing, secrets and tokens, a login rate limiter and OpenID Connect
//!   login.
//! - [`metrics`]: Prometheus metrics of the HTTP layer.

pub mod auth;
pub mod metrics;
