//! The report's comparison with the budget models, on the embedded data alone: our numbers for
//! the tariffs of 2025 through April 2 beside the published ones, checked against them where the
//! method is the same (the Budget Lab's static rate and price level).

mod common;

#[test]
fn comparison_section_sets_ours_beside_the_published_figures() {
    let (_dir, out, md) = common::report_with(&["--draws", "0"]);
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("comparison.json")).unwrap())
            .unwrap();
    assert_eq!(v["policy_date"], "2025-04-09");
    let rows = v["rows"].as_array().unwrap();
    let row = |m: &str| rows.iter().find(|r| r["measure"] == m).unwrap();
    let theirs = |m: &str, who: &str| {
        row(m)["published"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["who"].as_str().unwrap().starts_with(who))
            .unwrap()["value"]
            .as_f64()
            .unwrap()
    };
    let ours = |m: &str| row(m)["ours"].as_f64().unwrap();
    // The same static method as the Budget Lab's: the rate increase within 1.5 points of its
    // 20.1 and the price level within a quarter of its 2.3 % (budgetlab.yale.edu, 2025-04-02).
    let etr = ours("etr_increase_pts");
    assert!(
        (etr - theirs("etr_increase_pts", "Budget Lab")).abs() <= 1.5,
        "{etr}"
    );
    let price = ours("price_level_pct");
    assert!(
        (price / theirs("price_level_pct", "Budget Lab") - 1.0).abs() <= 0.25,
        "{price}"
    );
    // Three revenue rows: the static score is ours alone, the conventional row sets the GE
    // model's revenue after the import response beside the budget models' conventional scores,
    // and the dynamic row is theirs alone. The import response lowers revenue.
    assert_eq!(rows.len(), 8);
    assert!(row("revenue10y_static_usd_bn")["published"]
        .as_array()
        .unwrap()
        .is_empty());
    assert!(row("revenue10y_dynamic_usd_bn")["ours"].is_null());
    let stat = ours("revenue10y_static_usd_bn");
    let ge = ours("revenue10y_conventional_usd_bn");
    assert!(ge > 0.0 && ge < stat, "{ge} vs {stat}");
    assert_eq!(
        theirs("revenue10y_conventional_usd_bn", "Penn Wharton"),
        5_200.0
    );
    // Nobody publishes welfare; the section says why the numbers differ.
    assert!(row("welfare_pct")["published"]
        .as_array()
        .unwrap()
        .is_empty());
    for s in [
        "## Beside the budget models",
        "Penn Wharton",
        "Tax Foundation",
        "not GDP",
    ] {
        assert!(md.contains(s), "{s}");
    }
}
