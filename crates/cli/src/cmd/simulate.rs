//! `reciprocity simulate`: solve the GE model for one scenario file or a directory of them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;

use crate::cmd::flags::{with_draws, DrawArgs};
use crate::output::{self, Format};
use crate::BadInput;
use reciprocity_service::bands::scenario::{scenario_bands, ScenarioBands};
use reciprocity_service::scenario::{self as ge_run, CalibrationCache, ScenarioResult, World};
use reciprocity_service::scenario_report::{country_rows, flow_rows, group_rows, report};
use reciprocity_service::sector_outputs::{sector_rows, DEFINITIONS};

/// Flags of `reciprocity simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// A dataset folder (e.g. ../shared/data/ilms2025, ../shared/data/ossa2014); omitted: the embedded world.
    #[arg(long)]
    pub data: Option<PathBuf>,
    /// An embedded world instead: `default` (194 countries, one sector) or `sectors` (OECD ICIO
    /// 2022, 30 regions x 14 sectors; docs/sector-world.md).
    #[arg(long, conflicts_with = "data")]
    pub world: Option<String>,
    /// A scenario TOML file, or a directory whose *.toml files are all run (in parallel).
    #[arg(long)]
    pub scenario: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Write to this file (one scenario) or directory (a directory of scenarios) instead of stdout.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Also output bilateral flows before and after (all of them in CSV/JSON; the 25 largest changes in a table).
    #[arg(long)]
    pub flows: bool,
    /// Also output every country x sector: gross output, value added, employment, producer price,
    /// exports and imports before and after (docs/sector-world.md, "Outputs by sector").
    #[arg(long)]
    pub by_sector: bool,
    /// Uncertainty bands.
    #[command(flatten)]
    pub draws: DrawArgs,
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let world = ge_run::load_named_world(args.data.as_deref(), args.world.as_deref())?;
    let inputs = ge_run::read_scenarios(&args.scenario)?;
    let many = inputs.len() > 1;
    if many {
        if let Some(out) = &args.out {
            if out.is_file() {
                return Err(BadInput(format!(
                    "{}: with a directory of scenarios, --out must be a directory",
                    out.display()
                ))
                .into());
            }
        }
    }
    // Calibrate once per distinct parameter set, then solve the scenarios in parallel.
    let mut cache = CalibrationCache::default();
    let mut jobs = Vec::with_capacity(inputs.len());
    for input in &inputs {
        let params = ge_run::scenario_params(&world, input)?;
        jobs.push((input, cache.get(&world.data, &params)?));
    }
    let bar = if many {
        ProgressBar::new(jobs.len() as u64)
    } else {
        ProgressBar::hidden()
    };
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} scenarios {msg}")
            .expect("static template"),
    );
    let results: Vec<anyhow::Result<ScenarioResult>> = jobs
        .into_par_iter()
        .map(|(input, cal)| {
            let result = ge_run::run_scenario(&world, input, cal).map_err(anyhow::Error::from);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    let results: Vec<ScenarioResult> = results.into_iter().collect::<anyhow::Result<_>>()?;
    let request = args.draws.request()?;
    let mut bands = Vec::with_capacity(results.len());
    for (input, result) in inputs.iter().zip(&results) {
        bands.push(match request.draws {
            0 => None,
            n => Some(with_draws(n, &result.name, |exec| {
                scenario_bands(&world, input, result, &request, exec)
            })?),
        });
    }
    let mut combined = String::new();
    for (result, bands) in results.iter().zip(&bands) {
        let parts = Parts {
            flows: args.flows,
            by_sector: args.by_sector,
        };
        let text = render(&world, result, bands.as_ref(), args.format, parts)?;
        match (&args.out, many) {
            (Some(dir), true) => {
                let stem = result
                    .path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let ext = match args.format {
                    Format::Table => "txt",
                    Format::Csv => "csv",
                    Format::Json => "json",
                };
                output::write_atomic(&dir.join(format!("{stem}.{ext}")), text.as_bytes())?;
            }
            _ => {
                if !combined.is_empty() && args.format == Format::Table {
                    combined.push('\n');
                }
                combined.push_str(&text);
            }
        }
    }
    if !(many && args.out.is_some()) {
        output::emit(args.out.as_deref(), &combined)?;
    } else if let Some(dir) = &args.out {
        eprintln!("wrote {} results into {}", results.len(), dir.display());
    }
    Ok(())
}

fn solver_text(r: &ScenarioResult) -> String {
    r.reports
        .iter()
        .map(|rep| {
            let path = match rep.continuation_steps {
                0 => String::new(),
                steps => format!(" ({steps} continuation steps in the shock)"),
            };
            format!(
                "{} in {} iterations{path}, max residual {:.1e}",
                rep.termination, rep.iterations, rep.max_residual
            )
        })
        .collect::<Vec<_>>()
        .join("; baseline ")
}

/// The optional tables asked for.
#[derive(Debug, Clone, Copy)]
struct Parts {
    /// `--flows`.
    flows: bool,
    /// `--by-sector`.
    by_sector: bool,
}

/// Rows as CSV text.
fn csv_text<T: serde::Serialize>(rows: impl IntoIterator<Item = T>) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for row in rows {
        w.serialize(row)?;
    }
    Ok(String::from_utf8(w.into_inner().context("flushing CSV")?)?)
}

