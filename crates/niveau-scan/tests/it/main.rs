//! The integration tests of `niveau-scan`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-scan --test it <module>::`.

mod cache;
mod code_drop;
mod detectors;
mod divergence;
mod freshness;
mod lock_in;
mod one_core;
mod product;
mod publiccode;
mod publiccode_conformance;
mod publiccode_scan;
mod support;
mod tool_results;
