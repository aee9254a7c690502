//! `GET /countries`: the country registry.

use serde::Serialize;
use utoipa::ToSchema;

use crate::json::Json;

/// A country, territory or group of the registry.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountryOut {
    /// ISO3 (`EUU`: the European Union).
    pub iso3: String,
    /// ISO2, when known.
    pub iso2: Option<String>,
    /// Display name.
    pub name: String,
    /// Census Schedule C code(s).
    pub census_code: Option<String>,
    /// Whether it stands for a group.
    pub is_group: bool,
    /// Other spellings.
    pub aliases: Vec<String>,
}

/// The registry, in its order.
#[utoipa::path(get, path = "/api/v1/countries", tag = "data",
    responses((status = 200, body = Vec<CountryOut>)))]
pub async fn countries() -> Json<Vec<CountryOut>> {
    Json(
        reciprocity_data::registry::all()
            .iter()
            .map(|c| CountryOut {
                iso3: c.iso3.clone(),
                iso2: c.iso2.clone(),
                name: c.name.clone(),
                census_code: c.census_code.clone(),
                is_group: c.is_group,
                aliases: c.aliases.clone(),
            })
            .collect(),
    )
}
