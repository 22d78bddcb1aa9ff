//! # niveau-web
//!
//! The web application: HTML pages and the JSON API (/api/v1, OpenAPI); sessions, roles, i18n.
//!
//! This crate holds its boundary in the workspace from day one; its functionality
//! arrives with its own issue (see docs/ARCHITECTURE.md).
