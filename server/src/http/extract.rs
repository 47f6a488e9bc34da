//! Extractors whose rejections are the API's JSON errors, and the caller behind a token.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use seira_protocol::ErrorCode;
use serde::de::DeserializeOwned;

use super::error::ApiError;
use crate::auth::{Caller, hash_token};
use crate::state::AppState;
use crate::store::{self, StoreError};

/// `axum::Json`, answering a bad body with the API's error: malformed JSON 400, a wrong field
/// or value 422, a body over the limit 413, a wrong content type 415.
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Json<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(value)) => Ok(Json(value)),
            Err(rejection) => Err(json_rejection(rejection)),
        }
    }
}

fn json_rejection(rejection: JsonRejection) -> ApiError {
    let status = rejection.status();
    let code = match rejection {
        JsonRejection::JsonDataError(_) => ErrorCode::InvalidBody,
        JsonRejection::JsonSyntaxError(_) => ErrorCode::MalformedJson,
        JsonRejection::MissingJsonContentType(_) => ErrorCode::UnsupportedMediaType,
        _ if status == StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        _ => ErrorCode::BadBody,
    };
    ApiError::new(status, code, rejection.body_text())
}

/// `axum::extract::Path` with the API's errors.
pub struct Path<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for Path<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|e: PathRejection| {
                ApiError::bad_request(ErrorCode::InvalidPath, e.body_text())
            })
    }
}

/// `axum::extract::Query` with the API's errors.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Query(q.0))
            .map_err(|e: QueryRejection| {
                ApiError::bad_request(ErrorCode::InvalidQuery, e.body_text())
            })
    }
}

/// The holder of the request's bearer token or session cookie, if it sent one. A token that
/// is malformed, unknown or revoked is refused with 401 here, even on routes that need none: a
/// device with a bad token should learn it at once. An expired session is simply nobody.
pub struct Auth(pub Option<Caller>);

impl Auth {
    /// Who calls, for a change of state: 401 without a token or session. Whether they may is
    /// the engine's to decide (403), like every permission of a change.
    pub fn caller(self) -> Result<Caller, ApiError> {
        self.0.ok_or_else(ApiError::unauthorized)
    }

    /// The caller, if `allowed` says it may; 401 without a token, 403 with the wrong one.
    /// For reads, which do not go through the engine's door.
    pub fn require(self, allowed: impl FnOnce(&Caller) -> bool) -> Result<Caller, ApiError> {
        match self.0 {
            None => Err(ApiError::unauthorized()),
            Some(c) if allowed(&c) => Ok(c),
            Some(c) => Err(ApiError::forbidden(format!(
                "`{}` ({}) may not do this",
                c.label,
                c.role.as_str()
            ))),
        }
    }
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            // No token: a browser signed in with its session cookie, or nobody.
            return match super::session::cookie_value(&parts.headers) {
                Some(cookie) => Ok(Auth(super::session::session_caller(app, &cookie).await?)),
                None => Ok(Auth(None)),
            };
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|h| h.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .ok_or_else(ApiError::unauthorized)?;
        let hash = hash_token(token);
        let now = std::time::Instant::now();
        // Reads may take the token from the cache; a change of state always asks the
        // database, so no change is ever made with a revoked token, whoever revoked it.
        let read = matches!(parts.method, Method::GET | Method::HEAD);
        let generation = match app.tokens.get(&hash, now) {
            Ok(caller) if read => return Ok(Auth(Some(caller))),
            Ok(_) => app.tokens.generation(),
            Err(generation) => generation,
        };
        let lookup = hash.clone();
        let caller = app
            .db
            .read(move |tx| store::find_token(tx, &lookup).map_err(StoreError::from))
            .await?
            .ok_or_else(ApiError::unauthorized)?;
        app.tokens.put(hash, caller.clone(), now, generation);
        Ok(Auth(Some(caller)))
    }
}
