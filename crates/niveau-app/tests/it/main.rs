//! niveau-app's integration tests: the application's stories on real databases.

mod wish_story;
