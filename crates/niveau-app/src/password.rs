//! Password hashing with Argon2id.
//!
//! Passwords are hashed with Argon2id (version 19) and the parameters recommended by OWASP and
//! used as defaults by the `argon2` crate: **19 MiB of memory (`m=19456` KiB), 2 iterations
//! (`t=2`), 1 lane (`p=1`)**, a 16-byte random salt and a 32-byte output. The result is a PHC
//! string such as `$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`, which carries its own
//! parameters: a hash made with other parameters (older or stronger) still verifies.

use argon2::{Argon2, PasswordHasher, PasswordVerifier};

/// A password that could not be hashed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PasswordError {
    /// The password could not be hashed (for example, the system random number generator
    /// failed while making the salt).
    #[error("could not hash the password: {0}")]
    Hash(String),
}

/// A PHC string with the same algorithm and parameters as [`hash_password`] makes, of a random
/// password nobody knows. [`dummy_verify`] checks against it so that a login for an unknown
/// user costs as much time as one for a known user.
///
/// A unit test checks that its parameters match the ones [`hash_password`] uses.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$XvdvFWBoYlS6vF/KVMg16A$2WU6qzu0SZJLnt2FBGW8IlfVqCYAN0//MfOs+nebpY8";

/// The hasher with the parameters described in the module documentation.
fn hasher() -> Argon2<'static> {
    Argon2::default()
}

/// Hashes `plain` with Argon2id and a fresh random salt, and returns the PHC string to store.
///
/// # Errors
///
/// [`PasswordError::Hash`] if the salt cannot be generated or the hasher fails; neither happens in
/// normal operation.
pub fn hash_password(plain: &str) -> Result<String, PasswordError> {
    hasher()
        .hash_password(plain.as_bytes())
        .map(|hash| hash.to_string())
        .map_err(|err| PasswordError::Hash(err.to_string()))
}

/// Returns whether `plain` is the password that `phc` was made from.
///
/// Returns `false`, and never panics, when `phc` is not a valid PHC string or names an
/// algorithm or parameters the hasher does not support. The comparison of the hash values is
/// constant-time.
pub fn verify_password(plain: &str, phc: &str) -> bool {
    hasher().verify_password(plain.as_bytes(), phc).is_ok()
}

/// Spends the time of one [`verify_password`] call and discards the result.
///
/// Call it when a login names a user that does not exist (or has no password), so that the
/// response time does not tell an attacker which user names exist.
pub fn dummy_verify(plain: &str) {
    // The result is always `false`; only the time spent matters.
    let _ = verify_password(plain, DUMMY_HASH);
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{Params, PasswordHash};

    #[test]
    fn hash_then_verify_accepts_the_password_and_rejects_others() {
        let phc = hash_password("korrekt hest batteri hæfteklamme").unwrap();
        assert!(verify_password("korrekt hest batteri hæfteklamme", &phc));
        assert!(!verify_password("korrekt hest batteri", &phc));
        assert!(!verify_password("", &phc));
    }

    #[test]
    fn hash_is_argon2id_with_the_documented_parameters() {
        let phc = hash_password("pw").unwrap();
        assert!(
            phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "unexpected PHC string {phc}"
        );
        let parsed = PasswordHash::new(&phc).unwrap();
        assert_eq!(parsed.salt.map(|salt| salt.len()), Some(16));
        assert_eq!(parsed.hash.map(|hash| hash.len()), Some(32));
    }

    #[test]
    fn same_password_gets_different_salts() {
        let first = hash_password("same").unwrap();
        let second = hash_password("same").unwrap();
        assert_ne!(first, second);
        assert!(verify_password("same", &first));
        assert!(verify_password("same", &second));
    }

    #[test]
    fn malformed_hashes_are_rejected_without_panicking() {
        for phc in [
            "",
            "not a hash",
            "$argon2id$",
            "$argon2id$v=19$m=19456,t=2,p=1$",
            "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$",
            "$argon2id$v=19$m=0,t=0,p=0$9w8bQ0QHBKcp7bqDMx+Sbg$vbIr+5OEB8jQkApcmPdDa1rpNS2mMx9r9U+/AnP+Fy0",
            "$bcrypt$v=19$m=19456,t=2,p=1$9w8bQ0QHBKcp7bqDMx+Sbg$vbIr+5OEB8jQkApcmPdDa1rpNS2mMx9r9U+/AnP+Fy0",
            "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW",
        ] {
            assert!(!verify_password("pw", phc), "accepted {phc:?}");
        }
    }

    #[test]
    fn dummy_hash_has_the_parameters_of_real_hashes() {
        let dummy = PasswordHash::new(DUMMY_HASH).unwrap();
        let real_phc = hash_password("pw").unwrap();
        let real = PasswordHash::new(&real_phc).unwrap();
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.version, real.version);
        assert_eq!(dummy.params, real.params);
        let params = Params::try_from(&dummy).unwrap();
        let default = Params::default();
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (default.m_cost(), default.t_cost(), default.p_cost()),
            "DUMMY_HASH must use the hasher's parameters"
        );
        assert_eq!(
            (params.m_cost(), params.t_cost(), params.p_cost()),
            (19_456, 2, 1)
        );
        assert_eq!(dummy.hash.map(|hash| hash.len()), Some(32));
    }

    #[test]
    fn dummy_verify_runs_on_any_input() {
        // The dummy hash must be well-formed, or dummy_verify would return early and be fast.
        assert!(
            argon2::Argon2::default()
                .verify_password(b"x", DUMMY_HASH)
                .is_err_and(|err| err == argon2::password_hash::Error::PasswordInvalid)
        );
        dummy_verify("");
        dummy_verify("anything");
    }
}
