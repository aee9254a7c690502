//! `reciprocity tariffs`: rates in force from the embedded registry (no ../shared needed).

mod common;
use common::run;

fn json(args: &[&str]) -> serde_json::Value {
    let (code, out, err) = run(args);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).expect("valid JSON")
}

#[test]
fn vietnam_across_the_pause() {
    // EO 14257 Annex I: 46% on 2025-04-09; EO 14266: 10% from 2025-04-10; EO 14326: 20% from 2025-08-07.
    for (day, want) in [
        ("2025-04-09", 46.0),
        ("2025-04-10", 10.0),
        ("2025-08-07", 20.0),
        ("2026-02-20", 0.0),
    ] {
        let v = json(&[
            "tariffs",
            "--date",
            day,
            "--partner",
            "Vietnam",
            "--format",
            "json",
        ]);
        assert_eq!(v[0]["total_pct"].as_f64(), Some(want), "{day}: {v}");
    }
}

#[test]
fn breakdown_names_measures_and_sources() {
    let v = json(&[
        "tariffs",
        "--date",
        "2025-04-10",
        "--partner",
        "CHN",
        "--format",
        "json",
    ]);
    let p = &v[0];
    assert_eq!(p["total_pct"].as_f64(), Some(145.0));
    let measures = p["measures"].as_array().unwrap();
    let applied: Vec<&str> = measures
        .iter()
        .filter(|m| m["applied"] == true)
        .map(|m| m["measure"].as_str().unwrap())
        .collect();
    assert_eq!(applied, ["fent-chn-2025-03-04", "eo14266-china-125"]);
    assert!(measures.iter().all(|m| m["source"]
        .as_str()
        .unwrap()
        .starts_with("https://www.whitehouse.gov/")));
}

#[test]
fn sectors_and_mfn() {
    // Steel from Korea: 50% from 2025-06-04 (Proclamation 10947); the reciprocal does not stack.
    let v = json(&[
        "tariffs",
        "--date",
        "2025-08-07",
        "--partner",
        "KOR",
        "--sector",
        "steel",
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["total_pct"].as_f64(), Some(50.0));
    // EU goods with a 4% MFN duty: 15% all-in leaves 11% (EO 14326).
    let v = json(&[
        "tariffs",
        "--date",
        "2025-08-07",
        "--partner",
        "EU",
        "--mfn",
        "4",
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["total_pct"].as_f64(), Some(11.0));
    // Japanese cars: 25% until the agreement, 15% all-in (MFN 2.5 -> 12.5) from 2025-09-16.
    let v = json(&[
        "tariffs",
        "--date",
        "2025-09-16",
        "--partner",
        "JPN",
        "--sector",
        "8703",
        "--mfn",
        "2.5",
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["total_pct"].as_f64(), Some(12.5));
}

#[test]
fn csv_has_a_total_row_per_partner() {
    let (code, out, err) = run(&["tariffs", "--date", "2025-08-27", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let india = out
        .lines()
        .find(|l| l.contains(",IND,") && l.contains(",TOTAL,"))
        .expect("India total");
    assert!(india.contains(",50,"), "{india}");
    let totals = out.lines().filter(|l| l.contains(",TOTAL,")).count();
    assert_eq!(totals, 233, "232 Census partners + the EU");
}

#[test]
fn bad_input_exits_2() {
    let (code, _, err) = run(&["tariffs", "--date", "2025-13-01"]);
    assert_eq!(code, 2);
    assert!(err.contains("--date"), "{err}");
    let (code, _, err) = run(&["tariffs", "--date", "2025-08-07", "--partner", "Atlantis"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown partner"), "{err}");
    let (code, _, err) = run(&["tariffs", "--date", "2025-08-07", "--sector", "7700"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn alternative_registry_errors_name_entry_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[[measure]]\nid = \"x\"\nprogram = \"p\"\ninstrument = \"EO 1\"\ntitle = \"t\"\nannounced = 2025-01-01\neffective = 2025-02-01\nend = 2025-01-01\npartners = [\"VNM\"]\nhs = [\"ALL\"]\nrate = 5\nstacking = \"adds\"\nsource = \"https://example.gov/x\"\n",
    )
    .unwrap();
    let (code, _, err) = run(&[
        "tariffs",
        "--date",
        "2025-03-01",
        "--registry",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(
        err.contains("measure `x`: end: dates out of order"),
        "{err}"
    );
    // A valid one-measure registry answers from it alone.
    std::fs::write(
        &path,
        std::fs::read_to_string(&path)
            .unwrap()
            .replace("end = 2025-01-01\n", ""),
    )
    .unwrap();
    let v = json(&[
        "tariffs",
        "--date",
        "2025-03-01",
        "--partner",
        "VNM",
        "--registry",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(v[0]["total_pct"].as_f64(), Some(5.0));
}

/// `etr --from --to` as a table lists the first day and every change (it printed no row at all:
/// the first comparison was against NaN). 2025-04-05: the 10 % baseline; 2025-04-09: Annex I.
#[test]
fn the_effective_rate_series_table_lists_the_first_day_and_the_changes() {
    let (code, out, err) = run(&[
        "etr",
        "--from",
        "2025-04-01",
        "--to",
        "2025-04-12",
        "--embedded-tables",
    ]);
    assert_eq!(code, 0, "{err}");
    let dated: Vec<&str> = out.lines().filter(|l| l.starts_with("2025-04-")).collect();
    assert!(dated[0].starts_with("2025-04-01"), "{out}");
    assert!(dated.len() >= 3, "{out}");
}
