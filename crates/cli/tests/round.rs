//! `reciprocity negotiate simulate`: the JSON and the files of a simulated pause round (the round
//! itself is specified at the service, `service::round`).

mod common;

#[test]
fn a_simulated_round_renders_its_json_and_files() {
    // The round itself (selection, reproducibility, the 2025 comparison) is specified at the
    // service (`service::round` tests); here, what the command prints and writes.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("round");
    let args = [
        "negotiate",
        "simulate",
        "--partners",
        "12",
        "--days",
        "60",
        "--seed",
        "7",
        "--format",
        "json",
    ];
    let a = common::bin()
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(
        a.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&a.stderr)
    );
    let ja: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    assert_eq!(ja["seed"], 7);
    assert_eq!(ja["partners"], 12);
    let talks = ja["talks"].as_array().unwrap();
    assert_eq!(talks.len(), 12);
    for t in talks {
        assert!([
            "not_started",
            "in_talks",
            "framework",
            "agreement",
            "implemented",
            "collapsed",
            "expired"
        ]
        .contains(&t["state"].as_str().unwrap()));
    }
    // Welfare of every country of the world.
    assert_eq!(ja["welfare"].as_array().unwrap().len(), 194);
    let c = &ja["comparison"];
    assert_eq!(c["window_end"], "2025-06-08");
    let counted: u64 = ["both_deal", "simulated_only", "real_only", "neither"]
        .iter()
        .map(|k| c[k].as_u64().unwrap())
        .sum();
    assert_eq!(counted, 12);
    for f in [
        "events.csv",
        "talks.csv",
        "tariffs.csv",
        "welfare.csv",
        "comparison.csv",
        "round.json",
        "deals_over_time.svg",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let svg = std::fs::read_to_string(out.join("deals_over_time.svg")).unwrap();
    assert!(svg.contains("simulated frameworks"));
}
