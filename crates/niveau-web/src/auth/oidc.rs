//! Login with OpenID Connect: the authorization-code flow with PKCE and a nonce.
//!
//! The flow, and who does what:
//!
//! 1. At start-up, [`OidcClient::discover`] reads the provider's
//!    `/.well-known/openid-configuration` and its signing keys (JWKS).
//! 2. When a user clicks "log in", [`OidcClient::authorize_url`] returns the URL to redirect the
//!    browser to, and the `state`, `nonce` and PKCE verifier of this login. **The caller stores
//!    all three** (for example in a database row keyed by `state`, with a short expiry) and
//!    redirects.
//! 3. The provider sends the browser back to the redirect URL with `code` and `state`. **The
//!    caller checks `state`**: it must be one it stored and has not used yet (look it up, then
//!    delete it, comparing with [`super::token::constant_time_eq`] if it compares values
//!    itself). This is what ties the response to the browser that started the login (CSRF
//!    protection); this module does not do it.
//! 4. [`OidcClient::exchange`] trades the code (with the stored PKCE verifier and nonce) for
//!    tokens, verifies the ID token — signature against the provider's keys, issuer, audience
//!    (this client), expiry, nonce and, when present, the access token hash — and returns the
//!    [`OidcIdentity`].
//!
//! A user is identified by the pair ([`OidcIdentity::issuer`], [`OidcIdentity::subject`]),
//! never by e-mail address.
//!
//! The HTTP client never follows redirects (a redirect would let a hostile or compromised
//! discovery document point the server at internal addresses, see the `openidconnect`
//! documentation) and gives up after [`HTTP_TIMEOUT`].

use std::time::Duration;

use openidconnect::core::{CoreAuthenticationFlow, CoreClient, CoreProviderMetadata};
use openidconnect::{
    AccessTokenHash, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret, CsrfToken,
    EndpointMaybeSet, EndpointNotSet, EndpointSet, IssuerUrl, Nonce, OAuth2TokenResponse as _,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RequestTokenError, Scope, TokenResponse as _,
    reqwest,
};
use serde::Deserialize;

/// How long one request to the provider (discovery, keys, token) may take in total.
pub const HTTP_TIMEOUT: Duration = Duration::from_secs(10);

/// The scopes requested besides `openid` when the settings name none.
pub const DEFAULT_SCOPES: [&str; 2] = ["email", "profile"];

/// A boxed error from the OpenID Connect or HTTP libraries, kept as the source of an
/// [`OidcError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// The settings of OpenID Connect login, read by the binary from the `[oidc]` table of
/// `niveau.toml`.
///
/// ```toml
/// [oidc]
/// issuer_url = "https://login.example.dk/realms/os2"
/// client_id = "niveau"
/// client_secret = "…"
/// redirect_url = "https://niveau.example.dk/auth/oidc/callback"
/// scopes = ["email", "profile"]
/// ```
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The issuer identifier of the provider, exactly as the provider states it in its
    /// discovery document (usually without a trailing slash). Discovery fetches
    /// `<issuer_url>/.well-known/openid-configuration`. Use `https` outside of tests.
    pub issuer_url: String,
    /// The client id registered with the provider for this application.
    pub client_id: String,
    /// The client secret, for a confidential client (`client_secret_basic`). `None` for a
    /// public client, which then relies on PKCE alone.
    #[serde(default)]
    pub client_secret: Option<String>,
    /// The absolute URL the provider sends the browser back to; it must be registered with the
    /// provider exactly.
    pub redirect_url: String,
    /// The scopes to request besides `openid` (which is always requested). Defaults to
    /// [`DEFAULT_SCOPES`].
    #[serde(default = "default_scopes")]
    pub scopes: Vec<String>,
}

fn default_scopes() -> Vec<String> {
    DEFAULT_SCOPES
        .iter()
        .map(|scope| (*scope).to_owned())
        .collect()
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer_url", &self.issuer_url)
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("redirect_url", &self.redirect_url)
            .field("scopes", &self.scopes)
            .finish()
    }
}

/// What the caller needs to start one login: where to send the browser, and the values to
/// store until the provider sends the browser back.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// The provider's authorization URL, with client id, redirect URL, scopes, `state`,
    /// `nonce` and PKCE challenge; redirect the browser here.
    pub url: String,
    /// The `state` value; the provider returns it with the code. The caller must check it
    /// (see the [module documentation](self)).
    pub state: String,
    /// The nonce; pass it to [`OidcClient::exchange`].
    pub nonce: String,
    /// The PKCE code verifier; pass it to [`OidcClient::exchange`]. Secret: store it, never
    /// send it to the browser.
    pub pkce_verifier: String,
}

impl std::fmt::Debug for AuthRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthRequest")
            .field("url", &self.url)
            .field("state", &self.state)
            .field("nonce", &self.nonce)
            .field("pkce_verifier", &"<redacted>")
            .finish()
    }
}

