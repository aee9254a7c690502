//! `reciprocity simulate`: solve the GE model for one scenario file or a directory of them.

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use serde::Serialize;

use crate::output::{self, Format};
use crate::BadInput;
use reciprocity_service::scenario::{self as ge_run, CalibrationCache, ScenarioResult, World};

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
    let mut combined = String::new();
    for result in &results {
        let text = render(&world, result, args.format, args.flows)?;
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

#[derive(Serialize)]
struct CountryRow<'a> {
    scenario: &'a str,
    iso3: &'a str,
    country: &'a str,
    welfare_pct: f64,
    deficit_pct: f64,
    exports_gdp_pct: f64,
    imports_gdp_pct: f64,
    employment_pct: f64,
    price_index_pct: f64,
    revenue_share: f64,
}

#[derive(Serialize)]
struct FlowRow<'a> {
    exporter: &'a str,
    importer: &'a str,
    sector: &'a str,
    flow_before: f64,
    flow_after: f64,
    change_pct: f64,
    tariff_before: f64,
    tariff_after: f64,
}

#[derive(Serialize)]
struct GroupRow<'a> {
    group: &'a str,
    members: usize,
    welfare_pct: f64,
    deficit_pct: f64,
    exports_gdp_pct: f64,
    imports_gdp_pct: f64,
    employment_pct: f64,
    price_index_pct: f64,
}

#[derive(Serialize)]
struct SolverJson {
    termination: String,
    iterations: usize,
    max_residual: f64,
    /// Steps of the continuation in the shock (absent when the direct solve converged).
    #[serde(skip_serializing_if = "is_zero")]
    continuation_steps: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

#[derive(Serialize)]
struct ScenarioJson<'a> {
    scenario: &'a str,
    file: String,
    world: &'a str,
    countries_in_world: usize,
    sectors: usize,
    solver: Vec<SolverJson>,
    world_trade_to_gdp_pct: f64,
    world_employment_pct: f64,
    groups: Vec<GroupRow<'a>>,
    notes: &'a [String],
    countries: Vec<CountryRow<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    flows: Option<Vec<FlowRow<'a>>>,
}

fn country_rows<'a>(world: &'a World, r: &'a ScenarioResult) -> Vec<CountryRow<'a>> {
    r.outcomes
        .countries
        .iter()
        .enumerate()
        .map(|(i, c)| CountryRow {
            scenario: &r.name,
            iso3: &world.data.countries[i],
            country: &world.data.country_names[i],
            welfare_pct: c.welfare_pct,
            deficit_pct: c.deficit_pct,
            exports_gdp_pct: c.exports_gdp_pct,
            imports_gdp_pct: c.imports_gdp_pct,
            employment_pct: c.employment_pct,
            price_index_pct: c.price_index_pct,
            revenue_share: c.revenue_share,
        })
        .collect()
}

fn group_rows<'a>(r: &'a ScenarioResult) -> Vec<GroupRow<'a>> {
    let cal = &r.calibration;
    let out = &r.outcomes.countries;
    r.groups
        .iter()
        .filter(|(_, members)| !members.is_empty())
        .map(|(name, members)| {
            let avg =
                |f: &dyn Fn(usize) -> f64| reciprocity_model::ge::group_average(cal, members, f);
            GroupRow {
                group: name,
                members: members.len(),
                welfare_pct: avg(&|i| out[i].welfare_pct),
                deficit_pct: avg(&|i| out[i].deficit_pct),
                exports_gdp_pct: avg(&|i| out[i].exports_gdp_pct),
                imports_gdp_pct: avg(&|i| out[i].imports_gdp_pct),
                employment_pct: avg(&|i| out[i].employment_pct),
                price_index_pct: avg(&|i| out[i].price_index_pct),
            }
        })
        .collect()
}

fn flow_rows<'a>(world: &'a World, r: &'a ScenarioResult) -> Vec<FlowRow<'a>> {
    let cal = &r.calibration;
    let eq = &r.equilibrium;
    let mut rows = Vec::new();
    for k in 0..cal.k {
        for j in 0..cal.n {
            for i in 0..cal.n {
                let id = cal.index(k, j, i);
                let (before, after) = (cal.flows[id], eq.flows[id]);
                if before == 0.0 && after == 0.0 {
                    continue;
                }
                rows.push(FlowRow {
                    exporter: &world.data.countries[j],
                    importer: &world.data.countries[i],
                    sector: &world.data.sectors[k],
                    flow_before: before,
                    flow_after: after,
                    change_pct: if before > 0.0 {
                        100.0 * (after / before - 1.0)
                    } else {
                        f64::NAN
                    },
                    tariff_before: cal.tariffs[id],
                    tariff_after: eq.tariffs[id],
                });
            }
        }
    }
    rows
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

/// Render one result in the chosen format.
fn render(
    world: &World,
    r: &ScenarioResult,
    format: Format,
    flows: bool,
) -> anyhow::Result<String> {
    match format {
        Format::Json => {
            let doc = ScenarioJson {
                scenario: &r.name,
                file: r.path.display().to_string(),
                world: &world.source,
                countries_in_world: world.data.n_countries(),
                sectors: world.data.n_sectors(),
                solver: r
                    .reports
                    .iter()
                    .map(|rep| SolverJson {
                        termination: rep.termination.to_string(),
                        iterations: rep.iterations,
                        max_residual: rep.max_residual,
                        continuation_steps: rep.continuation_steps,
                    })
                    .collect(),
                world_trade_to_gdp_pct: r.outcomes.world_trade_to_gdp_pct,
                world_employment_pct: r.outcomes.world_employment_pct,
                groups: group_rows(r),
                notes: &r.notes,
                countries: country_rows(world, r),
                flows: flows.then(|| flow_rows(world, r)),
            };
            Ok(serde_json::to_string_pretty(&doc)? + "\n")
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in country_rows(world, r) {
                w.serialize(row)?;
            }
            let mut text = String::from_utf8(w.into_inner().context("flushing CSV")?)?;
            if flows {
                let mut w = csv::Writer::from_writer(Vec::new());
                for row in flow_rows(world, r) {
                    w.serialize(row)?;
                }
                text.push('\n');
                text.push_str(&String::from_utf8(w.into_inner().context("flushing CSV")?)?);
            }
            Ok(text)
        }
        Format::Table => {
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
                "\n{:<5} {:<28} {:>9} {:>9} {:>11} {:>11} {:>10} {:>8} {:>9}",
                "iso3",
                "country",
                "welfare%",
                "deficit%",
                "exports/Y%",
                "imports/Y%",
                "employ%",
                "P/world%",
                "rev/E%"
            )?;
            for row in country_rows(world, r) {
                let name: String = row.country.chars().take(28).collect();
                writeln!(
                    s,
                    "{:<5} {:<28} {:>9.2} {:>9.1} {:>11.1} {:>11.1} {:>10.2} {:>8.1} {:>9.2}",
                    row.iso3,
                    name,
                    row.welfare_pct,
                    row.deficit_pct,
                    row.exports_gdp_pct,
                    row.imports_gdp_pct,
                    row.employment_pct,
                    row.price_index_pct,
                    100.0 * row.revenue_share
                )?;
            }
            writeln!(
                s,
                "P/world%: the model's price index against the world numéraire, not consumer inflation \
                 (for that, `reciprocity costs`). welfare%: the change in real income, \
                 not GDP (docs/ge-engine.md)."
            )?;
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
    }
}
