//! `reciprocity strategy retaliate`: a country's tariffs met by retaliation. Rules: none;
//! reciprocal (each retaliator mirrors the rate it faces); optimal (the two-region ILMS rate of
//! docs/model.md §7, levied by every retaliator); explicit partner-specific rates. The retaliating set
//! is every other country or `--by LIST`. The same rules exist in scenario files
//! (`[[retaliation]] rule = "reciprocal" | "optimal" | "explicit"`, with `by = [...]`).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use reciprocity_model::ge;
use reciprocity_service::strategy::{
    self as service, AggressorTariff, RetaliateRequest, RetaliateResult, RetaliationRow,
};
use serde::Serialize;

use super::{pct, revenue_of, service_error, setup, Setup, WorldArgs};
use crate::cmd::flags::{with_draws, DrawArgs};
use crate::output::{self, Format};
use crate::BadInput;
use reciprocity_service::bands::retaliate::{
    retaliation_bands, RetaliationBands, RetaliationSetup,
};

/// Flags of `strategy retaliate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    world: WorldArgs,
    /// The country retaliated against (ISO3).
    #[arg(long, default_value = "USA")]
    country: String,
    /// Its tariffs: `optimal` (closed form, E denominator), `numerical` (its numerical uniform
    /// optimum), `liberation-day` (the April 2, 2025 rates, floor 10%; US only), `scenario` (as
    /// the --scenario file sets them), or a uniform rate as a fraction (0.2 = 20%).
    #[arg(long, default_value = "optimal")]
    tariff: String,
    /// Comma-separated retaliators (ISO3 codes or groups). Default: every other country.
    #[arg(long)]
    by: Option<String>,
    /// Partner-specific explicit rates, e.g. `CHN=0.34,CAN=0.25,EU27=0.2` (adds an "explicit" row).
    #[arg(long)]
    rates: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Uncertainty bands.
    #[command(flatten)]
    draws: DrawArgs,
}

/// Parse `--tariff`.
fn parse_tariff(which: &str) -> anyhow::Result<AggressorTariff> {
    Ok(match which {
        "scenario" => AggressorTariff::Scenario,
        "optimal" => AggressorTariff::Optimal,
        "numerical" => AggressorTariff::Numerical,
        "liberation-day" => AggressorTariff::LiberationDay,
        number => AggressorTariff::Uniform(number.parse().map_err(|_| {
            BadInput(format!("--tariff: expected optimal, numerical, liberation-day, scenario or a fraction, found \"{number}\""))
        })?),
    })
}

/// Parse `--rates` (`NAME=RATE,...`).
fn parse_rates(spec: &str) -> anyhow::Result<Vec<(String, f64)>> {
    let mut out = Vec::new();
    for item in spec.split(',').filter(|x| !x.trim().is_empty()) {
        let (name, value) = item
            .split_once('=')
            .ok_or_else(|| BadInput(format!("--rates: expected NAME=RATE, found \"{item}\"")))?;
        let r: f64 = value.trim().parse().map_err(|_| {
            BadInput(format!(
                "--rates: {name}: expected a fraction, found \"{value}\""
            ))
        })?;
        out.push((name.to_string(), r));
    }
    Ok(out)
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let s = setup(&args.world)?;
    if s.world.data.country_index(&args.country).is_none() {
        return Err(BadInput(format!(
            "--country: \"{}\" is not in the data",
            args.country
        ))
        .into());
    }
    let tariff = parse_tariff(&args.tariff)?;
    // Resolved here too for the error messages of before (without the request's field names).
    if let Some(list) = &args.by {
        super::players(&s.cal, &s.world, list)?;
    }
    let rates = match &args.rates {
        Some(spec) => parse_rates(spec)?,
        None => Vec::new(),
    };
    for (name, _) in &rates {
        super::player(&s.cal, &s.world, name)?;
    }
    let request = RetaliateRequest {
        country: args.country.clone(),
        tariff,
        by: args
            .by
            .as_ref()
            .map(|list| list.split(',').map(str::to_string).collect()),
        rates,
    };
    let result = service::retaliate(s.game(), &request).map_err(service_error)?;
    let bands = match args.draws.draws {
        0 => None,
        n => {
            let (file, origin) =
                service::scenario_file(args.world.scenario.as_deref()).map_err(service_error)?;
            let setup = RetaliationSetup {
                world: &s.world,
                file: &file,
                origin: &origin,
                from_scenario: args.world.scenario.is_some(),
                revenue: revenue_of(args.world.revenue),
            };
            let rules: Vec<String> = result.cases.iter().map(|c| c.rule.clone()).collect();
            let req = args.draws.request()?;
            Some(with_draws(n, "retaliation", |exec| {
                retaliation_bands(&setup, &request, &rules, &req, exec)
            })?)
        }
    };
    let text = render(&s, &result, bands.as_ref(), args.format)?;
    output::emit(args.out.as_deref(), &text)
}

