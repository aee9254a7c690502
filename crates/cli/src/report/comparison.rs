//! Report section: our headline numbers for the Liberation Day tariffs beside the budget models'
//! published ones (the use case [`reciprocity_service::comparison`]), with why they differ.

use std::fmt::Write as _;
use std::path::Path;

use reciprocity_service::comparison::{self, policy_date, Measure, Ours, WHY_THEY_DIFFER};
use reciprocity_service::costs::{costs, CostAssumptions};
use reciprocity_service::scenario_report::country_rows;

/// Write `comparison.json` into `dir`; return the section's Markdown.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let ctx = super::rate_context()?;
    let day = policy_date();
    let c = costs(
        &ctx.engine,
        &ctx.registry,
        &ctx.weights,
        day,
        CostAssumptions::default(),
    )?;
    let world = &*opts.ge_world;
    let result = &opts.liberation_day()?.result;
    let us = world
        .data
        .country_index("USA")
        .ok_or_else(|| anyhow::anyhow!("{}: the world has no USA", world.source))?;
    let row = &country_rows(world, result)[us];
    let ours = Ours {
        etr_increase_pts: c.etr_increase_pts,
        price_level_pct: c.price_level_pct,
        cost_per_household_usd: c.cost_per_household_usd,
        revenue_10y_static_usd_bn: c.revenue_increase_10y_usd_bn,
        revenue_10y_ge_usd_bn: 10.0 * (row.revenue_usd_bn - row.revenue_baseline_usd_bn),
        real_gdp_pct: row.real_gdp_pct,
        welfare_pct: row.welfare_pct,
    };
    let rows = comparison::rows(&ours);
    crate::output::write_atomic(
        &dir.join("comparison.json"),
        (serde_json::to_string_pretty(&serde_json::json!({
            "policy_date": day,
            "scenario": result.name,
            "world": world.source,
            "rows": rows,
            "why_they_differ": WHY_THEY_DIFFER,
        }))? + "\n")
            .as_bytes(),
    )?;
    let mut md = format!(
        "## Beside the budget models: the tariffs of 2025 through April 2\n\n\
         The budget models score the 2025 tariffs with the April 2 rates in force (as on {day}, before \
         the pause). Ours: the statutory rate, price level, household cost and static revenue of \
         `reciprocity costs --date {day}` (2024 imports held flat for ten years), and the GE model's US \
         revenue after the import response, real GDP and welfare for the scenario \"{}\" on {} (the \
         April 2 formula rates on every partner: close in size, not the same policy; revenue in that \
         world's dollars, ten times one year). A dash: not published, or no counterpart in ours.\n\n\
         | measure | Reciprocity | Budget Lab at Yale | Penn Wharton | Tax Foundation |\n|---|---:|---:|---:|---:|\n",
        result.name, world.source
    );
    for r in &rows {
        let theirs = |who: &str| {
            r.published
                .iter()
                .find(|p| p.who.starts_with(who))
                .map_or("–".to_string(), |p| number(r.measure, p.value))
        };
        writeln!(
            md,
            "| {} | {} | {} | {} | {} |",
            r.measure.label(),
            r.ours.map_or("–".to_string(), |v| number(r.measure, v)),
            theirs("Budget Lab"),
            theirs("Penn Wharton"),
            theirs("Tax Foundation")
        )?;
    }
    md.push_str("\nWhat they measured:\n\n");
    for r in &rows {
        for p in &r.published {
            writeln!(md, "- {}, {}: {}.", p.who, r.measure.label(), p.note)?;
        }
    }
    md.push_str("\nWhy they differ:\n\n");
    for why in WHY_THEY_DIFFER {
        writeln!(md, "- {why}")?;
    }
    let mut sources: Vec<&str> = comparison::PUBLISHED.iter().map(|p| p.source).collect();
    sources.dedup();
    writeln!(
        md,
        "\nSources: {}.\n\nData: `comparison.json`.",
        sources.join("; ")
    )?;
    Ok(md)
}

fn number(m: Measure, v: f64) -> String {
    match m {
        Measure::CostPerHouseholdUsd
        | Measure::Revenue10yStaticUsdBn
        | Measure::Revenue10yConventionalUsdBn
        | Measure::Revenue10yDynamicUsdBn => {
            format!("{v:.0}")
        }
        _ => format!("{v:+.2}")
            .replace("+0.00", "0.00")
            .replace("-0.00", "0.00"),
    }
}
