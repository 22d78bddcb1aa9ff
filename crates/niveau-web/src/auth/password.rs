//! Password hashing with Argon2id: the application layer's ([`niveau_app::password`]),
//! named here too for the callers that knew it as `niveau_web::auth::password`.

pub use niveau_app::password::{PasswordError, dummy_verify, hash_password, verify_password};
