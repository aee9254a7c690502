//! Report section: the US by sector (issue 13, item 4), on a sector world only (`--world sectors`
//! or `--data DIR` of a world written by `world build`): the US tariffs in force on the report's
//! date as a scenario, and what it does to each US sector's output, employment, producer price,
//! imports and exports (`reciprocity_service::sector_outputs`). On a one-sector world the section
//! is left out (empty).

use std::fmt::Write as _;
use std::path::Path;

use crate::output::write_atomic;
use reciprocity_service::policy_rates::TimelineRates;
use reciprocity_service::sector_outputs::{
    country_sector_rows, tariffs_in_force, SectorRow, DEFINITIONS,
};

/// Solve the tariffs in force on the report's date on its sector world; write
/// `us_by_sector.csv`; return the Markdown (empty on a one-sector world).
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let world = &*opts.ge_world;
    if !world.has_sectors() {
        return Ok(String::new());
    }
    let date = opts.date.to_string();
    let result = tariffs_in_force(world, &date).map_err(crate::cmd::flags::from_service)?;
    let rows = country_sector_rows(world, &result, "USA")
        .ok_or_else(|| anyhow::anyhow!("{}: the world has no USA", world.source))?;
    let us = world.data.country_index("USA").unwrap_or_default();
    let us_out = &result.outcomes.countries[us];

    let mut csv = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        csv.serialize(row)?;
    }
    write_atomic(&dir.join("us_by_sector.csv"), &csv.into_inner()?)?;

    let (scale, unit) = match world.data.units.to_ascii_lowercase().as_str() {
        "million usd" => (1e-3, "bn USD".to_string()),
        _ => (1.0, world.data.units.clone()),
    };
    let mut md = String::from("## The US by sector\n\n");
    writeln!(
        md,
        "What the additional US tariffs in force on {date} do to each US sector in the GE model (ILMS preset, \
         income-tax relief, no retaliation; docs/model.md), against the same world without them. The rates \
         come from the policy timeline by partner and HS line (`tariffs_at`), averaged into the world's \
         sectors, {}; services carry none. US welfare {:+.2}%, price index vs world {:+.2}%, employment \
         {:+.3}%. Solver: {}, {} iterations, max residual {:.1e}.\n",
        TimelineRates::shared()
            .map_err(crate::cmd::flags::from_service)?
            .weighting(),
        us_out.welfare_pct,
        us_out.price_index_pct,
        us_out.employment_pct,
        result.reports[0].termination,
        result.reports[0].iterations,
        result.reports[0].max_residual
    )?;
    table(&mut md, &rows, scale, &unit)?;
    writeln!(
        md,
        "\nDefinitions: {DEFINITIONS}. Changes in %; levels before the scenario.\n"
    )?;
    writeln!(
        md,
        "Scenario: the US tariffs in force on {date} (`tariffs_at = \"{date}\"`, every partner, every goods \
         sector), no retaliation. World: {}. Date: tariffs in force on {date}; computed {} by Reciprocity. \
         Data: `us_by_sector.csv`.",
        world.source,
        crate::cmd::flags::today()
    )?;
    for note in &result.notes {
        writeln!(md, "\nNote: {note}")?;
    }
    Ok(md)
}

/// The table of the US rows.
fn table(md: &mut String, rows: &[SectorRow], scale: f64, unit: &str) -> anyhow::Result<()> {
    writeln!(
        md,
        "| sector | US tariff % | output, {unit} | output % | real output % | employment % | producer price % | \
         imports, {unit} | imports % | exports, {unit} | exports % |"
    )?;
    writeln!(
        md,
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    )?;
    let pct = |v: f64| match v.is_finite() {
        true => format!("{v:+.2}"),
        false => "-".into(),
    };
    for r in rows {
        writeln!(
            md,
            "| {} | {:.1} | {:.1} | {} | {} | {} | {} | {:.1} | {} | {:.1} | {} |",
            r.sector,
            r.tariff_after_pct,
            r.output_before * scale,
            pct(r.output_pct),
            pct(r.real_output_pct),
            pct(r.employment_pct),
            pct(r.producer_price_pct),
            r.imports_before * scale,
            pct(r.imports_pct),
            r.exports_before * scale,
            pct(r.exports_pct),
        )?;
    }
    Ok(())
}