/// The verified identity of a user who logged in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OidcIdentity {
    /// The issuer of the ID token, equal to the configured issuer.
    pub issuer: String,
    /// The subject: the provider's stable, unique id of the user. Together with
    /// [`issuer`](Self::issuer) it identifies the user.
    pub subject: String,
    /// The e-mail address from the ID token. `None` when the provider sent none, or marked it
    /// as not verified (`email_verified: false`).
    pub email: Option<String>,
    /// The display name (`name` claim, without a language tag), if the provider sent it.
    pub name: Option<String>,
}

/// An error of OpenID Connect login.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OidcError {
    /// A setting is not usable (for example a URL that does not parse).
    #[error("invalid OpenID Connect setting `{setting}`: {reason}")]
    InvalidSetting {
        /// The name of the setting, as in [`OidcSettings`].
        setting: &'static str,
        /// Why it is not usable.
        reason: String,
    },
    /// The HTTP client could not be set up (for example no TLS backend).
    #[error("could not set up the HTTP client for OpenID Connect")]
    HttpClient(#[source] BoxError),
    /// Fetching or checking the discovery document or the signing keys failed: the provider
    /// cannot be reached, answered with an error, or states another issuer.
    #[error("OpenID Connect discovery for issuer {issuer} failed")]
    Discovery {
        /// The configured issuer URL.
        issuer: String,
        /// What went wrong.
        #[source]
        source: BoxError,
    },
    /// The provider's discovery document names no token endpoint, so codes cannot be
    /// exchanged.
    #[error("the OpenID Connect provider {issuer} has no token endpoint")]
    NoTokenEndpoint {
        /// The configured issuer URL.
        issuer: String,
    },
    /// The provider refused to exchange the code (for example `invalid_grant`: the code is
    /// unknown, used or expired, or the PKCE verifier does not match).
    #[error("the OpenID Connect provider refused the code: {error}{}", description_suffix(.description.as_deref()))]
    TokenRejected {
        /// The OAuth 2.0 error code, such as `invalid_grant`.
        error: String,
        /// The provider's description of the error, if any.
        description: Option<String>,
    },
    /// The token request failed for another reason: network, timeout, or a response that is
    /// not a valid token response.
    #[error("the OpenID Connect token request failed")]
    TokenRequest(#[source] BoxError),
    /// The token response carries no ID token (the provider did not treat the request as
    /// OpenID Connect).
    #[error("the OpenID Connect token response has no ID token")]
    MissingIdToken,
    /// The ID token's nonce is not the one of this login: the response belongs to another
    /// login, or is replayed.
    #[error("the ID token's nonce does not match the login request")]
    NonceMismatch,
    /// The ID token failed verification: bad signature, other issuer or audience, expired, or
    /// malformed.
    #[error("the ID token is invalid")]
    InvalidIdToken(#[source] BoxError),
    /// The access token does not match the hash (`at_hash`) in the ID token.
    #[error("the access token does not match the ID token")]
    AccessTokenMismatch,
}

fn description_suffix(description: Option<&str>) -> String {
    description.map_or_else(String::new, |text| format!(" ({text})"))
}

/// The client type after discovery, with the token endpoint known to be set.
type DiscoveredClient = CoreClient<
    EndpointSet,      // authorization endpoint
    EndpointNotSet,   // device authorization endpoint
    EndpointNotSet,   // introspection endpoint
    EndpointNotSet,   // revocation endpoint
    EndpointSet,      // token endpoint
    EndpointMaybeSet, // userinfo endpoint
>;

/// An OpenID Connect relying party for one provider, ready to start logins and verify their
/// results.
///
/// It holds the provider's signing keys as fetched by [`discover`](Self::discover). When the
/// provider rotates its keys, ID tokens signed with new keys fail with
/// [`OidcError::InvalidIdToken`]; discover again (for example on start-up and then daily, or
/// after such a failure) to pick up the new keys.
#[derive(Clone)]
pub struct OidcClient {
    client: DiscoveredClient,
    http: reqwest::Client,
    issuer: String,
    scopes: Vec<String>,
}

impl std::fmt::Debug for OidcClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcClient")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client.client_id().as_str())
            .field("scopes", &self.scopes)
            .finish_non_exhaustive()
    }
}