/// Render one result in the chosen format.
fn render(
    world: &World,
    r: &ScenarioResult,
    bands: Option<&ScenarioBands>,
    format: Format,
    parts: Parts,
) -> anyhow::Result<String> {
    match format {
        Format::Json => {
            let mut doc = report(world, r, parts.flows);
            doc.by_sector = parts.by_sector.then(|| sector_rows(world, r));
            doc.bands = bands.cloned();
            Ok(serde_json::to_string_pretty(&doc)? + "\n")
        }
        Format::Csv => {
            let mut text = csv_text(country_rows(world, r))?;
            if parts.flows {
                text.push('\n');
                text.push_str(&csv_text(flow_rows(world, r))?);
            }
            if parts.by_sector {
                text.push('\n');
                text.push_str(&csv_text(sector_rows(world, r))?);
            }
            if let Some(b) = bands {
                text.push('\n');
                text.push_str(&crate::render::bands::scenario_csv(&r.name, b)?);
            }
            Ok(text)
        }
        Format::Table => {
            let mut s = table(world, r, bands, parts.flows)?;
            if parts.by_sector {
                s.push_str(&sector_table(world, r)?);
            }
            Ok(s)
        }
    }
}

/// The table of one result (with its bands after the country rows).
fn table(
    world: &World,
    r: &ScenarioResult,
    bands: Option<&ScenarioBands>,
    flows: bool,
) -> anyhow::Result<String> {
    let mut s = String::new();
    writeln!(s, "Scenario: {}  ({})", r.name, r.path.display())?;
    writeln!(
        s,
        "World:    {} — {} countries, {} sector(s)",
        world.source,
        world.data.n_countries(),
        world.data.n_sectors()
    )?;
    writeln!(s, "Solver:   {}", solver_text(r))?;
    writeln!(
        s,
        "World trade-to-GDP {:+.2}%, world employment {:+.3}%",
        r.outcomes.world_trade_to_gdp_pct, r.outcomes.world_employment_pct
    )?;
    for g in group_rows(r) {
        writeln!(
            s,
            "Group {:<10} ({:>3} members, expenditure-weighted): welfare {:+.2}%  deficit {:+.1}%  employment {:+.2}%  price index vs world {:+.1}%",
            g.group, g.members, g.welfare_pct, g.deficit_pct, g.employment_pct, g.price_index_pct
        )?;
    }
    for note in &r.notes {
        writeln!(s, "Note: {note}")?;
    }
    writeln!(
        s,
        "\n{:<5} {:<28} {:>9} {:>9} {:>11} {:>11} {:>10} {:>9} {:>8} {:>9} {:>10}",
        "iso3",
        "country",
        "welfare%",
        "deficit%",
        "exports/Y%",
        "imports/Y%",
        "employ%",
        "realGDP%",
        "P/world%",
        "rev/E%",
        "rev $bn"
    )?;
    for row in country_rows(world, r) {
        let name: String = row.country.chars().take(28).collect();
        writeln!(
            s,
            "{:<5} {:<28} {:>9.2} {:>9.1} {:>11.1} {:>11.1} {:>10.2} {:>9.2} {:>8.1} {:>9.2} {:>10.1}",
            row.iso3,
            name,
            row.welfare_pct,
            row.deficit_pct,
            row.exports_gdp_pct,
            row.imports_gdp_pct,
            row.employment_pct,
            row.real_gdp_pct,
            row.price_index_pct,
            100.0 * row.revenue_share,
            row.revenue_usd_bn
        )?;
    }
    writeln!(
        s,
        "P/world%: the model's price index against the world numéraire, not consumer inflation \
         (for that, `reciprocity costs`). welfare%: the change in real income, \
         not GDP (docs/ge-engine.md). realGDP%: the model's value added (wL) over its price index. \
         rev $bn: tariff revenue after behaviour, in the data's dollars (JSON and CSV also give \
         revenue_static_usd_bn, the same tariffs on the baseline imports)."
    )?;
    if let Some(b) = bands {
        s.push_str(&crate::render::bands::scenario_table(world, b));
    }
    if flows {
        let mut rows = flow_rows(world, r);
        rows.sort_by(|a, b| {
            (b.flow_after - b.flow_before)
                .abs()
                .total_cmp(&(a.flow_after - a.flow_before).abs())
        });
        writeln!(s, "\nLargest flow changes ({}):", world.data.units)?;
        writeln!(
            s,
            "{:<5} {:<5} {:<8} {:>16} {:>16} {:>9} {:>8}",
            "from", "to", "sector", "before", "after", "change%", "tariff"
        )?;
        for f in rows.iter().take(25) {
            writeln!(
                s,
                "{:<5} {:<5} {:<8} {:>16.0} {:>16.0} {:>9.1} {:>8.3}",
                f.exporter,
                f.importer,
                f.sector,
                f.flow_before,
                f.flow_after,
                f.change_pct,
                f.tariff_after
            )?;
        }
    }
    Ok(s)
}

