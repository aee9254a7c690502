//! Roles on every negotiation route (docs/service.md): a team cannot read or change another
//! talk (404 on every route, the same answer as for a talk that does not exist), analysts cannot
//! write (403), no token is 401, the admin does everything.

use axum::http::StatusCode;
use reciprocity_server::Backend;
use serde_json::json;

use super::common::{app, app_on, call, open, terms, App};

/// Every negotiation route on talk `id`, proposal 1: (method, path, body).
fn routes(id: &str) -> Vec<(&'static str, String, Option<serde_json::Value>)> {
    vec![
        ("GET", format!("/api/v1/negotiations/{id}"), None),
        ("GET", format!("/api/v1/negotiations/{id}/log"), None),
        (
            "POST",
            format!("/api/v1/negotiations/{id}/proposals"),
            Some(json!({"side": "partner", "terms": terms(10.0, 0.0)})),
        ),
        (
            "POST",
            format!("/api/v1/negotiations/{id}/proposals/1/accept"),
            Some(json!({"side": "partner"})),
        ),
        (
            "POST",
            format!("/api/v1/negotiations/{id}/proposals/1/reject"),
            Some(json!({"side": "partner"})),
        ),
        (
            "POST",
            format!("/api/v1/negotiations/{id}/extend"),
            Some(json!({"new_end": "2025-08-01"})),
        ),
    ]
}

