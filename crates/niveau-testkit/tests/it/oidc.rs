//! `oidc::MockProvider` against the real provider process: discovery, the browser's
//! part of the authorization code flow, and the token exchange a client then makes.
//! The tests need `NIVEAU_TEST_OIDC_PROVIDER` (`source scripts/ci-oidc.sh`; CI always
//! does): a plain `cargo test` lists them as ignored, `-- --include-ignored` runs them.
//!
//! Besides checking the helper, these tests pin down what the provider does where
//! providers differ (client authentication, PKCE), so that Niveau's own login tests can
//! rely on it.

// Test code: a failed unwrap is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use niveau_testkit::oidc::{MockProvider, agent};
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

const CLIENT_ID: &str = "niveau-test";
const CLIENT_SECRET: &str = "niveau-test-secret";
const REDIRECT_URI: &str = "http://127.0.0.1:9/callback";
const VERIFIER: &str = "dBjftJeZ4CVP-mJ92K9nhz6iPWpPoO0NmWXgwWMt8tQx-niveau-pkce";

/// The provider's discovery document.
fn discovery(provider: &MockProvider) -> Value {
    let mut response = agent().get(&provider.discovery_url()).call().unwrap();
    assert_eq!(response.status(), 200);
    serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap()
}

/// The S256 PKCE challenge of a verifier (RFC 7636, section 4.2).
fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// An authorization request as Niveau's client will send it.
fn authorization_url(discovery: &Value, state: &str, nonce: &str) -> String {
    let mut url = Url::parse(discovery["authorization_endpoint"].as_str().unwrap()).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", CLIENT_ID)
        .append_pair("redirect_uri", REDIRECT_URI)
        .append_pair("scope", "openid email profile")
        .append_pair("state", state)
        .append_pair("nonce", nonce)
        .append_pair("code_challenge", &challenge(VERIFIER))
        .append_pair("code_challenge_method", "S256");
    url.to_string()
}

/// The value of a query parameter of a URL.
fn query(url: &str, name: &str) -> Option<String> {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
}

/// How the client authenticates at the token endpoint.
enum ClientAuth {
    /// `client_secret_basic`: HTTP Basic with id and secret.
    Basic,
    /// `client_secret_post`: id and secret in the form.
    Post,
    /// `none`: a public client, only the id in the form.
    None,
}

/// Exchanges a code at the token endpoint; returns the status and the JSON answer.
fn redeem(discovery: &Value, code: &str, verifier: &str, auth: ClientAuth) -> (u16, Value) {
    let endpoint = discovery["token_endpoint"].as_str().unwrap();
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", REDIRECT_URI),
        ("code_verifier", verifier),
    ];
    let mut request = agent().post(endpoint);
    match auth {
        ClientAuth::Basic => {
            let basic = STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
            request = request.header("Authorization", format!("Basic {basic}"));
        }
        ClientAuth::Post => {
            form.push(("client_id", CLIENT_ID));
            form.push(("client_secret", CLIENT_SECRET));
        }
        ClientAuth::None => form.push(("client_id", CLIENT_ID)),
    }
    let mut response = request.send_form(form).unwrap();
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap();
    (status, serde_json::from_str(&body).unwrap())
}