impl OidcClient {
    /// Fetches the provider's discovery document and signing keys and returns a client for it.
    ///
    /// # Errors
    ///
    /// - [`OidcError::InvalidSetting`] if `issuer_url` or `redirect_url` is not a URL, or
    ///   `client_id` is empty;
    /// - [`OidcError::HttpClient`] if the HTTP client cannot be set up;
    /// - [`OidcError::Discovery`] if the document or keys cannot be fetched or parsed, or the
    ///   document states an issuer other than `issuer_url`;
    /// - [`OidcError::NoTokenEndpoint`] if the document names no token endpoint.
    pub async fn discover(settings: &OidcSettings) -> Result<OidcClient, OidcError> {
        let issuer_url = IssuerUrl::new(settings.issuer_url.clone()).map_err(|err| {
            OidcError::InvalidSetting {
                setting: "issuer_url",
                reason: err.to_string(),
            }
        })?;
        let redirect_url = RedirectUrl::new(settings.redirect_url.clone()).map_err(|err| {
            OidcError::InvalidSetting {
                setting: "redirect_url",
                reason: err.to_string(),
            }
        })?;
        if settings.client_id.trim().is_empty() {
            return Err(OidcError::InvalidSetting {
                setting: "client_id",
                reason: "must not be empty".to_owned(),
            });
        }

        let http = reqwest::ClientBuilder::new()
            // Following redirects opens the client up to SSRF (openidconnect documentation).
            .redirect(reqwest::redirect::Policy::none())
            .timeout(HTTP_TIMEOUT)
            .connect_timeout(HTTP_TIMEOUT)
            .build()
            .map_err(|err| OidcError::HttpClient(Box::new(err)))?;

        let metadata = CoreProviderMetadata::discover_async(issuer_url, &http)
            .await
            .map_err(|err| OidcError::Discovery {
                issuer: settings.issuer_url.clone(),
                source: Box::new(err),
            })?;
        let token_url =
            metadata
                .token_endpoint()
                .cloned()
                .ok_or_else(|| OidcError::NoTokenEndpoint {
                    issuer: settings.issuer_url.clone(),
                })?;

        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(settings.client_id.clone()),
            settings.client_secret.clone().map(ClientSecret::new),
        )
        .set_token_uri(token_url)
        .set_redirect_uri(redirect_url);

        tracing::debug!(issuer = %settings.issuer_url, "discovered OpenID Connect provider");

