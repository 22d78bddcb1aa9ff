//! SeaORM entities, one file per table. The API serialises most of them as they are.

pub mod agreement;
pub mod agreement_party;
pub mod api_token;
pub mod audit_event;
pub mod auth_flow;
pub mod board_case;
pub mod board_meeting;
pub mod decision;
pub mod evaluation;
pub mod evaluation_comment;
pub mod evaluation_round;
pub mod evaluation_version;
pub mod group_meeting;
pub mod group_member;
pub mod job;
pub mod organisation;
pub mod participant;
pub mod person;
pub mod product;
pub mod progress_report;
pub mod round_product;
pub mod scan_run;
pub mod self_evaluation;
pub mod session;
pub mod user_account;
pub mod work_group;