/// The claims of a JWT, read without checking its signature (the application under test
/// checks signatures; this test checks what the provider put in).
fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// Logs in as Alice and returns the code from the redirect.
fn log_in(provider: &MockProvider, discovery: &Value) -> String {
    let redirect = provider
        .authorize(
            &authorization_url(discovery, "state-1", "nonce-1"),
            "alice",
            "alice@example.dk",
            "Alice Andersen",
        )
        .unwrap();
    query(&redirect, "code").unwrap()
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn discovery_describes_the_provider() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let issuer = &provider.issuer;

    assert!(issuer.starts_with("http://127.0.0.1:"), "{issuer}");
    assert!(!issuer.ends_with('/'), "{issuer}");
    assert_eq!(doc["issuer"], issuer.as_str());
    assert_eq!(
        doc["authorization_endpoint"],
        format!("{issuer}/oauth2/authorize")
    );
    assert_eq!(doc["token_endpoint"], format!("{issuer}/oauth2/token"));
    assert_eq!(doc["userinfo_endpoint"], format!("{issuer}/userinfo"));
    assert_eq!(doc["jwks_uri"], format!("{issuer}/jwks"));
    assert_eq!(doc["response_types_supported"], serde_json::json!(["code"]));
    assert_eq!(
        doc["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn logs_in_a_chosen_user_with_pkce_and_nonce() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let url = authorization_url(&doc, "state-42", "nonce-42");

    let redirect = provider
        .authorize(&url, "alice", "alice@example.dk", "Alice Andersen")
        .unwrap();

    assert!(
        redirect.starts_with(&format!("{REDIRECT_URI}?")),
        "{redirect}"
    );
    assert_eq!(query(&redirect, "state").as_deref(), Some("state-42"));
    assert_eq!(query(&redirect, "error"), None, "{redirect}");
    let code = query(&redirect, "code").unwrap();
    assert!(code.len() >= 20, "{code}");

    let (status, tokens) = redeem(&doc, &code, VERIFIER, ClientAuth::Basic);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["iss"], provider.issuer.as_str());
    assert_eq!(id["sub"], "alice");
    assert_eq!(id["email"], "alice@example.dk");
    assert_eq!(id["name"], "Alice Andersen");
    assert_eq!(id["nonce"], "nonce-42");
    assert_eq!(id["aud"], serde_json::json!([CLIENT_ID]));

    // The access token works at the userinfo endpoint.
    let access = tokens["access_token"].as_str().unwrap();
    let mut response = agent()
        .get(doc["userinfo_endpoint"].as_str().unwrap())
        .header("Authorization", format!("Bearer {access}"))
        .call()
        .unwrap();
    assert_eq!(response.status(), 200);
    let info: Value = serde_json::from_str(&response.body_mut().read_to_string().unwrap()).unwrap();
    assert_eq!(
        info,
        serde_json::json!({"sub": "alice", "email": "alice@example.dk", "name": "Alice Andersen"})
    );
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn claims_follow_the_scopes() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let mut url = Url::parse(&authorization_url(&doc, "s", "n")).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "scope" {
                "openid email".into()
            } else {
                v
            };
            (k.into_owned(), v.into_owned())
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);

    let redirect = provider
        .authorize(url.as_str(), "bob", "bob@example.dk", "Bob")
        .unwrap();
    let code = query(&redirect, "code").unwrap();
    let (status, tokens) = redeem(&doc, &code, VERIFIER, ClientAuth::Basic);
    assert_eq!(status, 200, "{tokens}");
    let id = claims(tokens["id_token"].as_str().unwrap());
    assert_eq!(id["sub"], "bob");
    assert_eq!(id["email"], "bob@example.dk");
    assert_eq!(id["name"], Value::Null, "no profile scope, no name: {id}");
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn client_secret_post_works_and_public_clients_are_refused() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);

    let code = log_in(&provider, &doc);
    let (status, tokens) = redeem(&doc, &code, VERIFIER, ClientAuth::Post);
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(claims(tokens["id_token"].as_str().unwrap())["sub"], "alice");

    let code = log_in(&provider, &doc);
    let (status, error) = redeem(&doc, &code, VERIFIER, ClientAuth::None);
    assert_eq!(status, 401, "{error}");
    assert_eq!(error["error"], "invalid_client");
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn codes_are_single_use() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let code = log_in(&provider, &doc);

    let (status, _) = redeem(&doc, &code, VERIFIER, ClientAuth::Basic);
    assert_eq!(status, 200);
    let (status, error) = redeem(&doc, &code, VERIFIER, ClientAuth::Basic);
    assert_eq!(status, 400, "{error}");
    assert_eq!(error["error"], "invalid_grant");
}

/// oidc-provider-mock 0.3.4 accepts PKCE parameters but does not check them. Niveau's
/// tests therefore cannot use it to show that a wrong verifier is refused; if an upgrade
/// starts checking, this test fails and the note in `oidc.rs` must change.
#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn the_pkce_verifier_is_not_checked() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    assert_eq!(doc["code_challenge_methods_supported"], Value::Null);

    let code = log_in(&provider, &doc);
    let (status, tokens) = redeem(&doc, &code, "a-wrong-verifier", ClientAuth::Basic);
    assert_eq!(status, 200, "{tokens}");
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn denying_redirects_with_access_denied() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let redirect = provider
        .deny(&authorization_url(&doc, "state-7", "nonce-7"))
        .unwrap();

    assert!(
        redirect.starts_with(&format!("{REDIRECT_URI}?")),
        "{redirect}"
    );
    assert_eq!(query(&redirect, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&redirect, "code"), None);
}

#[test]
#[ignore = "needs the OIDC provider: source scripts/ci-oidc.sh"]
fn a_bad_request_is_an_error_with_the_providers_answer() {
    let provider = MockProvider::start();
    let doc = discovery(&provider);
    let url =
        authorization_url(&doc, "s", "n").replace("response_type=code", "response_type=token");

    let error = provider
        .authorize(&url, "alice", "alice@example.dk", "Alice")
        .unwrap_err();
    assert!(error.contains("answered 400"), "{error}");
    assert!(error.contains("unsupported_response_type"), "{error}");
}
