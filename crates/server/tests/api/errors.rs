//! Every error is JSON with a stable code: unknown field and malformed body 400 naming the field,
//! oversize body 413, stale if_version 409, a state-machine refusal 422, unknown route 404.

use axum::http::StatusCode;
use serde_json::json;

use super::common::{app, call, call_raw, open, terms};

#[tokio::test]
async fn a_bad_body_is_400_or_413_naming_the_field() {
    let app = app();
    open(&app, "JPN").await;
    let admin = Some(app.tokens.admin.as_str());
    // Unknown field at the top and deep inside the terms.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(json!({"partner": "CHN", "dayz": 90})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "bad_request");
    assert!(
        r.message().contains("unknown field `dayz`"),
        "{}",
        r.message()
    );
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        admin,
        Some(json!({"side": "us", "terms": {"tariff_lines": [{"by": "us", "scope": "all", "rate": 10}]}})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(
        r.message().contains("terms.tariff_lines[0]"),
        "{}",
        r.message()
    );
    assert!(
        r.message().contains("unknown field `rate`"),
        "{}",
        r.message()
    );
    // A wrong type names the field; a bad value names it too.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(json!({"partner": "CHN", "days": "ninety"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().contains("days"), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(json!({"partner": "CHN", "end": "July 9"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("end: "), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        admin,
        Some(json!({"side": "them", "terms": terms(10.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.message().starts_with("side: "), "{}", r.message());
    // Malformed JSON.
    let r = call_raw(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(b"{\"partner\": ".to_vec()),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.code(), "bad_request");

    // Over 256 KiB: 413, before anything is parsed or written.
    let big = format!(
        "{{\"partner\": \"CHN\", \"pad\": \"{}\"}}",
        "x".repeat(300 * 1024)
    );
    let r = call_raw(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(big.into_bytes()),
    )
    .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(r.code(), "payload_too_large");
    assert!(r.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn a_stale_version_or_a_duplicate_is_409() {
    let app = app();
    open(&app, "JPN").await;
    let admin = Some(app.tokens.admin.as_str());
    // A stale if_version: 409, nothing written.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        admin,
        Some(json!({"side": "us", "terms": terms(15.0, 0.0), "if_version": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["talk"]["version"], 2);
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        admin,
        Some(json!({"side": "us", "terms": terms(12.0, 0.0), "if_version": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT, "{:?}", r.body);
    assert_eq!(r.code(), "conflict");
    assert!(r.message().contains("stored version 2"), "{}", r.message());
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/extend",
        admin,
        Some(json!({"new_end": "2025-08-01", "if_version": 1})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    // A duplicate talk: 409.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        admin,
        Some(json!({"partner": "Japan"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "conflict");
}

#[tokio::test]
async fn a_refusal_of_the_state_machine_is_422_and_a_missing_proposal_404() {
    let app = app();
    open(&app, "JPN").await;
    let admin = Some(app.tokens.admin.as_str());
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        admin,
        Some(json!({"side": "us", "terms": terms(15.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    // The state machine refuses: the US cannot accept its own proposal (422); a rejected
    // proposal cannot be accepted (422).
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/1/accept",
        admin,
        Some(json!({"side": "us"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    assert_eq!(r.code(), "unprocessable");
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/1/reject",
        Some(&app.tokens.jpn),
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/1/accept",
        Some(&app.tokens.jpn),
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{:?}", r.body);
    // A proposal that does not exist: 404; a proposal number that is not a number: 400.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/9/accept",
        admin,
        Some(json!({})),
    )
    .await;
    assert!(
        r.status == StatusCode::NOT_FOUND || r.status == StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        r.body
    );
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/one/accept",
        admin,
        Some(json!({})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn an_unknown_route_or_method_is_json_too() {
    let app = app();
    open(&app, "JPN").await;
    let admin = Some(app.tokens.admin.as_str());
    // Unknown route and wrong method: JSON too.
    for method in ["GET", "POST"] {
        let r = call(&app, method, "/api/v1/nope", admin, None).await;
        assert_eq!(r.status, StatusCode::NOT_FOUND, "{method}");
        assert_eq!(r.code(), "not_found");
    }
    let r = call(&app, "DELETE", "/api/v1/negotiations", admin, None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(r.content_type.starts_with("application/json"));
}

#[tokio::test]
async fn dashboard_files_are_served_with_their_types() {
    let app = app();
    let r = call(&app, "GET", "/", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type, "text/html; charset=utf-8");
    for (path, _) in reciprocity_server::assets::FILES {
        let r = call(&app, "GET", &format!("/{path}"), None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(
            r.content_type,
            reciprocity_server::assets::content_type(path),
            "{path}"
        );
    }
    assert!(reciprocity_server::assets::FILES
        .iter()
        .any(|(p, _)| *p == "index.html"));
    let r = call(&app, "GET", "/no-such-file.js", None, None).await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
}

/// HTTP hygiene (issue 15): a 401 names its scheme; every answer forbids MIME sniffing and
/// framing by other sites, errors and the dashboard alike.
#[tokio::test]
async fn answers_carry_the_security_headers_and_a_401_its_scheme() {
    let app = app();
    let r = call(&app, "GET", "/api/v1/negotiations", None, None).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.headers["www-authenticate"],
        "Bearer realm=\"reciprocity\""
    );
    for path in ["/api/v1/health", "/api/v1/nope", "/"] {
        let r = call(&app, "GET", path, None, None).await;
        assert_eq!(r.headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(
            r.headers["content-security-policy"], "frame-ancestors 'none'",
            "{path}"
        );
        assert_eq!(r.headers["x-frame-options"], "DENY", "{path}");
    }
}

/// Every number of `v` that is a negative zero, with its path.
fn negative_zeros(v: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Number(n)
            if n.as_f64().is_some_and(|x| x == 0.0 && x.is_sign_negative()) =>
        {
            out.push(path.to_string());
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                negative_zeros(x, &format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                negative_zeros(x, &format!("{path}.{k}"), out);
            }
        }
        _ => {}
    }
}

/// Issue 15, item 12: no `-0.0` in an answer. Before: `GET /tariffs/average` sent
/// `"additional_pct": -0.0` for 2025-01-01 and 2026-02-20.
#[tokio::test]
async fn no_answer_carries_a_negative_zero() {
    let app = app();
    let r = call(&app, "GET", "/api/v1/tariffs/average", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    let mut found = Vec::new();
    negative_zeros(&r.body, "", &mut found);
    assert!(found.is_empty(), "{found:?}");
    assert!(r.content_type.starts_with("application/json"));
    // Zero stays a number (0.0), it is not dropped.
    let points = r.body["points"].as_array().unwrap();
    assert!(points.iter().any(|p| p["additional_pct"] == 0.0));
}
