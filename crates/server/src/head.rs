//! Limits on a request's head, answered in the API's JSON error shape (issue 15, item 12): a URI
//! over [`MAX_URI_BYTES`] is a 414, headers over [`MAX_HEADER_BYTES`] in all or more than
//! [`MAX_HEADERS`] a 431, each `{"error": {"code", "message"}}` like every other error.
//!
//! hyper parses the head first and answers a head beyond its own, larger limits (a URI over
//! 65,534 bytes, more than [`HYPER_MAX_HEADERS`] headers, a head over about 400 KB) itself, with
//! the status alone and no body; these limits sit below its, so every head a client can
//! reasonably send gets the JSON answer.

use axum::extract::Request;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::error::ApiError;

/// The longest request target (path and query), in bytes.
pub const MAX_URI_BYTES: usize = 8 * 1024;
/// The most bytes of header names and values in a request.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;
/// The most headers in a request.
pub const MAX_HEADERS: usize = 100;
/// hyper's own limit on the number of headers, set above [`MAX_HEADERS`] so that the count is
/// checked here.
pub const HYPER_MAX_HEADERS: usize = 200;

/// Refuse an oversize head with a JSON 414 or 431; pass the rest on.
pub async fn limits(request: Request, next: Next) -> Response {
    let uri = request
        .uri()
        .path_and_query()
        .map_or(0, |p| p.as_str().len());
    if uri > MAX_URI_BYTES {
        return error(
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            format!("the request URI is {uri} bytes; at most {MAX_URI_BYTES} are accepted"),
        );
    }
    let headers = request.headers();
    let bytes: usize = headers
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len())
        .sum();
    if headers.len() > MAX_HEADERS || bytes > MAX_HEADER_BYTES {
        return error(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "headers_too_large",
            format!(
                "the request has {} headers of {bytes} bytes; at most {MAX_HEADERS} headers of \
                 {MAX_HEADER_BYTES} bytes in all are accepted",
                headers.len()
            ),
        );
    }
    next.run(request).await
}

fn error(status: StatusCode, code: &'static str, message: String) -> Response {
    ApiError {
        status,
        code,
        message,
        retry_after: None,
    }
    .into_response()
}
