//! One document per use case: the CLI's `--format json` and the API answer the same JSON for the
//! formula, a scenario and a proposal's score (issue 11), on the real binary and the real server.

use std::path::Path;

use serde_json::Value;

mod common;
use common::run_env;
use common::server::{add_admin, request, start};

fn cli_json(args: &[&str], db: &Path) -> Value {
    let db = db.to_str().unwrap();
    let (code, out, err) = run_env(args, &[("RECIPROCITY_DB", db)]);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}: {out}"))
}

fn api_json(
    addr: std::net::SocketAddr,
    token: &str,
    path: &str,
    body: Option<&str>,
    status: u16,
) -> Value {
    let (code, text) = request(addr, token, path, body).expect("the server answers");
    assert_eq!(code, status, "{path}: {text}");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"))
}

#[test]
fn the_cli_and_the_api_emit_the_same_formula_scenario_and_score() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("talks.db");
    let token = add_admin(&db);
    let (mut server, addr) = start(&db);

    // The formula, default and with parameters.
    let cli = cli_json(&["formula", "--format", "json"], &db);
    let api = api_json(addr, &token, "/api/v1/formula", None, 200);
    assert_eq!(cli["summary"]["chart_partners"], 185);
    assert_eq!(cli, api, "formula");
    let cli = cli_json(
        &[
            "formula",
            "--rounding",
            "unrounded",
            "--trade-elasticity",
            "8",
            "--top",
            "5",
            "--format",
            "json",
        ],
        &db,
    );
    let api = api_json(
        addr,
        &token,
        "/api/v1/formula?rounding=unrounded&trade_elasticity=8&top=5",
        None,
        200,
    );
    assert_eq!(cli["rows"].as_array().unwrap().len(), 5);
    assert_eq!(cli, api, "formula with parameters");

    // A scenario: the same file as TOML for the CLI and as JSON for the API.
    let toml = "name = \"Ten percent\"\n[model]\npreset = \"ilms\"\n\
                [[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nrate = 0.10\n";
    let file = dir.path().join("request");
    std::fs::write(&file, toml).unwrap();
    let mut cli = cli_json(
        &[
            "simulate",
            "--scenario",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
        &db,
    );
    let body = r#"{"name": "Ten percent", "model": {"preset": "ilms"},
                   "tariffs": [{"importers": ["USA"], "exporters": ["all"], "rate": 0.10}]}"#;
    let api = api_json(addr, &token, "/api/v1/scenarios", Some(body), 200);
    // The file the CLI read is a path; the API's is the request.
    assert_eq!(api["file"], "request");
    cli["file"] = Value::from("request");
    assert_eq!(cli["countries"].as_array().unwrap().len(), 194);
    assert_eq!(cli, api, "scenario");

    // A proposal's score: the same terms on the same talk, tabled by the CLI and by the API.
    let (code, _, err) = run_env(
        &["negotiate", "open", "JPN", "--date", "2025-04-10"],
        &[("RECIPROCITY_DB", db.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{err}");
    let cli = cli_json(
        &[
            "negotiate",
            "propose",
            "JPN",
            "--side",
            "partner",
            "--date",
            "2025-04-20",
            "--tariff",
            "by=USA,sector=all,rate=10",
            "--tariff",
            "by=JPN,sector=all,rate=0",
            "--format",
            "json",
        ],
        &db,
    );
    let body = r#"{"side": "partner", "date": "2025-04-20", "terms": {"tariff_lines": [
                   {"by": "USA", "scope": "all", "rate_pct": 10}, {"by": "JPN", "scope": "all", "rate_pct": 0}]}}"#;
    let api = api_json(
        addr,
        &token,
        "/api/v1/negotiations/JPN/proposals",
        Some(body),
        201,
    );
    assert!(cli["score"]["us_welfare_pct"].is_number(), "{cli}");
    assert_eq!(cli["score"], api["score"], "proposal score");

    server.kill().unwrap();
    server.wait().unwrap();
}
