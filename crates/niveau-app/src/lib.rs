//! # niveau-app
//!
//! The application layer: every operation a person or the server performs on the
//! governance data — create a draft evaluation, save ratings, finalise, publish, submit a
//! self-evaluation, comment, record a decision, open a round, queue a scan, manage
//! accounts — as one function each. An operation takes the [`App`] (the store and the
//! models), the acting [`Principal`] (or none, for the public) and a typed input, checks
//! the permission ([`permissions`]) and the visibility rules next to it, and returns a
//! typed result or an [`AppError`] whose message comes in Danish and English.
//!
//! It knows nothing of HTTP, HTML or JSON bodies: `niveau-web` parses a request, calls one
//! operation and renders the answer; `niveau-cli` calls the same operations where it acts.
//!
//! Dependencies: niveau-model, niveau-report, niveau-scan, niveau-store.

pub mod accounts;
pub mod agreements;
pub mod annual;
pub mod audit;
pub mod board;
pub mod calendar;
pub mod decisions;
pub mod error;
pub mod evaluations;
pub mod evidence;
pub mod forge;
pub mod groups;
pub mod mail;
pub mod notifications;
pub mod organisations;
pub mod password;
pub mod permissions;
pub mod portfolio;
pub mod principal;
pub mod process;
pub mod products;
pub mod progress;
pub mod proposals;
pub mod publish;
pub mod rounds;
pub mod scans;
pub mod secrets;
pub mod self_evaluations;
pub mod statistics;
pub mod suppliers;
pub mod visibility;
pub mod wishes;
#[cfg(test)]
mod work_fixtures;

use std::sync::Arc;

use niveau_model::Registry;
use niveau_store::Store;

pub use error::{AppError, AppResult, ErrorKind};
pub use permissions::{Action, allowed, require};
pub use principal::{Caller, Principal};

/// What every operation works on: the store and the governance models (cheap to clone).
#[derive(Clone)]
pub struct App {
    store: Store,
    registry: Arc<Registry>,
}

impl App {
    /// The application over `store` with the models of `registry`.
    pub fn new(store: Store, registry: Arc<Registry>) -> App {
        App { store, registry }
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The governance models.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }
}
