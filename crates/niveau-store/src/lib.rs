//! # niveau-store
//!
//! Persistence for Niveau: one code path for SQLite and PostgreSQL (SeaORM), versioned
//! migrations, versioned records with optimistic concurrency, an append-only decision log,
//! an audit event for every change, a job queue that any instance can work, sessions and
//! tokens, and a logical backup that restores on either database.
//!
//! The store decides nothing about who may do what: that is niveau-app's permission
//! module. It guards the data's own rules: history is never rewritten, a stale update is a
//! conflict, the official level and the stage change only through decisions.
//!
//! ## One write path for the versioned aggregates
//!
//! Organisations, persons, products and their participants, groups and their members,
//! agreements, rounds and accounts are created, changed, archived and removed through one
//! generic path, `versioned.rs`: `create`, `update`, `archive` and `remove` each run one
//! transaction that checks the aggregate's rules, inserts at version 1 or updates only at
//! the version the caller saw (otherwise [`StoreError::Conflict`] with the stored record),
//! writes the children, bumps the parent's version, records one audit event (`create`,
//! `update`, `archive`, `delete`, with what was before and what is after) and commits.
//! An aggregate adds only what is its own: its table's name and columns (`Versioned`, in
//! `write.rs`), what the audit log records of a row and which row it hangs under
//! (`Aggregate`), and, on its checked input, the rules that need the database, the fields
//! it sets and the children it writes (`Change`). The checks that need no database run
//! before the transaction, in the public `Store` function that takes the input. Decisions,
//! evaluations and self-evaluations keep their own writes: they are append-only logs and
//! version rows with their own audit events, built on the same `write.rs` helpers.
//!
//! Errors that reach people ([`StoreError::Invalid`], [`StoreError::State`]) carry a
//! `niveau_model::Msg` in Danish and English; their `Display` is the Danish text.

// DeriveActiveEnum derives identifiers from the Danish values (æ, ø), which rustc flags as
// look-alikes of our ASCII variant names; they live in different types.
#![allow(confusable_idents)]

pub mod accounts;
pub mod agreements;
pub mod audit;
pub mod backup;
pub mod board;
pub mod comments;
pub mod db;
pub mod decisions;
pub mod entity;
pub mod error;
pub mod evaluations;
pub mod forge;
pub mod groups;
pub mod jobs;
pub mod json;
pub mod list;
pub mod migrate;
pub mod migration;
pub mod organisations;
pub mod outbox;
pub mod partners;
pub mod portfolio;
pub mod products;
pub mod progress;
mod query;
pub mod rounds;
pub mod types;
mod validate;
mod versioned;
pub mod versions;
pub mod wishes;
mod write;

pub use db::{Backend, Clock, Store, StoreOptions, normalise_url};
pub use error::{Result, StoreError};
pub use list::{ListParams, Page};
pub use migrate::MigrationReport;
pub use write::Actor;

/// Every foreign key: (table, column, parent table). Used by the PostgreSQL integrity check.
pub(crate) const FOREIGN_KEYS: &[(&str, &str, &str)] = &[
    ("person", "organisation_id", "organisation"),
    ("participant", "product_id", "product"),
    ("participant", "organisation_id", "organisation"),
    ("participant", "person_id", "person"),
    ("work_group", "product_id", "product"),
    ("group_member", "group_id", "work_group"),
    ("group_member", "person_id", "person"),
    ("group_member", "organisation_id", "organisation"),
    ("agreement", "product_id", "product"),
    ("agreement_party", "agreement_id", "agreement"),
    ("agreement_party", "organisation_id", "organisation"),
    ("self_evaluation", "product_id", "product"),
    ("evaluation", "product_id", "product"),
    ("evaluation", "self_evaluation_id", "self_evaluation"),
    ("evaluation_version", "evaluation_id", "evaluation"),
    ("evaluation_comment", "evaluation_id", "evaluation"),
    ("decision", "product_id", "product"),
    ("decision", "evaluation_id", "evaluation"),
    ("round_product", "round_id", "evaluation_round"),
    ("round_product", "product_id", "product"),
    ("scan_run", "product_id", "product"),
    ("session", "user_id", "user_account"),
    ("api_token", "user_id", "user_account"),
    ("notification_setting", "user_id", "user_account"),
];
