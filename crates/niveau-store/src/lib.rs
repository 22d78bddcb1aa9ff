//! # niveau-store
//!
//! Persistence: one code path for SQLite and PostgreSQL; migrations; versioned records; optimistic concurrency; audit log; backup and restore.
//!
//! This crate holds its boundary in the workspace from day one; its functionality
//! arrives with its own issue (see docs/ARCHITECTURE.md).