fn render(
    s: &Setup,
    result: &RetaliateResult,
    bands: Option<&RetaliationBands>,
    format: Format,
) -> anyhow::Result<String> {
    let cal = &s.cal;
    let (target, label) = (result.target, result.tariffs_label.as_str());
    let (retaliators, cases) = (&result.retaliators[..], &result.cases[..]);
    let rows = result.rows(cal);
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &rows {
                w.serialize(row)?;
            }
            let mut text = String::from_utf8(w.into_inner().context("flushing CSV")?)?;
            if let Some(b) = bands {
                text.push('\n');
                text.push_str(&crate::render::bands::retaliation_csv(
                    &cal.countries[target],
                    b,
                )?);
            }
            Ok(text)
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                world: &'a str,
                target: &'a str,
                tariffs: &'a str,
                retaliators: usize,
                rules: Vec<(String, String, f64, f64)>,
                countries: &'a [RetaliationRow],
                #[serde(skip_serializing_if = "Option::is_none")]
                bands: Option<&'a RetaliationBands>,
            }
            let rules = result
                .summaries(cal)
                .into_iter()
                .map(|r| {
                    (
                        r.rule,
                        r.description,
                        r.target_welfare_pct,
                        r.retaliators_welfare_pct,
                    )
                })
                .collect();
            Ok(serde_json::to_string_pretty(&Doc {
                world: &s.world.source,
                target: &cal.countries[target],
                tariffs: label,
                retaliators: retaliators.len(),
                rules,
                countries: &rows,
                bands,
            })? + "\n")
        }
        Format::Table => {
            let mut out = String::new();
            writeln!(
                out,
                "Retaliation against {}: {}",
                cal.countries[target], label
            )?;
            writeln!(
                out,
                "World: {} — {} countries; {} retaliator(s)",
                s.world.source,
                cal.n,
                retaliators.len()
            )?;
            for n in &s.notes {
                writeln!(out, "Note: {n}")?;
            }
            // The target's five largest suppliers among the retaliators.
            let mut top: Vec<usize> = retaliators.to_vec();
            let imports_from = |j: usize| cal.flow_table().bilateral_sum(j, target);
            top.sort_by(|&a, &b| imports_from(b).total_cmp(&imports_from(a)));
            top.truncate(5);
            write!(
                out,
                "\n{:<11} {:>9} {:>13} {:>10}",
                "rule", cal.countries[target], "retaliators", "trade/GDP"
            )?;
            for &i in &top {
                write!(out, " {:>7}", cal.countries[i])?;
            }
            writeln!(out, "   (welfare %, retaliators expenditure-weighted)")?;
            for c in cases {
                let w = |i: usize| c.outcomes.countries[i].welfare_pct;
                write!(
                    out,
                    "{:<11} {:>9} {:>13} {:>10}",
                    c.rule,
                    pct(w(target)),
                    pct(ge::group_average(cal, retaliators, w)),
                    pct(c.outcomes.world_trade_to_gdp_pct)
                )?;
                for &i in &top {
                    write!(out, " {:>7}", pct(w(i)))?;
                }
                writeln!(out, "   {}", c.description)?;
            }
            if let Some(b) = bands {
                out.push_str(&crate::render::bands::retaliation_table(
                    &cal.countries[target],
                    b,
                ));
            }
            Ok(out)
        }
    }
}
