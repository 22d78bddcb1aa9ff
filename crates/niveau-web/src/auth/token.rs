//! Random secrets for session ids, CSRF tokens and API tokens, and their stored form: the
//! application layer's ([`niveau_app::secrets`]), named here too for the HTTP plumbing
//! (cookies, the CSRF check) and the callers that knew it as `niveau_web::auth::token`.

pub use niveau_app::secrets::{
    API_TOKEN_PREFIX, SECRET_BYTES, constant_time_eq, hash_secret, new_api_token, new_secret,
};
