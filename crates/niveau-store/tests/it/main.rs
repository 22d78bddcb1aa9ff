//! The integration tests of `niveau-store`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Run one area with
//! `cargo test -p niveau-store --test it <module>::`.

mod outbox;
mod process_story;
mod races;
mod self_evaluation_dates;
mod story;
