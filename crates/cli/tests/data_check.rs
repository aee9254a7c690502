//! `reciprocity data check` and bad input: every bad file gives one error line naming file:line,
//! exit code 2, no panic.

use std::path::{Path, PathBuf};
use std::process::Output;

mod common;
use common::bin;

fn shared() -> PathBuf {
    match std::env::var_os("RECIPROCITY_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
    }
}

fn check(path: &Path) -> Output {
    bin().args(["data", "check"]).arg(path).output().unwrap()
}

/// The single stderr line of a failed run, with the temp dir replaced by `DIR`.
fn error_line(out: &Output, dir: &Path) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&dir.display().to_string(), "DIR");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected: {stderr}");
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    lines[0].to_string()
}

fn bad_file(name: &str, text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    std::fs::write(&p, text).unwrap();
    error_line(&check(&p), dir.path())
}

#[test]
fn malformed_csv() {
    assert_eq!(
        bad_file(
            "flows.csv",
            "exporter,importer,value\nUSA,CHN,1\nUSA,DEU,2,9\n"
        ),
        "error: DIR/flows.csv:3: row: expected 3 fields (as in the header), found 4"
    );
}

#[test]
fn missing_or_renamed_column() {
    assert_eq!(
        bad_file("flows.csv", "exporter,importer,amount\nUSA,CHN,1\n"),
        "error: DIR/flows.csv:1: value: expected a column `value` (or `value_<unit>`), found columns: exporter, importer, amount"
    );
    assert_eq!(
        bad_file("flows.csv", "exporter,buyer,value\nUSA,CHN,1\n"),
        "error: DIR/flows.csv:1: header: expected a long CSV header `exporter,importer[,sector],value[,tariff]` or the gegravity header `exporter,importer,year,trade,Y,E`, found: exporter,buyer,value"
    );
}

#[test]
fn unknown_country_code() {
    assert_eq!(
        bad_file(
            "flows.csv",
            "exporter,importer,value\nUSA,CHN,1\nUSA,QQQ,2\n"
        ),
        "error: DIR/flows.csv:3: importer: expected a known country code (ISO3), found \"QQQ\""
    );
}

#[test]
fn empty_file() {
    assert_eq!(
        bad_file("flows.csv", ""),
        "error: DIR/flows.csv:1: header: expected a CSV header row, found an empty file"
    );
    assert_eq!(
        bad_file("flows.csv", "exporter,importer,value\n"),
        "error: DIR/flows.csv:2: row: expected data rows after the header, found none"
    );
}

#[test]
fn not_a_dataset_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    let line = error_line(&check(dir.path()), dir.path());
    assert!(
        line.starts_with("error: DIR:0: layout: expected a dataset folder"),
        "{line}"
    );
    assert!(line.ends_with("found: notes.txt"), "{line}");
}

#[test]
fn several_problems_are_all_listed() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("flows.csv");
    std::fs::write(
        &p,
        "exporter,importer,value\nUSA,CHN,-1\nUSA,ZZZ,2\nUSA,CHN,3\nUSA,DEU,\n",
    )
    .unwrap();
    let out = check(&p);
    let line = error_line(&out, dir.path());
    assert_eq!(line, "error: DIR/flows.csv:2: value: expected a flow ≥ 0, found -1 (and 2 more problems, listed above)");
    let stdout = String::from_utf8_lossy(&out.stdout);
    for expect in [
        "flows.csv:2: value: expected a flow ≥ 0, found -1",
        "flows.csv:3: importer: expected a known country code (ISO3), found \"ZZZ\"",
        "flows.csv:5: value: expected a flow, found an empty cell",
    ] {
        assert!(stdout.contains(expect), "{expect} not in {stdout}");
    }
}

#[test]
fn duplicates_and_missing_diagonal() {
    let line = bad_file(
        "flows.csv",
        "exporter,importer,sector,value\nUSA,USA,A,5\nUSA,USA,A,6\n",
    );
    assert_eq!(line, "error: DIR/flows.csv:3: exporter,importer,sector: expected each cell once, found a duplicate of line 2");
    let line = bad_file(
        "flows.csv",
        "exporter,importer,value\nUSA,USA,5\nCHN,USA,6\n",
    );
    assert_eq!(line, "error: DIR/flows.csv:0: diagonal: CHN: expected domestic sales (exporter = importer) > 0, found none");
}

#[test]
fn valid_long_csv_reports_counts() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("flows.csv"),
        "exporter,importer,value,year\nUSA,CHN,1,2024\nCHN,USA,3,2024\n",
    )
    .unwrap();
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(0));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("2 countries × 1 sectors; 2 non-zero flows"),
        "{stdout}"
    );
    assert!(stdout.contains("columns ignored: year"), "{stdout}");
    assert!(
        stdout.contains("2 cells given, 2 absent read as 0"),
        "{stdout}"
    );
    assert!(stdout.ends_with("OK: no problems\n"), "{stdout}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn shared_worlds_check_clean() {
    for (dir, expect) in [
        (
            "ilms2025",
            "194 countries × 1 sectors; 25398 non-zero flows",
        ),
        ("ossa2014", "7 countries × 33 sectors; 1617 non-zero flows"),
        ("gegravity", "30 countries × 1 sectors; 900 non-zero flows"),
        (
            "partner_tariffs",
            "wits_bilateral_tariffs_us_2022.csv: 6360 rows",
        ),
    ] {
        let out = check(&shared().join(dir));
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(0),
            "{dir}: {stdout}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(stdout.contains(expect), "{dir}: {stdout}");
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn ilms_load_time_release() {
    // Run with `cargo test --release -p reciprocity --test data_check -- --ignored --nocapture` for the timing.
    let t0 = std::time::Instant::now();
    let out = check(&shared().join("ilms2025"));
    let elapsed = t0.elapsed();
    assert_eq!(out.status.code(), Some(0));
    eprintln!("reciprocity data check ilms2025 (process, load + validate): {elapsed:?}");
    assert!(elapsed.as_secs_f64() < 10.0, "{elapsed:?}");
}