async fn version(app: &App, id: &str) -> u64 {
    let r = call(
        app,
        "GET",
        &format!("/api/v1/negotiations/{id}"),
        Some(&app.tokens.admin),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    r.body["talk"]["version"].as_u64().unwrap()
}

async fn roles_on(app: App) -> App {
    open(&app, "JPN").await;
    open(&app, "KOR").await;
    // A US proposal on KOR, so accept/reject have a proposal 1 to aim at.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/KOR/proposals",
        Some(&app.tokens.admin),
        Some(json!({"side": "us", "terms": terms(15.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let kor_version = version(&app, "KOR").await;
    let kor_log = call(
        &app,
        "GET",
        "/api/v1/negotiations/KOR/log",
        Some(&app.tokens.admin),
        None,
    )
    .await
    .body["events"]
        .as_array()
        .unwrap()
        .len();
    a_team_sees_no_other_talk(&app, kor_version, kor_log).await;
    a_team_on_its_own_talk(&app).await;
    the_analyst_reads_and_no_token_is_refused(&app).await;
    the_admin_does_everything(&app, kor_version).await;
    app
}

async fn a_team_sees_no_other_talk(app: &App, kor_version: u64, kor_log: usize) {
    // team:JPN on KOR: 404 on every route, with the message of a talk that does not exist.
    for (method, path, body) in routes("KOR") {
        let r = call(app, method, &path, Some(&app.tokens.jpn), body.clone()).await;
        assert_eq!(
            r.status,
            StatusCode::NOT_FOUND,
            "team:JPN {method} {path}: {:?}",
            r.body
        );
        assert_eq!(r.code(), "not_found", "{method} {path}");
        assert_eq!(r.message(), "talk KOR does not exist", "{method} {path}");
        // A talk that really does not exist answers the same way.
        let missing = path.replace("KOR", "FRA");
        let m = call(app, method, &missing, Some(&app.tokens.jpn), body).await;
        assert_eq!(
            m.status,
            StatusCode::NOT_FOUND,
            "team:JPN {method} {missing}"
        );
        assert_eq!(m.message(), "talk FRA does not exist");
    }
    // By name, too: "Korea" is KOR.
    let r = call(
        app,
        "GET",
        "/api/v1/negotiations/Korea",
        Some(&app.tokens.jpn),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    // Nothing of KOR changed.
    assert_eq!(version(app, "KOR").await, kor_version);
    let after = call(
        app,
        "GET",
        "/api/v1/negotiations/KOR/log",
        Some(&app.tokens.admin),
        None,
    )
    .await;
    assert_eq!(after.body["events"].as_array().unwrap().len(), kor_log);

    // The board of team:JPN lists JPN only; the analyst's and the admin's list both.
    let board = |token: String| {
        let app = &app;
        async move {
            let r = call(app, "GET", "/api/v1/negotiations", Some(&token), None).await;
            assert_eq!(r.status, StatusCode::OK);
            r.body
                .as_array()
                .unwrap()
                .iter()
                .map(|row| row["id"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(board(app.tokens.jpn.clone()).await, ["JPN"]);
    assert_eq!(board(app.tokens.kor.clone()).await, ["KOR"]);
    assert_eq!(board(app.tokens.analyst.clone()).await, ["JPN", "KOR"]);
    assert_eq!(board(app.tokens.admin.clone()).await, ["JPN", "KOR"]);
}

async fn a_team_on_its_own_talk(app: &App) {
    // team:JPN on its own talk: reads, tables as partner; not as us, not extend, not open.
    let r = call(
        app,
        "GET",
        "/api/v1/negotiations/JPN",
        Some(&app.tokens.jpn),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["talk"]["id"], "JPN");
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.jpn),
        Some(json!({"side": "us", "terms": terms(10.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{:?}", r.body);
    assert_eq!(r.code(), "forbidden");
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/JPN/extend",
        Some(&app.tokens.jpn),
        Some(json!({"new_end": "2025-08-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations",
        Some(&app.tokens.jpn),
        Some(json!({"partner": "CHN"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Without a side, a team tables as partner.
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.jpn),
        Some(json!({"terms": terms(10.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    assert_eq!(r.body["proposal"]["side"], "partner");
    assert_eq!(r.body["proposal"]["number"], 1);
}

async fn the_analyst_reads_and_no_token_is_refused(app: &App) {
    // The analyst reads every talk and writes nothing: 403 on every write, and opening talks.
    for id in ["JPN", "KOR"] {
        for (method, path, body) in routes(id) {
            let r = call(app, method, &path, Some(&app.tokens.analyst), body).await;
            let expected = if method == "GET" {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(r.status, expected, "analyst {method} {path}: {:?}", r.body);
            if method != "GET" {
                assert_eq!(r.code(), "forbidden");
            }
        }
    }
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations",
        Some(&app.tokens.analyst),
        Some(json!({"partner": "CHN"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);

    // No token, or an unknown one: 401 on every /api/v1 route but /health.
    let mut all = routes("JPN");
    all.push(("GET", "/api/v1/negotiations".into(), None));
    all.push((
        "POST",
        "/api/v1/negotiations".into(),
        Some(json!({"partner": "CHN"})),
    ));
    all.push(("GET", "/api/v1/me".into(), None));
    all.push(("POST", "/api/v1/scenarios".into(), Some(json!({}))));
    for (method, path, body) in &all {
        for token in [None, Some("rcp_0000")] {
            let r = call(app, method, path, token, body.clone()).await;
            assert_eq!(
                r.status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} token {token:?}"
            );
            assert_eq!(r.code(), "unauthorized");
        }
    }
    let r = call(app, "GET", "/api/v1/health", None, None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["status"], "ok");
    // Public reference data needs no token (issue 12): countries, the formula, the tariffs.
    for path in [
        "/api/v1/countries",
        "/api/v1/formula",
        "/api/v1/tariffs?date=2025-08-07&partner=CHN",
        "/api/v1/tariffs/average?from=2025-04-01&to=2025-04-10",
    ] {
        let r = call(app, "GET", path, None, None).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {:?}", r.body);
    }
}

async fn the_admin_does_everything(app: &App, kor_version: u64) {
    // The admin: reads and writes every talk; KOR's team answers the US proposal.
    let r = call(app, "GET", "/api/v1/me", Some(&app.tokens.kor), None).await;
    assert_eq!(r.body, json!({"name": "kor-team", "role": "team:KOR"}));
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/KOR/proposals/1/accept",
        Some(&app.tokens.kor),
        Some(json!({"if_version": kor_version})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["state"], "framework");
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/JPN/proposals/1/reject",
        Some(&app.tokens.admin),
        Some(json!({"side": "us", "reason": "too little"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    let r = call(
        app,
        "POST",
        "/api/v1/negotiations/JPN/extend",
        Some(&app.tokens.admin),
        Some(json!({"new_end": "2025-08-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{:?}", r.body);
    assert_eq!(r.body["talk"]["pause_end"], "2025-08-01");
    assert_eq!(r.body["old_end"], "2025-07-08");
    let log = call(
        app,
        "GET",
        "/api/v1/negotiations/JPN/log",
        Some(&app.tokens.jpn),
        None,
    )
    .await;
    let kinds: Vec<&str> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["opened", "proposed", "scored", "rejected", "pause_extended"]
    );
}

#[tokio::test]
async fn roles_on_every_negotiation_route_sqlite() {
    roles_on(app()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: set RECIPROCITY_TEST_DATABASE_URL"]
async fn roles_on_every_negotiation_route_postgres() {
    let admin_url = std::env::var("RECIPROCITY_TEST_DATABASE_URL")
        .expect("RECIPROCITY_TEST_DATABASE_URL (scripts/ci-postgres.sh prints it)");
    // A schema of its own (as the store's suite does), so runs are repeatable and parallel.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    let schema = format!("srv_{}_{nanos}", std::process::id());
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    let url = format!("{admin_url}{sep}options=-c%20search_path%3D{schema}");
    let ddl = |sql: String| {
        let admin_url = admin_url.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = postgres::Client::connect(&admin_url, postgres::NoTls).unwrap();
            c.batch_execute(&sql).unwrap();
        })
    };
    ddl(format!("CREATE SCHEMA {schema}")).await.unwrap();
    // The PostgreSQL client blocks: connect (and disconnect) off the runtime's threads.
    let app = tokio::task::spawn_blocking(move || app_on(Backend::Postgres(url), None))
        .await
        .unwrap();
    let app = roles_on(app).await;
    tokio::task::spawn_blocking(move || drop(app))
        .await
        .unwrap();
    ddl(format!("DROP SCHEMA {schema} CASCADE")).await.unwrap();
}

#[tokio::test]
async fn a_team_write_neither_dates_itself_nor_touches_another_talk() {
    let app = app();
    open(&app, "JPN").await;
    // KOR's pause already ended before the server's today (2025-04-10): expiry is due on it.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations",
        Some(&app.tokens.admin),
        Some(json!({"partner": "KOR", "start": "2025-03-01", "end": "2025-04-01", "date": "2025-03-01"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let kor_before = version(&app, "KOR").await;

    // A team may not date its write: not forward (it would expire other talks), not back.
    for date in ["2099-01-01", "2025-04-01"] {
        let r = call(
            &app,
            "POST",
            "/api/v1/negotiations/JPN/proposals",
            Some(&app.tokens.jpn),
            Some(json!({"side": "partner", "date": date, "terms": terms(10.0, 0.0)})),
        )
        .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{date}: {:?}", r.body);
    }
    // On today it tables; the answer carries JPN's events only and KOR is untouched.
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.jpn),
        Some(json!({"side": "partner", "terms": terms(10.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
    let events = r.body["events"].as_array().unwrap();
    assert!(!events.is_empty());
    assert!(
        events.iter().all(|e| e["negotiation"] == "JPN"),
        "{events:?}"
    );
    assert_eq!(version(&app, "KOR").await, kor_before);
    // The admin may date a write (replaying the record).
    let r = call(
        &app,
        "POST",
        "/api/v1/negotiations/JPN/proposals",
        Some(&app.tokens.admin),
        Some(json!({"side": "us", "date": "2025-04-11", "terms": terms(15.0, 0.0)})),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{:?}", r.body);
}
