//! # niveau-report
//!
//! Documents: import every OS2 report generation (Markdown, form JSON); export the official Markdown templates, JSON, CSV, HTML fragments; accessible SVG charts; badges.
//!
//! This crate holds its boundary in the workspace from day one; its functionality
//! arrives with its own issue (see docs/ARCHITECTURE.md).
