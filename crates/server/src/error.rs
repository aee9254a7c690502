//! Every error the API returns, as JSON: `{"error": {"code": "not_found", "message": "..."}}`.
//! The codes are stable (docs/service.md); a 500's message is logged, not sent.

use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use reciprocity_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error answer: an HTTP status with a stable code and a message for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code (`not_found`, `conflict`, ...).
    pub code: &'static str,
    /// What went wrong and what to do.
    pub message: String,
    /// Seconds to wait before retrying, sent as `Retry-After` (a 429 or 503).
    pub retry_after: Option<u32>,
}

/// The body of every error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// The code and message of an error.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// One of `bad_request`, `unauthorized`, `forbidden`, `not_found`, `method_not_allowed`,
    /// `conflict`, `payload_too_large`, `uri_too_long`, `headers_too_large`, `unprocessable`,
    /// `too_many_requests`, `internal`, `unavailable`, `deadline_exceeded`.
    pub code: String,
    /// What went wrong.
    pub message: String,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }
    /// The same error, telling the client to retry after `secs` seconds (`Retry-After`).
    pub fn retry_after(mut self, secs: u32) -> ApiError {
        self.retry_after = Some(secs);
        self
    }
    /// 400: malformed or invalid input; the message names the field.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    /// 401: no token, or a token nobody has.
    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }
    /// 403: the role may not do this.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", message)
    }
    /// 404.
    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }
    /// 409: a stale `if_version`, a duplicate.
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::CONFLICT, "conflict", message)
    }
    /// 413: a body over the limit.
    pub fn payload_too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large", message)
    }
    /// 422: the state machine refuses (accepting a closed proposal, ...).
    pub fn unprocessable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "unprocessable", message)
    }
    /// 500: the message is logged; the client sees a generic one.
    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
    /// 503: the server is saturated (no database connection came free in time); retry later.
    pub fn unavailable(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "unavailable", message)
    }
    /// 429: the caller has as many computations running or waiting as one caller may, or a
    /// write quota is spent (add [`ApiError::retry_after`]).
    pub fn too_many_requests(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, "too_many_requests", message)
    }
    /// 503: a computation or a request took longer than the server allows.
    pub fn deadline_exceeded(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "deadline_exceeded",
            message,
        )
    }
    /// 405, in the same JSON shape.
    pub fn method_not_allowed() -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "method_not_allowed",
            "this method is not allowed on this path",
        )
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.status.as_u16(),
            self.code,
            self.message
        )
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let message = if self.status == StatusCode::INTERNAL_SERVER_ERROR {
            eprintln!("reciprocity serve: internal error: {}", self.message);
            "internal error (logged by the server)".to_string()
        } else {
            self.message
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.to_string(),
                message,
            },
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(secs) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, secs.into());
        }
        if self.status == StatusCode::UNAUTHORIZED {
            // RFC 9110 §11.6.1: a 401 names the scheme that would work.
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer realm=\"reciprocity\""),
            );
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::PoolTimeout { .. } => ApiError::unavailable(format!(
                "every database connection is busy ({e}): retry in a moment"
            )),
            StoreError::Import(_) => ApiError::bad_request(e.to_string()),
            // Conflicts, missing records, bad values: the service's mapping, one place.
            other => ApiError::from(reciprocity_service::ServiceError::from(other)),
        }
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> ApiError {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::payload_too_large(format!(
                "the request body is over the limit of {} KiB",
                crate::BODY_LIMIT_BYTES / 1024
            ));
        }
        // serde's text names the field: "unknown field `foo`, expected one of ...".
        ApiError::bad_request(r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> ApiError {
        ApiError::bad_request(r.body_text())
    }
}

impl From<tokio::task::JoinError> for ApiError {
    fn from(e: tokio::task::JoinError) -> ApiError {
        ApiError::internal(format!("a blocking task failed: {e}"))
    }
}

impl From<reciprocity_service::ServiceError> for ApiError {
    fn from(e: reciprocity_service::ServiceError) -> ApiError {
        use reciprocity_service::ErrorKind;
        let message = e.to_string();
        match e.kind() {
            ErrorKind::BadInput => ApiError::bad_request(message),
            ErrorKind::NotFound => ApiError::not_found(message),
            ErrorKind::Conflict => ApiError::conflict(message),
            ErrorKind::Refused => ApiError::unprocessable(message),
            ErrorKind::Internal => ApiError::internal(message),
            ErrorKind::Stopped => ApiError::unavailable(message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_errors_map_to_statuses_and_codes() {
        let busy = ApiError::from(StoreError::PoolTimeout {
            max: 16,
            waited_ms: 30_000,
        });
        assert_eq!(
            (busy.status, busy.code),
            (StatusCode::SERVICE_UNAVAILABLE, "unavailable")
        );
        let stale = ApiError::from(StoreError::Conflict {
            what: "talk JPN".into(),
            expected: 1,
            found: 2,
        });
        assert_eq!(
            (stale.status, stale.code),
            (StatusCode::CONFLICT, "conflict")
        );
        let missing = ApiError::from(StoreError::NotFound("talk FRA".into()));
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
    }
}
