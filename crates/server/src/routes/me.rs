//! `GET /me`: who the token belongs to.

use crate::auth::Caller;
use crate::json::Json;

/// The caller's name and role.
#[utoipa::path(get, path = "/api/v1/me", tag = "meta", security(("bearer" = [])),
    responses((status = 200, body = Caller), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(caller: Caller) -> Json<Caller> {
    Json(caller)
}
