//! # niveau-report
//!
//! Documents. Today: documents about governance models — a model as text, Markdown or
//! versioned JSON, a list of models, the differences between two models, and the
//! answer-to-rating proposal table — in Danish (default) or English.
//!
//! Planned here (see docs/ARCHITECTURE.md): import of every OS2 report generation
//! (Markdown, form JSON); export of the official Markdown templates, JSON, CSV and HTML
//! fragments; accessible SVG charts; level badges.
//!
//! Like every library crate, this one never prints: it returns strings.

pub mod document;
pub mod draft;
pub mod export;
pub mod import;
pub mod lang;
pub mod markdown;
pub mod model_doc;
pub mod summary;
pub mod svg;
pub mod text;

pub use lang::Lang;
