//! The integration tests of `niveau-cli`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Helpers shared by several modules
//! are modules here too. Run one area with `cargo test -p niveau-cli --test it <module>::`.

mod browser;
mod check_cli;
mod check_org;
mod common;
mod crash;
mod demo;
mod messages;
mod model_cli;
mod publiccode_cli;
mod publish_cli;
mod report_cli;
mod serve;
mod support;
