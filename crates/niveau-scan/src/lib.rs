//! # niveau-scan
//!
//! Repository evidence: a RepoSource trait, one file per detector, a registry; findings with suggested rating, confidence and evidence locations; publiccode.yml.
//!
//! This crate holds its boundary in the workspace from day one; its functionality
//! arrives with its own issue (see docs/ARCHITECTURE.md).
