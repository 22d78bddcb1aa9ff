//! The integration tests of `niveau-scan`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-scan --test it <module>::`.

mod detectors;
mod product;
mod publiccode;
