//! `reciprocity pause`: the pause clock from the embedded registry.

mod common;
use common::run;

#[test]
fn ninety_day_pause_as_known_on_the_date() {
    let (code, out, err) = run(&["pause", "--date", "2025-06-01", "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    let vnm = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["partner"] == "VNM")
        .unwrap();
    assert_eq!(vnm["ends"], "2025-07-09");
    assert_eq!(vnm["days_left"], 38);
    assert_eq!(vnm["now_pct"].as_f64(), Some(10.0));
    assert_eq!(vnm["snap_back_pct"].as_f64(), Some(46.0));
    let chn = rows
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["partner"] == "CHN")
        .unwrap();
    assert_eq!(
        (chn["now_pct"].as_f64(), chn["snap_back_pct"].as_f64()),
        (Some(30.0), Some(54.0))
    );
    // After the July 7 extension the clock runs to 2025-08-01.
    let (_, out, _) = run(&["pause", "--date", "2025-07-08", "--format", "csv"]);
    let line = out.lines().find(|l| l.contains(",VNM,")).unwrap();
    assert!(line.contains(",2025-08-01,24,2025-07-09,1,"), "{line}");
}

#[test]
fn canada_feb_2025_and_nothing_today() {
    let (_, out, _) = run(&["pause", "--date", "2025-02-10"]);
    assert!(
        out.contains("pause-can-2025-02-03") && out.contains("22 days left"),
        "{out}"
    );
    let (code, out, _) = run(&["pause", "--date", "2026-11-28"]);
    assert_eq!(code, 0);
    assert!(out.starts_with("No pause in force on 2026-11-28"), "{out}");
    let (code, _, _) = run(&["pause", "--date", "yesterday"]);
    assert_eq!(code, 2);
}
