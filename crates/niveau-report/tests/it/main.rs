//! The integration tests of `niveau-report`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-report --test it <module>::`.

mod agreement;
mod backlog_import;
mod evaluation_export;
mod fuzz_import;
mod import_details;
mod import_fidelity;
mod import_fixtures;
mod model_documents;
mod pdf;
mod svg_charts;