/// The country x sector table (`--by-sector`).
fn sector_table(world: &World, r: &ScenarioResult) -> anyhow::Result<String> {
    let mut s = String::new();
    writeln!(s, "\nBy sector ({}; changes in %):", world.data.units)?;
    writeln!(
        s,
        "{:<5} {:<20} {:>8} {:>14} {:>8} {:>8} {:>8} {:>8} {:>8} {:>13} {:>8} {:>13} {:>8}",
        "iso3",
        "sector",
        "tariff%",
        "output",
        "output%",
        "real%",
        "VA%",
        "employ%",
        "price%",
        "exports",
        "exp%",
        "imports",
        "imp%"
    )?;
    for row in sector_rows(world, r) {
        let sector: String = row.sector.chars().take(20).collect();
        writeln!(
            s,
            "{:<5} {:<20} {:>8.1} {:>14.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>13.0} {:>8.2} {:>13.0} {:>8.2}",
            row.iso3,
            sector,
            row.tariff_after_pct,
            row.output_before,
            row.output_pct,
            row.real_output_pct,
            row.value_added_pct,
            row.employment_pct,
            row.producer_price_pct,
            row.exports_before,
            row.exports_pct,
            row.imports_before,
            row.imports_pct
        )?;
    }
    writeln!(
        s,
        "tariff%: the country's tariff on its imports of the sector after the scenario, weighted by \
         imports before. Levels are before the scenario. {DEFINITIONS}."
    )?;
    Ok(s)
}
