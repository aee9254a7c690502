//! What the API tests share: one calibrated world, an app on a temporary SQLite database with a
//! user of each role, and a request helper.

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use chrono::NaiveDate;
use reciprocity_server::auth::new_token;
use reciprocity_server::{AppState, Backend, Limits, ServerConfig, Stores};
use reciprocity_service::NegotiationWorld;
use reciprocity_store::{ApiUser, Store};
use serde_json::Value;
use tower::ServiceExt;

/// The server's today in the tests: the 2025 pause had begun on April 9.
pub const CLOCK: &str = "2025-04-10";

/// The embedded world, calibrated once.
pub fn world() -> Arc<NegotiationWorld> {
    static WORLD: OnceLock<Arc<NegotiationWorld>> = OnceLock::new();
    WORLD
        .get_or_init(|| Arc::new(NegotiationWorld::load(None).expect("the embedded world loads")))
        .clone()
}

/// The tokens of the users every app has.
pub struct Tokens {
    pub admin: String,
    pub analyst: String,
    pub jpn: String,
    pub kor: String,
}

/// An app on its own database.
pub struct App {
    pub router: Router,
    pub state: AppState,
    pub config: ServerConfig,
    pub tokens: Tokens,
    pub db: Option<PathBuf>,
    _dir: Option<tempfile::TempDir>,
}

/// A fresh SQLite database in a temporary folder.
pub fn sqlite() -> (Backend, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    (Backend::Sqlite(dir.path().join("talks.db")), dir)
}

/// An app on `backend` with users `us-lead` (admin), `analyst`, `jpn-team` (team:JPN) and
/// `kor-team` (team:KOR), added through the store.
pub fn app_on(backend: Backend, dir: Option<tempfile::TempDir>) -> App {
    app_limited(backend, dir, Limits::default())
}

/// An app on a fresh SQLite database with `limits`.
pub fn app_with(limits: Limits) -> App {
    let (backend, dir) = sqlite();
    app_limited(backend, Some(dir), limits)
}

fn app_limited(backend: Backend, dir: Option<tempfile::TempDir>, limits: Limits) -> App {
    let config = ServerConfig {
        backend: backend.clone(),
        bind: "127.0.0.1:0".parse().unwrap(),
        clock: Some(NaiveDate::parse_from_str(CLOCK, "%Y-%m-%d").unwrap()),
        world: None,
        world_name: None,
        limits,
    };
    let stores = Stores::open(&backend).expect("the backend opens");
    let mut store = stores.get().unwrap();
    let mut add = |name: &str, role: &str| {
        let (token, hash) = new_token().unwrap();
        store
            .add_user(
                &ApiUser {
                    name: name.into(),
                    role: role.into(),
                    created: "2025-04-09T00:00:00Z".into(),
                },
                &hash,
            )
            .unwrap();
        token
    };
    let tokens = Tokens {
        admin: add("us-lead", "admin"),
        analyst: add("analyst", "analyst"),
        jpn: add("jpn-team", "team:JPN"),
        kor: add("kor-team", "team:KOR"),
    };
    drop(store);
    let state = AppState::with_world(stores, world(), &config);
    let db = match &backend {
        Backend::Sqlite(p) => Some(p.clone()),
        Backend::Postgres(_) => None,
    };
    App {
        router: reciprocity_server::router(state.clone()),
        state,
        config,
        tokens,
        db,
        _dir: dir,
    }
}

/// An app on a fresh SQLite database.
pub fn app() -> App {
    let (backend, dir) = sqlite();
    app_on(backend, Some(dir))
}

/// A response: status and JSON body (`Value::Null` when the body is empty or not JSON).
pub struct Reply {
    pub status: StatusCode,
    pub body: Value,
    pub content_type: String,
    pub headers: axum::http::HeaderMap,
}

impl Reply {
    /// The error code of an error body.
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
    /// The error message of an error body.
    pub fn message(&self) -> &str {
        self.body["error"]["message"].as_str().unwrap_or("")
    }
}

/// Send a request with an optional bearer token and JSON body.
pub async fn call(
    app: &App,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Reply {
    let raw = body.map(|b| serde_json::to_vec(&b).unwrap());
    call_raw(app, method, path, token, raw).await
}

/// Send a request with a raw body (sent as `application/json`).
pub async fn call_raw(
    app: &App,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Vec<u8>>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    if let Some(t) = token {
        req = req.header("authorization", format!("Bearer {t}"));
    }
    let req = match body {
        Some(b) => req
            .header("content-type", "application/json")
            .body(Body::from(b))
            .unwrap(),
        None => req.body(Body::empty()).unwrap(),
    };
    let resp = app.router.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let content_type = resp
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        body,
        content_type,
        headers,
    }
}

/// Open a talk as the admin (pause from April 9, 2025, 90 days).
pub async fn open(app: &App, partner: &str) -> Reply {
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations",
        Some(&app.tokens.admin),
        Some(serde_json::json!({"partner": partner, "date": "2025-04-09", "days": 90})),
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "open {partner}: {:?}",
        r.body
    );
    r
}

/// The US cuts its tariff on the partner to `us_pct`; the partner sets its own to `partner_pct`.
pub fn terms(us_pct: f64, partner_pct: f64) -> Value {
    serde_json::json!({
        "tariff_lines": [
            {"by": "us", "scope": "all", "rate_pct": us_pct},
            {"by": "partner", "scope": "all", "rate_pct": partner_pct}
        ]
    })
}