        let scopes = settings
            .scopes
            .iter()
            .map(|scope| scope.trim())
            .filter(|scope| !scope.is_empty() && *scope != "openid")
            .map(str::to_owned)
            .collect();
        Ok(OidcClient {
            client,
            http,
            issuer: settings.issuer_url.clone(),
            scopes,
        })
    }

    /// The configured issuer URL.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// Starts a login: returns the provider URL to redirect the browser to, with a fresh random
    /// `state`, nonce and PKCE verifier (S256 challenge) for the caller to store.
    pub fn authorize_url(&self) -> AuthRequest {
        let (pkce_challenge, pkce_verifier) = PkceCodeChallenge::new_random_sha256();
        let request = self.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        let (url, state, nonce) = self
            .scopes
            .iter()
            .fold(request, |request, scope| {
                request.add_scope(Scope::new(scope.clone()))
            })
            .set_pkce_challenge(pkce_challenge)
            .url();
        AuthRequest {
            url: url.into(),
            state: state.into_secret(),
            nonce: nonce.secret().clone(),
            pkce_verifier: pkce_verifier.into_secret(),
        }
    }

    /// Finishes a login: exchanges `code` for tokens, verifies the ID token and returns who
    /// logged in.
    ///
    /// `pkce_verifier` and `nonce` are the values [`authorize_url`](Self::authorize_url)
    /// returned for this login. The caller must have checked `state` first (see the
    /// [module documentation](self)).
    ///
    /// # Errors
    ///
    /// - [`OidcError::TokenRejected`] if the provider refuses the code or verifier;
    /// - [`OidcError::TokenRequest`] on network errors or a malformed response;
    /// - [`OidcError::MissingIdToken`] if the response has no ID token;
    /// - [`OidcError::NonceMismatch`] if the ID token's nonce is not `nonce`;
    /// - [`OidcError::InvalidIdToken`] if the signature, issuer, audience or expiry is wrong;
    /// - [`OidcError::AccessTokenMismatch`] if the access token does not match `at_hash`.
    pub async fn exchange(
        &self,
        code: &str,
        pkce_verifier: &str,
        nonce: &str,
    ) -> Result<OidcIdentity, OidcError> {
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|err| match err {
                RequestTokenError::ServerResponse(response) => OidcError::TokenRejected {
                    error: response.error().as_ref().to_owned(),
                    description: response.error_description().cloned(),
                },
                other => OidcError::TokenRequest(Box::new(other)),
            })?;

        let id_token = response.id_token().ok_or(OidcError::MissingIdToken)?;
        let verifier = self.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(nonce.to_owned()))
            .map_err(|err| match err {
                ClaimsVerificationError::InvalidNonce(_) => OidcError::NonceMismatch,
                other => OidcError::InvalidIdToken(Box::new(other)),
            })?;

        // The access token hash guards against an access token substituted for another
        // user's (openidconnect documentation).
        if let Some(expected) = claims.access_token_hash() {
            let invalid = |err: BoxError| OidcError::InvalidIdToken(err);
            let alg = id_token
                .signing_alg()
                .map_err(|err| invalid(Box::new(err)))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|err| invalid(Box::new(err)))?;
            let actual = AccessTokenHash::from_token(response.access_token(), alg, key)
                .map_err(|err| invalid(Box::new(err)))?;
            if actual != *expected {
                return Err(OidcError::AccessTokenMismatch);
            }
        }

        let email = match claims.email_verified() {
            Some(false) => None,
            _ => claims.email().map(|email| email.as_str().to_owned()),
        };
        let name = claims
            .name()
            .and_then(|name| name.get(None))
            .map(|name| name.as_str().to_owned());
        tracing::debug!(issuer = %claims.issuer().as_str(), "verified OpenID Connect ID token");
        Ok(OidcIdentity {
            issuer: claims.issuer().as_str().to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email,
            name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(issuer_url: &str, redirect_url: &str) -> OidcSettings {
        OidcSettings {
            issuer_url: issuer_url.to_owned(),
            client_id: "niveau".to_owned(),
            client_secret: Some("hemmelig".to_owned()),
            redirect_url: redirect_url.to_owned(),
            scopes: default_scopes(),
        }
    }

    #[test]
    fn settings_deserialize_with_default_scopes() {
        let settings: OidcSettings = serde_json::from_str(
            r#"{"issuer_url":"https://login.example.dk","client_id":"niveau",
                "redirect_url":"https://niveau.example.dk/auth/oidc/callback"}"#,
        )
        .unwrap();
        assert_eq!(settings.issuer_url, "https://login.example.dk");
        assert_eq!(settings.client_id, "niveau");
        assert_eq!(settings.client_secret, None);
        assert_eq!(
            settings.scopes,
            vec!["email".to_owned(), "profile".to_owned()]
        );
    }

    #[test]
    fn settings_reject_unknown_fields() {
        let err = serde_json::from_str::<OidcSettings>(
            r#"{"issuer_url":"https://a","client_id":"c","redirect_url":"https://b",
                "client_secret_file":"/x"}"#,
        )
        .unwrap_err();
        assert!(err.to_string().contains("client_secret_file"), "{err}");
    }

    #[test]
    fn debug_output_hides_secrets() {
        let shown = format!("{:?}", settings("https://a", "https://b"));
        assert!(!shown.contains("hemmelig"), "{shown}");
        assert!(shown.contains("<redacted>"), "{shown}");
        let request = AuthRequest {
            url: "https://a".to_owned(),
            state: "s".to_owned(),
            nonce: "n".to_owned(),
            pkce_verifier: "verifier-secret".to_owned(),
        };
        assert!(!format!("{request:?}").contains("verifier-secret"));
    }

    #[tokio::test]
    async fn invalid_urls_are_rejected_before_any_request() {
        let err = OidcClient::discover(&settings("not a url", "https://niveau.example.dk/cb"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                OidcError::InvalidSetting {
                    setting: "issuer_url",
                    ..
                }
            ),
            "{err:?}"
        );
        let err = OidcClient::discover(&settings("https://login.example.dk", "/relative"))
            .await
            .unwrap_err();
        assert!(
            matches!(
                err,
                OidcError::InvalidSetting {
                    setting: "redirect_url",
                    ..
                }
            ),
            "{err:?}"
        );
        let mut empty_client = settings("https://login.example.dk", "https://n.example.dk/cb");
        empty_client.client_id = " ".to_owned();
        let err = OidcClient::discover(&empty_client).await.unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid OpenID Connect setting `client_id`: must not be empty"
        );
    }

    #[tokio::test]
    async fn unreachable_provider_is_a_discovery_error() {
        // Port 9 (discard) on loopback: nothing listens there in the test environment, so the
        // connection is refused at once.
        let err = OidcClient::discover(&settings("http://127.0.0.1:9", "http://127.0.0.1/cb"))
            .await
            .unwrap_err();
        match err {
            OidcError::Discovery { issuer, .. } => assert_eq!(issuer, "http://127.0.0.1:9"),
            other => panic!("expected a discovery error, got {other:?}"),
        }
    }

    #[test]
    fn token_rejection_message_includes_the_description() {
        let err = OidcError::TokenRejected {
            error: "invalid_grant".to_owned(),
            description: Some("code expired".to_owned()),
        };
        assert_eq!(
            err.to_string(),
            "the OpenID Connect provider refused the code: invalid_grant (code expired)"
        );
        let err = OidcError::TokenRejected {
            error: "invalid_grant".to_owned(),
            description: None,
        };
        assert_eq!(
            err.to_string(),
            "the OpenID Connect provider refused the code: invalid_grant"
        );
    }
}
