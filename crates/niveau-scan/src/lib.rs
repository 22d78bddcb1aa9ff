//! # niveau-scan
//!
//! Evidence from a product's source repository: which of OS2's formal requirements the
//! repository shows, as proposed ratings with a confidence and evidence for a person to
//! confirm.
//!
//! - [`source::RepoSource`]: what a scan reads (files, history, branches), with
//!   [`git::GitSource`] reading a git repository with gix under [`source::Limits`];
//! - [`detectors`]: one file per detector behind [`detectors::Detector`], and the
//!   registry [`detectors::all`];
//! - [`check`]: runs the detectors and works out the level the automatable requirements
//!   alone would allow; [`render`]: text, JSON and Markdown;
//! - [`product`]: one verdict for a product that lives in several repositories;
//! - [`portfolio`]: the registry's counterpart of the detectors: pure rules, one file
//!   each, that read a product's participants, groups and agreements and return findings
//!   shaped like a scan's;
//! - [`publiccode`]: publiccode.yml parsing and validation;
//! - [`clone`]: URLs are cloned (bare) into a cache directory first, within
//!   [`clone::CloneLimits`], if [`remote_policy::RemotePolicy`] allows the location;
//! - [`forge_org`]: the repositories of a GitHub organisation, Forgejo organisation or
//!   GitLab group, listed through the forge's API for `niveau check --org`;
//! - [`cache`]: incremental scans — a result is reused while the repository's HEAD, its
//!   branches and the [`SCANNER_VERSION`] are unchanged.
//!
//! Repositories are untrusted input: nothing in them is executed, no symlink is
//! followed, every blob read is bounded, and missing or corrupt objects become warnings.

pub mod cache;
pub mod check;
pub mod clone;
pub mod context;
pub mod detectors;
pub mod error;
pub mod finding;
pub mod forge_org;
pub mod git;
pub mod git_changes;
pub mod portfolio;
pub mod product;
pub mod publiccode;
pub mod remote_policy;
pub mod render;
pub mod source;

pub use cache::SCANNER_VERSION;
pub use check::{CheckOptions, CheckReport, check_repository, check_source};
pub use error::ScanError;
pub use finding::{Evidence, Finding, ScanWarning};
pub use source::{Content, Limits, RepoSource, Snapshot};
