//! Request helpers: JSON bodies whose errors name the field, and the version an update is
//! based on.
//!
//! Authorise first: a handler that checks permissions takes its body as [`JsonBody`] and
//! its query as [`LaterQuery`], and parses them only after the check, so a caller who may
//! not do the action gets 401/403 and never a validation error that tells them what a
//! valid request looks like. [`ApiJson`] parses before the handler runs and is only for
//! endpoints open to everybody (login).

use std::marker::PhantomData;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use niveau_model::Msg;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body. A syntax error is a 400 with line and column; a value of the wrong shape
/// is a 422 naming the field (`parties[1].organisation_id`). It is parsed before the
/// handler runs: use it only where everybody may call; elsewhere take [`JsonBody`].
#[derive(Debug, Clone)]
pub struct ApiJson<T>(pub T);

/// A JSON body read but not yet judged: [`JsonBody::parse`] checks the content type and
/// parses it (errors as for [`ApiJson`]); call it after the permission check.
#[derive(Debug)]
pub struct JsonBody<T> {
    body: Result<Bytes, ApiError>,
    json: Result<(), ApiError>,
    into: PhantomData<fn() -> T>,
}

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let json = require_json(req.headers());
        let body = Bytes::from_request(req, state)
            .await
            .map_err(body_too_large);
        Ok(JsonBody {
            body,
            json,
            into: PhantomData,
        })
    }
}

impl<T: DeserializeOwned> JsonBody<T> {
    /// The body as `T`: 413 too large, 415 not JSON, 400 bad syntax, 422 wrong shape.
    pub fn parse(self) -> Result<T, ApiError> {
        let bytes = self.body?;
        self.json?;
        parse_json(&bytes)
    }
}

/// A query string read but not yet judged: [`LaterQuery::parse`] gives the parameters or
/// a 400; call it after the permission check.
#[derive(Debug)]
pub struct LaterQuery<T> {
    uri: Uri,
    into: PhantomData<fn() -> T>,
}

impl<S: Send + Sync, T> FromRequestParts<S> for LaterQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(LaterQuery {
            uri: parts.uri.clone(),
            into: PhantomData,
        })
    }
}

impl<T: DeserializeOwned> LaterQuery<T> {
    /// The parameters as `T`, or 400 naming what is wrong.
    pub fn parse(self) -> Result<T, ApiError> {
        Query::<T>::try_from_uri(&self.uri)
            .map(|Query(q)| q)
            .map_err(|e| {
                let text = e.body_text();
                let text = text
                    .strip_prefix("Failed to deserialize query string: ")
                    .unwrap_or(&text);
                // serde's sentence is English; the Danish text says it in Danish.
                let why = Msg::serde(text, "en parameter har en ugyldig værdi");
                ApiError::new(
                    StatusCode::BAD_REQUEST,
                    "bad_query",
                    Msg::new(
                        format!("ugyldige parametre i adressen: {}", why.da),
                        format!("invalid parameters in the address: {}", why.en),
                    ),
                )
            })
    }
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(body_too_large)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parse JSON bytes with errors that name the place.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        // serde's sentence is English and ends with "at line L column C"; the place is
        // said once, and the Danish text says the sentence in Danish.
        let message = inner.to_string();
        let message = match message.find(" at line ") {
            Some(i) => message[..i].to_string(),
            None => message,
        };
        if inner.is_syntax() || inner.is_eof() {
            let (line, column) = (inner.line(), inner.column());
            let fallback = if inner.is_eof() {
                "teksten slutter for tidligt"
            } else {
                "syntaksfejl"
            };
            let why = Msg::serde(&message, fallback);
            ApiError::new(
                StatusCode::BAD_REQUEST,
                "bad_json",
                Msg::new(
                    format!("ugyldig JSON i linje {line}, kolonne {column}: {}", why.da),
                    format!("invalid JSON at line {line}, column {column}: {}", why.en),
                ),
            )
        } else {
            let field = if path == "." { String::new() } else { path };
            let mut e = ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                Msg::serde(&message, "værdien passer ikke til formatet"),
            );
            if !field.is_empty() {
                e = e.field(field);
            }
            e
        }
    })
}

/// The version an update is based on: the body's `version`, or an `If-Match` header
/// (`"3"` or `3`). Missing is an error that says what to send.
pub fn expected_version(headers: &HeaderMap, body: Option<i32>) -> Result<i32, ApiError> {
    if let Some(v) = body {
        return Ok(v);
    }
    if let Some(value) = headers.get(header::IF_MATCH).and_then(|v| v.to_str().ok()) {
        let trimmed = value.trim().trim_start_matches("W/").trim_matches('"');
        if let Ok(v) = trimmed.parse::<i32>() {
            return Ok(v);
        }
    }
    Err(ApiError::new(
        StatusCode::PRECONDITION_REQUIRED,
        "version_required",
        Msg::new(
            "angiv den version ændringen bygger på (feltet version eller If-Match)",
            "give the version the change is based on (the field version or If-Match)",
        ),
    )
    .field("version"))
}

/// 415 unless the request says its body is JSON (`application/json` or a `+json` type).
pub fn require_json(headers: &axum::http::HeaderMap) -> Result<(), ApiError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.trim().to_ascii_lowercase();
            v.starts_with("application/json")
                || (v.starts_with("application/") && v.contains("+json"))
        });
    if is_json {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "bad_json",
            Msg::new(
                "send JSON med Content-Type: application/json",
                "send JSON with Content-Type: application/json",
            ),
        ))
    }
}

/// 413 for a body that could not be read within the size limit.
pub fn body_too_large(rejection: axum::extract::rejection::BytesRejection) -> ApiError {
    tracing::debug!(%rejection, "request body refused");
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_large",
        Msg::new(
            "forespørgslens indhold er for stort eller kunne ikke læses",
            "the request body is too large or could not be read",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Party {
        organisation_id: i32,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Body {
        parties: Vec<Party>,
    }

    #[test]
    fn errors_name_the_place() {
        let err = parse_json::<Body>(
            br#"{"parties": [{"organisation_id": 1}, {"organisation_id": "x"}]}"#,
        )
        .unwrap_err();
        assert_eq!(err.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(
            err.detail.field.as_deref(),
            Some("parties[1].organisation_id")
        );
        let err = parse_json::<Body>(b"{\n  \"parties\": [,]\n}").unwrap_err();
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(
            err.detail.message.contains("linje 2"),
            "{}",
            err.detail.message
        );
    }

    #[test]
    fn version_from_body_or_if_match() {
        let mut h = HeaderMap::new();
        assert_eq!(expected_version(&h, Some(4)).unwrap(), 4);
        assert_eq!(
            expected_version(&h, None).unwrap_err().status,
            StatusCode::PRECONDITION_REQUIRED
        );
        h.insert(header::IF_MATCH, "\"7\"".parse().unwrap());
        assert_eq!(expected_version(&h, None).unwrap(), 7);
    }
}
