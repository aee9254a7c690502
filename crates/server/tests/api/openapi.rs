//! `/openapi.json` parses (no token needed) and lists every route with its method.

use axum::http::StatusCode;

use super::common::{app, call};

/// The routes anyone may call without a token: the health check and public reference data.
pub const PUBLIC: &[&str] = &[
    "/api/v1/health",
    "/api/v1/countries",
    "/api/v1/formula",
    "/api/v1/tariffs",
    "/api/v1/tariffs/average",
    "/api/v1/tariffs/product",
    "/api/v1/tariffs/search",
    "/api/v1/etr",
    "/api/v1/costs",
];

/// Every route of the API: (method, path).
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/v1/health"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/countries"),
    ("get", "/api/v1/formula"),
    ("get", "/api/v1/tariffs"),
    ("get", "/api/v1/tariffs/average"),
    ("get", "/api/v1/tariffs/product"),
    ("get", "/api/v1/tariffs/search"),
    ("get", "/api/v1/etr"),
    ("get", "/api/v1/costs"),
    ("post", "/api/v1/scenarios"),
    ("post", "/api/v1/strategy/optimal"),
    ("post", "/api/v1/strategy/retaliate"),
    ("post", "/api/v1/strategy/bargain"),
    ("get", "/api/v1/negotiations"),
    ("post", "/api/v1/negotiations"),
    ("get", "/api/v1/negotiations/{id}"),
    ("get", "/api/v1/negotiations/{id}/log"),
    ("post", "/api/v1/negotiations/{id}/extend"),
    ("post", "/api/v1/negotiations/{id}/proposals"),
    ("post", "/api/v1/negotiations/{id}/proposals/{n}/accept"),
    ("post", "/api/v1/negotiations/{id}/proposals/{n}/reject"),
    ("post", "/api/v1/negotiations/{id}/proposals/{n}/withdraw"),
];

#[tokio::test]
async fn openapi_lists_every_route() {
    let app = app();
    let r = call(&app, "GET", "/openapi.json", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let doc = &r.body;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let mut listed = Vec::new();
    for (path, item) in paths {
        for method in item.as_object().unwrap().keys() {
            if ["get", "post", "put", "delete", "patch"].contains(&method.as_str()) {
                listed.push((method.clone(), path.clone()));
            }
        }
    }
    listed.sort();
    let mut expected: Vec<(String, String)> = ROUTES
        .iter()
        .map(|(m, p)| (m.to_string(), p.to_string()))
        .collect();
    expected.sort();
    assert_eq!(listed, expected);
    // Every route but the public ones needs the bearer token; the scheme is declared.
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    for (method, path) in ROUTES {
        let op = &paths[*path][*method];
        let secured = op["security"].as_array().is_some_and(|s| !s.is_empty());
        assert_eq!(secured, !PUBLIC.contains(path), "{method} {path}");
        assert!(
            op["responses"]["200"].is_object() || op["responses"]["201"].is_object(),
            "{method} {path}"
        );
    }
    // The request bodies refer to their schemas, which exist.
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for name in [
        "ProposalBody",
        "TermsBody",
        "ScoreOut",
        "ErrorBody",
        "BoardRowOut",
    ] {
        assert!(schemas.contains_key(name), "schema {name}");
    }
}
