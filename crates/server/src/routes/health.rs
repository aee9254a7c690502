//! `GET /health`: is the server up, on which backend, schema and world (no token needed).

use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::json::Json;
use crate::AppState;

/// The server's health.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
    /// `sqlite` or `postgres`.
    pub backend: String,
    /// The database schema version.
    pub schema_version: u32,
    /// The scoring world: where it came from, its size.
    pub world: WorldInfo,
    /// The server's today (the `--clock` day, or the real date).
    #[schema(format = Date)]
    pub today: String,
}

/// The scoring world.
#[derive(Debug, Serialize, ToSchema)]
pub struct WorldInfo {
    /// `embedded` or the dataset path.
    pub name: String,
    /// Where the data came from.
    pub source: String,
    /// Countries.
    pub countries: usize,
    /// Sectors.
    pub sectors: Vec<String>,
    /// What was assumed in building it.
    pub notes: Vec<String>,
}

/// Health check.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta",
    responses((status = 200, body = Health), (status = 500, body = crate::error::ErrorBody)))]
pub async fn health(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    let schema_version = state
        .with_store(|store| Ok(store.schema_version()?))
        .await?;
    let w = state.world();
    Ok(Json(Health {
        status: "ok".into(),
        backend: state.backend().name().into(),
        schema_version,
        world: WorldInfo {
            name: w.world.name.clone(),
            source: w.source.clone(),
            countries: w.data.n_countries(),
            sectors: w.data.sectors.clone(),
            notes: w.notes.clone(),
        },
        today: state.today().format("%Y-%m-%d").to_string(),
    }))
}
