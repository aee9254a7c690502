//! The routes of `/api/v1`, one file per group.

use axum::routing::{get, post};
use axum::Router;

use crate::error::ApiError;
use crate::AppState;

pub mod costs;
pub mod countries;
pub mod formula;
pub mod health;
pub mod me;
pub mod negotiations;
pub mod product;
pub mod product_search;
pub mod proposals;
pub mod scenarios;
pub mod strategy;
pub mod strategy_bargain;
pub mod strategy_retaliate;
pub mod tariffs;

/// The `/api/v1` router.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(health::health))
        .route("/me", get(me::me))
        .route("/countries", get(countries::countries))
        .route("/formula", get(formula::formula))
        .route("/tariffs", get(tariffs::tariffs))
        .route("/tariffs/average", get(tariffs::average))
        .route("/tariffs/product", get(product::product))
        .route("/tariffs/search", get(product_search::search))
        .route("/etr", get(product::etr))
        .route("/costs", get(costs::costs))
        .route("/scenarios", post(scenarios::run))
        .route("/strategy/optimal", post(strategy::optimal))
        .route("/strategy/retaliate", post(strategy_retaliate::retaliate))
        .route("/strategy/bargain", post(strategy_bargain::bargain))
        .route(
            "/negotiations",
            get(negotiations::board).post(negotiations::open),
        )
        .route("/negotiations/{id}", get(negotiations::detail))
        .route("/negotiations/{id}/log", get(negotiations::log))
        .route("/negotiations/{id}/extend", post(negotiations::extend))
        .route("/negotiations/{id}/proposals", post(proposals::table))
        .route(
            "/negotiations/{id}/proposals/{n}/accept",
            post(proposals::accept),
        )
        .route(
            "/negotiations/{id}/proposals/{n}/reject",
            post(proposals::reject),
        )
        .route(
            "/negotiations/{id}/proposals/{n}/withdraw",
            post(proposals::withdraw),
        )
}

/// Any path without a route: 404 in the API's JSON shape.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such route")
}

/// A known path with another method: 405 in the API's JSON shape.
pub async fn method_not_allowed() -> ApiError {
    ApiError::method_not_allowed()
}
