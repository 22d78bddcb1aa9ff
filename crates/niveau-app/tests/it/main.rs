//! niveau-app's integration tests: the application's stories on real databases.

mod forge_issues;
mod wish_story;
