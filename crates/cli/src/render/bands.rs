//! Uncertainty bands as text: `+0.30 [+0.12, +0.55]` (median [5th, 95th percentile]), with the
//! draws, the seed, the failures and the distributions under every table (docs/uncertainty.md).

use std::fmt::Write as _;

use anyhow::Context;
use reciprocity_service::bands::retaliate::RetaliationBands;
use reciprocity_service::bands::scenario::ScenarioBands;
use reciprocity_service::bands::{Band, DrawSummary};
use reciprocity_service::scenario::World;

/// What was drawn, how many draws failed and why, and what a band means: one line each.
pub fn summary_lines(s: &DrawSummary, prefix: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{prefix}Draws: {} (seed {}), {} converged, {} failed{}",
        s.draws,
        s.seed,
        s.converged,
        s.failed,
        match s.failed {
            0 => String::new(),
            _ => " (not in the bands)".into(),
        }
    );
    for f in s.failures.iter().take(10) {
        let _ = writeln!(out, "{prefix}  draw {} failed: {}", f.draw, f.reason);
    }
    if s.failures.len() > 10 {
        let _ = writeln!(out, "{prefix}  ... {} more", s.failures.len() - 10);
    }
    for d in &s.distributions {
        let _ = writeln!(out, "{prefix}Drawn: {d}");
    }
    let _ = writeln!(out, "{prefix}Band: {}", s.meaning);
    out
}

/// The title of a table of bands and its summary lines.
fn heading(summary: &DrawSummary) -> String {
    format!(
        "\nUncertainty: median [5th, 95th percentile] over the draws\n{}",
        summary_lines(summary, "")
    )
}

/// The bands of a scenario: the world and groups, then every country.
pub fn scenario_table(world: &World, b: &ScenarioBands) -> String {
    let mut s = heading(&b.summary);
    let _ = writeln!(
        s,
        "World trade-to-GDP {}%, world employment {}%",
        b.world_trade_to_gdp_pct.text(2),
        b.world_employment_pct.text(3)
    );
    for g in &b.groups {
        let _ = writeln!(
            s,
            "Group {:<10} welfare {}%  employment {}%  price index vs world {}%",
            g.group,
            g.welfare_pct.text(2),
            g.employment_pct.text(2),
            g.price_index_pct.text(1)
        );
    }
    let _ = writeln!(
        s,
        "\n{:<5} {:<22} {:>24} {:>24} {:>24} {:>24} {:>24}",
        "iso3", "country", "welfare%", "employ%", "P/world%", "imports/Y%", "rev/E%"
    );
    for (i, c) in b.countries.iter().enumerate() {
        let name: String = world.data.country_names[i].chars().take(22).collect();
        let rev = Band {
            median: 100.0 * c.revenue_share.median,
            p05: 100.0 * c.revenue_share.p05,
            p95: 100.0 * c.revenue_share.p95,
        };
        let _ = writeln!(
            s,
            "{:<5} {:<22} {:>24} {:>24} {:>24} {:>24} {:>24}",
            c.iso3,
            name,
            c.welfare_pct.text(2),
            c.employment_pct.text(2),
            c.price_index_pct.text(1),
            c.imports_gdp_pct.text(1),
            rev.text(2)
        );
    }
    s
}

/// Bands in long CSV: a `first` column (the scenario or the rule), iso3, measure, the band and
/// the draws' count, seed and failures on every row.
fn long_csv<'a>(
    first: &str,
    summary: &DrawSummary,
    rows: impl IntoIterator<Item = (&'a str, &'a str, &'a str, Band)>,
) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        first, "iso3", "measure", "median", "p05", "p95", "draws", "seed", "failed",
    ])?;
    let meta = [
        summary.draws.to_string(),
        summary.seed.to_string(),
        summary.failed.to_string(),
    ];
    for (head, iso3, measure, band) in rows {
        w.write_record([
            head,
            iso3,
            measure,
            &band.median.to_string(),
            &band.p05.to_string(),
            &band.p95.to_string(),
            &meta[0],
            &meta[1],
            &meta[2],
        ])?;
    }
    Ok(String::from_utf8(w.into_inner().context("flushing CSV")?)?)
}

/// The bands of a scenario in long CSV: one row per country and measure.
pub fn scenario_csv(scenario: &str, b: &ScenarioBands) -> anyhow::Result<String> {
    let rows = b.countries.iter().flat_map(|c| {
        [
            ("welfare_pct", c.welfare_pct),
            ("deficit_pct", c.deficit_pct),
            ("exports_gdp_pct", c.exports_gdp_pct),
            ("imports_gdp_pct", c.imports_gdp_pct),
            ("employment_pct", c.employment_pct),
            ("price_index_pct", c.price_index_pct),
            ("revenue_share", c.revenue_share),
            ("real_gdp_pct", c.real_gdp_pct),
        ]
        .map(|(m, band)| (scenario, c.iso3.as_str(), m, band))
    });
    long_csv("scenario", &b.summary, rows)
}

/// The bands of a retaliation analysis: each rule's headline.
pub fn retaliation_table(target: &str, b: &RetaliationBands) -> String {
    let mut s = heading(&b.summary);
    let _ = writeln!(
        s,
        "{:<11} {:>24} {:>24} {:>24}",
        "rule", target, "retaliators", "trade/GDP"
    );
    for r in &b.rules {
        let _ = writeln!(
            s,
            "{:<11} {:>24} {:>24} {:>24}",
            r.rule,
            r.target_welfare_pct.text(2),
            r.retaliators_welfare_pct.text(2),
            r.world_trade_to_gdp_pct.text(2)
        );
    }
    s
}

/// The bands of a retaliation analysis in long CSV: each rule's headline, then every country's
/// welfare under every rule.
pub fn retaliation_csv(target: &str, b: &RetaliationBands) -> anyhow::Result<String> {
    let heads = b.rules.iter().flat_map(|r| {
        [
            (r.rule.as_str(), target, "welfare_pct", r.target_welfare_pct),
            (
                r.rule.as_str(),
                "retaliators",
                "welfare_pct",
                r.retaliators_welfare_pct,
            ),
            (
                r.rule.as_str(),
                "world",
                "trade_to_gdp_pct",
                r.world_trade_to_gdp_pct,
            ),
        ]
    });
    let countries = b.countries.iter().map(|c| {
        (
            c.rule.as_str(),
            c.iso3.as_str(),
            "welfare_pct",
            c.welfare_pct,
        )
    });
    long_csv("rule", &b.summary, heads.chain(countries))
}
