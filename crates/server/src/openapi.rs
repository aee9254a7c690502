//! The OpenAPI document, generated from the handlers' annotations, served at `/openapi.json`.

use axum::Json;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::routes;

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Reciprocity API",
        description = "Reciprocal-tariff negotiations: talks, proposals scored with a general-equilibrium model, \
                       the tariff formula and timeline, scenarios and strategy. Send `Authorization: Bearer <token>`."
    ),
    paths(
        routes::health::health,
        routes::me::me,
        routes::countries::countries,
        routes::formula::formula,
        routes::tariffs::tariffs,
        routes::tariffs::average,
        routes::product::product,
        routes::product_search::search,
        routes::product::etr,
        routes::costs::costs,
        routes::scenarios::run,
        routes::strategy::optimal,
        routes::strategy_retaliate::retaliate,
        routes::strategy_bargain::bargain,
        routes::negotiations::board,
        routes::negotiations::open,
        routes::negotiations::detail,
        routes::negotiations::log,
        routes::negotiations::extend,
        routes::proposals::table,
        routes::proposals::accept,
        routes::proposals::reject,
        routes::proposals::withdraw,
    ),
    components(schemas(crate::error::ErrorBody, crate::error::ErrorDetail)),
    modifiers(&BearerAuth)
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// `GET /openapi.json` (no token needed).
pub async fn serve() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
