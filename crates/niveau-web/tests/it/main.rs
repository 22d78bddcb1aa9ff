//! The integration tests of `niveau-web`: one test binary, one module per area, so the
//! crate links its tests once instead of once per file. Helpers shared by several modules
//! are modules here too. Run one area with `cargo test -p niveau-web --test it <module>::`.

mod accounts;
mod admin_pages;
mod api_evaluations;
mod api_portfolio;
mod api_products;
mod api_wishes;
mod board_pages;
mod calendar;
mod common;
mod forge_pages;
mod fuzz_api;
mod layering;
mod mail;
mod oidc;
mod pages;
mod permissions;
mod process_pages;
mod publish_job;
mod selfeval_editor;
mod smtp;
mod sso_login;
mod suppliers;
mod wish_pages;
mod wish_transfer;
mod work_pages;
mod worker;
mod workspace_groups;
mod workspace_products;
