//! `reciprocity formula`: the acceptance counts from the embedded tables, formats and flags.

mod common;
use common::run;

fn csv_rows(text: &str) -> Vec<csv::StringRecord> {
    csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(|r| r.unwrap())
        .collect()
}

#[test]
fn chart_partners_render_as_csv_with_a_reason_for_each_difference() {
    // The match itself (185 charged, 182 reciprocal, which three differ and why) is specified at
    // the service (`service::formula` tests); here, what the command prints.
    let (code, out, err) = run(&["formula", "--partners", "chart", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    let header: Vec<String> = csv::Reader::from_reader(out.as_bytes())
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    for col in [
        "iso3",
        "country",
        "us_exports_usd",
        "us_imports_usd",
        "charged_pct",
        "reciprocal_pct",
        "official_charged_pct",
        "official_reciprocal_pct",
    ] {
        assert!(header.iter().any(|h| h == col), "missing column {col}");
    }
    let idx = |c: &str| header.iter().position(|h| h == c).unwrap();
    let rows = csv_rows(&out);
    assert_eq!(rows.len(), 185);
    let differ: Vec<(String, String)> = rows
        .iter()
        .filter(|r| r[idx("reciprocal_pct")] != r[idx("official_reciprocal_pct")])
        .map(|r| {
            (
                r[idx("iso3")].to_string(),
                r[idx("difference_reason")].to_string(),
            )
        })
        .collect();
    assert!(!differ.is_empty());
    for (iso, reason) in &differ {
        assert!(!reason.is_empty(), "{iso} has no reason");
    }
    // China's row, value by value (Census 2024; chart 67/34).
    let chn = rows.iter().find(|r| &r[idx("iso3")] == "CHN").unwrap();
    assert_eq!(&chn[idx("us_exports_usd")], "143545739507");
    assert_eq!(&chn[idx("us_imports_usd")], "438947386145");
    assert_eq!(
        (&chn[idx("charged_pct")], &chn[idx("reciprocal_pct")]),
        ("67", "34")
    );
}

#[test]
fn table_lists_every_census_partner_and_the_summary() {
    let (code, out, _) = run(&["formula"]);
    assert_eq!(code, 0);
    // Header + 233 rows (232 Census partners + the EU), a blank line, then the summary.
    assert!(out.starts_with("ISO3  Partner"), "{}", &out[..80]);
    assert!(out.contains("Against the 2025-04-02 chart: charged rate matches 185/185, reciprocal rate matches 182/185"));
    assert!(out.contains("  AFG Afghanistan: Chart shows 49% charged but only 10% reciprocal"));
    let data_lines = out.lines().take_while(|l| !l.is_empty()).count();
    assert_eq!(data_lines, 1 + 233);
}

#[test]
fn top_keeps_every_difference_in_the_summary() {
    let (code, out, _) = run(&["formula", "--top", "3"]);
    assert_eq!(code, 0);
    assert_eq!(out.lines().take_while(|l| !l.is_empty()).count(), 4);
    for iso in ["  JPN Japan: ", "  VNM Vietnam: ", "  AFG Afghanistan: "] {
        assert!(out.contains(iso), "{iso} missing: {out}");
    }
}

#[test]
fn json_has_summary_and_parameters() {
    let (code, out, _) = run(&["formula", "--format", "json", "--top", "3"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["charged_matches"], 185);
    assert_eq!(v["summary"]["reciprocal_matches"], 182);
    assert_eq!(v["pass_through"], 0.25);
    assert_eq!(v["rows"].as_array().unwrap().len(), 3);
    assert_eq!(v["rows"][0]["iso3"], "EUU");
    // The differences are in the summary even when --top leaves their rows out.
    let diffs: Vec<&str> = v["summary"]["differences"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["iso3"].as_str().unwrap())
        .collect();
    assert_eq!(diffs, ["JPN", "VNM", "AFG"]);
}

#[test]
fn critics_pass_through() {
    let (code, out, _) = run(&[
        "formula",
        "--partners",
        "chart",
        "--format",
        "csv",
        "--pass-through",
        "0.945",
    ]);
    assert_eq!(code, 0);
    let rows = csv_rows(&out);
    let rec: Vec<f64> = rows.iter().map(|r| r[6].parse().unwrap()).collect();
    // 100·(m−x)/(3.78·m): the highest chart rate (Lesotho 99 %) becomes 26 %, halved 13 %.
    assert_eq!(rec.iter().cloned().fold(0.0, f64::max), 13.0);
    assert_eq!(rec.iter().filter(|r| **r > 10.0).count(), 12);
    let vnm = rows.iter().find(|r| &r[0] == "VNM").unwrap();
    assert_eq!((&vnm[5], &vnm[6]), ("24", "12"));
}

#[test]
fn bad_parameters_exit_2_without_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("f.csv");
    let (code, _, err) = run(&[
        "formula",
        "--pass-through",
        "0",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_eq!(
        err.trim_end(),
        "error: formula parameters: trade elasticity × pass-through must be positive and finite, found 0"
    );
    assert!(!out.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temp file left"
    );
}

#[test]
fn out_file_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sub/f.csv");
    let (code, stdout, _) = run(&["formula", "--format", "csv", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 234);
}
