//! Every error answer is `{ "error": code, "message": text }` with the right status.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use seira_protocol::{ApiError as Body, ErrorCode};

use crate::engine::EngineError;
use crate::store::StoreError;

/// An error as the API answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    /// The message in Greek, where there is one (settings refused on the admin page).
    pub message_el: Option<String>,
    /// Whole seconds until trying again makes sense (`Retry-After`, on every 429).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            message_el: None,
            retry_after: None,
        }
    }

    /// 429: too many, for `wait` more (said in the `Retry-After` header, in whole seconds).
    pub fn too_many(
        code: ErrorCode,
        message: impl Into<String>,
        wait: std::time::Duration,
    ) -> Self {
        ApiError {
            retry_after: Some(wait.as_secs_f64().ceil().max(1.0) as u64),
            ..Self::new(StatusCode::TOO_MANY_REQUESTS, code, message)
        }
    }

    pub fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthorized,
            "this needs a valid token: send `Authorization: Bearer <token>`",
        )
    }

    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    /// The server's own fault: the details go to the log, not to the client.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "the server could not complete this; it has been logged",
        )
    }

    pub fn bad_request(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Body {
            error: self.code.as_str().to_owned(),
            message: self.message,
            message_el: self.message_el,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}

impl From<EngineError> for ApiError {
    fn from(e: EngineError) -> Self {
        match e {
            EngineError::NotFound { .. } => ApiError::not_found(e.to_string()),
            EngineError::Missing { code, message } => {
                ApiError::new(StatusCode::NOT_FOUND, code, message)
            }
            EngineError::Transition(t) => ApiError::new(
                StatusCode::CONFLICT,
                ErrorCode::InvalidTransition,
                t.to_string(),
            ),
            EngineError::Conflict { code, message } => {
                ApiError::new(StatusCode::CONFLICT, code, message)
            }
            EngineError::InvalidSettings {
                message,
                message_el,
            } => ApiError {
                message_el: Some(message_el),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::InvalidSettings,
                    message,
                )
            },
            EngineError::Invalid { code, message } => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
            }
            EngineError::Forbidden(message) => ApiError::forbidden(message),
            EngineError::TooMany {
                code,
                message,
                retry_after,
            } => ApiError::too_many(code, message, retry_after),
            EngineError::Store(e) => e.into(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        if e.is_disk_full() {
            // Nothing was saved; the readers go on (the board, the queues, the phones).
            tracing::error!("the database's disk is full: changes are refused until there is room");
            return ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::DiskFull,
                "the server's disk is full, so nothing was saved: try again in a moment, and \
                 tell the IT staff (the screens and the queues keep working)",
            );
        }
        // The server's own fault: the details go to the log, not to the client.
        tracing::error!(error = %e, "database error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "the server could not complete this; it has been logged",
        )
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
