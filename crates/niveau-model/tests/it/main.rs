//! The integration tests of `niveau-model`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-model --test it <module>::`.

mod builtin_models;
mod count_tables;
mod docs_in_step;
mod loader_errors;
mod mapping_diff;
mod properties;
