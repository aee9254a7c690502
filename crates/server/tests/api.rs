//! The HTTP API end to end: roles on every negotiation route, scores, errors, the OpenAPI
//! document, and graceful shutdown of a real server. One test binary (the scoring world is
//! calibrated once per binary).

mod api {
    mod budget;
    pub mod common;
    mod connections;
    mod data;
    mod errors;
    mod openapi;
    mod product;
    mod record;
    mod roles;
    mod scoring;
    mod shutdown;
    mod solver_input;
    mod strategy;
}
