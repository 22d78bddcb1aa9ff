//! Random secrets for session ids, CSRF tokens and API tokens, and their stored form.
//!
//! A secret is handed to the client once and stored only as its SHA-256 hash
//! ([`hash_secret`]), so a leaked database does not leak usable sessions or tokens. Because the
//! secrets carry 256 bits of randomness, a plain (unsalted, fast) hash is enough; passwords,
//! which carry little randomness, use [`crate::password`] instead.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::CryptoRng;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

/// The number of random bytes in a secret.
pub const SECRET_BYTES: usize = 32;

/// The prefix of every API token, so that tokens are easy to recognise (for example by secret
/// scanners) and cannot be mistaken for a session id.
pub const API_TOKEN_PREFIX: &str = "niveau_";

/// Fills `buf` from a cryptographically secure generator; the bound makes sure no weaker
/// generator is ever used for secrets.
fn fill_secure<R: CryptoRng>(rng: &mut R, buf: &mut [u8]) {
    rng.fill_bytes(buf);
}

/// Returns a new secret: [`SECRET_BYTES`] random bytes from the operating system's seeded
/// cryptographic generator, encoded as base64url without padding (43 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; SECRET_BYTES];
    fill_secure(&mut rand::rng(), &mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Returns a new API token: [`API_TOKEN_PREFIX`] followed by a [`new_secret`].
///
/// Store it with [`hash_secret`] (of the whole token, prefix included) like any other secret.
pub fn new_api_token() -> String {
    format!("{API_TOKEN_PREFIX}{}", new_secret())
}

/// Returns the form in which a secret is stored: the SHA-256 hash of its UTF-8 bytes as 64
/// lowercase hexadecimal digits.
pub fn hash_secret(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// Compares two strings in time that depends only on their lengths, not on where they differ.
///
/// Use it for every comparison of a secret with a value from a request (for example a CSRF
/// token with the one in the session). Strings of different lengths compare unequal at once;
/// the length of a secret is not secret.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_is_43_base64url_characters_of_32_bytes() {
        let secret = new_secret();
        assert_eq!(secret.len(), 43);
        assert!(
            secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "not base64url: {secret}"
        );
        let decoded = URL_SAFE_NO_PAD.decode(&secret).unwrap();
        assert_eq!(decoded.len(), SECRET_BYTES);
    }

    #[test]
    fn secrets_differ() {
        let secrets: std::collections::HashSet<String> = (0..100).map(|_| new_secret()).collect();
        assert_eq!(secrets.len(), 100);
    }

    #[test]
    fn api_token_has_the_prefix_and_a_secret() {
        let token = new_api_token();
        let rest = token.strip_prefix("niveau_").unwrap();
        assert_eq!(rest.len(), 43);
        assert_eq!(URL_SAFE_NO_PAD.decode(rest).unwrap().len(), 32);
    }

    #[test]
    fn hash_secret_is_sha256_hex() {
        // Known SHA-256 test vectors (FIPS 180-2).
        assert_eq!(
            hash_secret(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(
            hash_secret("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let secret = new_secret();
        assert_eq!(hash_secret(&secret), hash_secret(&secret));
        assert_ne!(hash_secret(&secret), hash_secret(&new_secret()));
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq("", ""));
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert!(!constant_time_eq("ab", "abc"));
        assert!(!constant_time_eq("abc", "ABC"));
        assert!(constant_time_eq("æøå", "æøå"));
    }
}
