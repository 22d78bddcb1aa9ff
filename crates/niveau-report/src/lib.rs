//! # niveau-report
//!
//! Documents, in Danish (default) or English:
//!
//! - [`import`]: every generation of OS2's self-evaluations and evaluations (Markdown
//!   since 2021, the self-evaluation form's JSON, Niveau's JSON) → [`document::Report`],
//!   keeping every original cell, with warnings per line and consistency findings;
//! - [`export`]: OS2's official Markdown (self-evaluation 1.1.0, evaluation 0.9.2),
//!   versioned JSON, CSV and an HTML fragment; [`svg`]: accessible charts and a level
//!   badge; [`draft`]: blank templates and draft evaluations proposed from answers;
//! - [`summary`]: what an import found, for people; [`model_doc`]: models, model diffs
//!   and the proposal table as text, Markdown and JSON.
//!
//! Like every library crate, this one never prints: it returns strings. See
//! docs/reports.md.

pub mod agreement;
pub mod amount;
pub mod annual;
pub mod document;
pub mod draft;
pub mod export;
pub mod import;
pub mod lang;
pub mod markdown;
pub mod model_doc;
pub mod pdf;
pub mod summary;
pub mod svg;
pub mod text;

pub use lang::Lang;
