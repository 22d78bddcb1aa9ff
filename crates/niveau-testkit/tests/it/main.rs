//! The integration tests of `niveau-testkit`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-testkit --test it <module>::`.

mod oidc;
mod postgres;
mod repo;
