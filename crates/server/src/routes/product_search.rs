//! `GET /tariffs/search?q=&limit=` (public reference data, no token): the HTS-10 lines whose
//! Census 2024 description holds every word of `q`, or whose code starts with it — the dashboard's
//! product lookup and `reciprocity tariffs --search`.

use crate::json::Json;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::error::ApiError;
use crate::extract::ApiQuery;

/// The most lines one answer lists.
pub const MAX_LINES: usize = 200;

/// Words of a description or an HTS code prefix.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Words (all must appear, any case) or the first digits of an HTS code.
    pub q: String,
    /// At most this many lines, 1 to 200 (default 25).
    pub limit: Option<usize>,
}

/// HTS-10 lines by description: `{query, lines: [{hts10, description}]}`.
#[utoipa::path(get, path = "/api/v1/tariffs/search", tag = "data", params(SearchQuery),
    responses((status = 200, description = "the matching HTS-10 lines"), (status = 400, body = crate::error::ErrorBody)))]
pub async fn search(
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let limit = q.limit.unwrap_or(25);
    if !(1..=MAX_LINES).contains(&limit) {
        return Err(ApiError::bad_request(format!(
            "limit: expected 1 to {MAX_LINES}, found {limit}"
        )));
    }
    if q.q.chars().count() > 200 {
        return Err(ApiError::bad_request("q: at most 200 characters"));
    }
    let c = super::product::ctx().await?;
    let lines = reciprocity_service::product::search(&c.engine, &q.q, limit)
        .map_err(|e| ApiError::bad_request(e.to_string().replacen("search: ", "q: ", 1)))?;
    let lines: Vec<_> = lines
        .into_iter()
        .map(|(hts10, description)| serde_json::json!({"hts10": hts10, "description": description}))
        .collect();
    Ok(Json(serde_json::json!({ "query": q.q, "lines": lines })))
}
