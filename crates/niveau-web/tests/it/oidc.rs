//! OpenID Connect login against a real provider process (oidc-provider-mock, started by
//! `niveau_testkit::oidc::MockProvider`): discovery, the authorization URL, the provider's
//! login form, the code exchange and the ID token checks.
//!
//! The tests need `NIVEAU_TEST_OIDC_PROVIDER` to name the provider's Python interpreter
//! (`source scripts/ci-oidc.sh` sets it up; CI always does): a plain `cargo test` lists
//! them as ignored, `-- --include-ignored` runs them, and then a missing variable or a
//! provider that does not start fails them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use niveau_testkit::oidc::MockProvider;
use niveau_web::auth::oidc::{AuthRequest, OidcClient, OidcError, OidcIdentity, OidcSettings};
use sha2::{Digest as _, Sha256};
use url::Url;

/// Nothing listens here: the browser's last redirect is only read, never followed.
const REDIRECT_URL: &str = "http://127.0.0.1:9/auth/oidc/callback";
const CLIENT_ID: &str = "niveau";
const SUBJECT: &str = "sekretariat-1";
const EMAIL: &str = "sekretariat@os2.dk";
const NAME: &str = "OS2 Sekretariatet";

fn settings(issuer_url: &str) -> OidcSettings {
    OidcSettings {
        issuer_url: issuer_url.to_owned(),
        client_id: CLIENT_ID.to_owned(),
        // The provider's token endpoint needs some client authentication; it accepts any
        // secret.
        client_secret: Some("niveau-test-secret".to_owned()),
        redirect_url: REDIRECT_URL.to_owned(),
        scopes: vec!["email".to_owned(), "profile".to_owned()],
    }
}

/// The single value of a query parameter of `url`.
fn query(url: &str, name: &str) -> Option<String> {
    let url = Url::parse(url).unwrap();
    let mut values = url.query_pairs().filter(|(key, _)| key == name);
    let value = values.next().map(|(_, value)| value.into_owned());
    assert!(values.next().is_none(), "{name} appears twice in {url}");
    value
}

/// Logs `SUBJECT` in at the provider for `request` and returns the authorization code from
/// the redirect back to Niveau, after checking the redirect's target and `state` (the
/// caller's job in the application).
fn log_in(provider: &MockProvider, request: &AuthRequest) -> String {
    let redirect = provider
        .authorize(&request.url, SUBJECT, EMAIL, NAME)
        .unwrap();
    let target = Url::parse(&redirect).unwrap();
    assert_eq!(
        format!(
            "{}://{}{}",
            target.scheme(),
            target.host_str().unwrap(),
            target.port().map(|p| format!(":{p}")).unwrap_or_default()
        ) + target.path(),
        REDIRECT_URL,
        "redirected to {redirect}"
    );
    assert_eq!(
        query(&redirect, "state").as_deref(),
        Some(request.state.as_str())
    );
    assert_eq!(query(&redirect, "error"), None, "{redirect}");
    query(&redirect, "code").unwrap_or_else(|| panic!("no code in {redirect}"))
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn full_login_flow_returns_the_verified_identity() {
    let provider = MockProvider::start();
    let client = OidcClient::discover(&settings(&provider.issuer))
        .await
        .unwrap();
    assert_eq!(client.issuer(), provider.issuer);

    let request = client.authorize_url();
    // The authorization request carries everything the flow needs.
    assert!(
        request
            .url
            .starts_with(&format!("{}/oauth2/authorize?", provider.issuer)),
        "{}",
        request.url
    );
    assert_eq!(
        query(&request.url, "response_type").as_deref(),
        Some("code")
    );
    assert_eq!(query(&request.url, "client_id").as_deref(), Some(CLIENT_ID));
    assert_eq!(
        query(&request.url, "redirect_uri").as_deref(),
        Some(REDIRECT_URL)
    );
    assert_eq!(
        query(&request.url, "scope").as_deref(),
        Some("openid email profile")
    );
    assert_eq!(query(&request.url, "state"), Some(request.state.clone()));
    assert_eq!(query(&request.url, "nonce"), Some(request.nonce.clone()));
    assert_eq!(
        query(&request.url, "code_challenge_method").as_deref(),
        Some("S256")
    );
    assert_eq!(
        query(&request.url, "code_challenge"),
        Some(URL_SAFE_NO_PAD.encode(Sha256::digest(request.pkce_verifier.as_bytes())))
    );
    assert!(!request.url.contains(&request.pkce_verifier));

    let code = log_in(&provider, &request);
    let identity = client
        .exchange(&code, &request.pkce_verifier, &request.nonce)
        .await
        .unwrap();
    assert_eq!(
        identity,
        OidcIdentity {
            issuer: provider.issuer.clone(),
            subject: SUBJECT.to_owned(),
            email: Some(EMAIL.to_owned()),
            name: Some(NAME.to_owned()),
        }
    );

    // A code is good for one exchange only.
    let err = client
        .exchange(&code, &request.pkce_verifier, &request.nonce)
        .await
        .unwrap_err();
    match err {
        OidcError::TokenRejected { error, .. } => assert_eq!(error, "invalid_grant"),
        other => panic!("expected the provider to refuse a used code, got {other:?}"),
    }
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn each_login_gets_fresh_state_nonce_and_verifier() {
    let provider = MockProvider::start();
    let client = OidcClient::discover(&settings(&provider.issuer))
        .await
        .unwrap();
    let first = client.authorize_url();
    let second = client.authorize_url();
    assert_ne!(first.state, second.state);
    assert_ne!(first.nonce, second.nonce);
    assert_ne!(first.pkce_verifier, second.pkce_verifier);
    // RFC 7636: a verifier is 43 to 128 characters.
    assert!((43..=128).contains(&first.pkce_verifier.len()));
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn wrong_nonce_is_rejected() {
    let provider = MockProvider::start();
    let client = OidcClient::discover(&settings(&provider.issuer))
        .await
        .unwrap();
    let request = client.authorize_url();
    let other = client.authorize_url();
    let code = log_in(&provider, &request);

    let err = client
        .exchange(&code, &request.pkce_verifier, &other.nonce)
        .await
        .unwrap_err();
    assert!(matches!(err, OidcError::NonceMismatch), "{err:?}");
    assert_eq!(
        err.to_string(),
        "the ID token's nonce does not match the login request"
    );
}

#[tokio::test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
async fn issuer_must_match_the_discovery_document() {
    let provider = MockProvider::start();
    // The provider states its issuer without a trailing slash; issuer identifiers are
    // compared exactly (OpenID Connect Discovery 1.0, section 4.3).
    let configured = format!("{}/", provider.issuer);
    let err = OidcClient::discover(&settings(&configured))
        .await
        .unwrap_err();
    match &err {
        OidcError::Discovery { issuer, source } => {
            assert_eq!(issuer, &configured);
            assert!(
                source.to_string().contains("unexpected issuer URI"),
                "{source}"
            );
        }
        other => panic!("expected a discovery error, got {other:?}"),
    }
}
