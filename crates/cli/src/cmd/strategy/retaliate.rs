//! `reciprocity strategy retaliate`: a country's tariffs met by retaliation. Rules: none;
//! reciprocal (each retaliator mirrors the rate it faces); optimal (the two-region ILMS rate of
//! MODEL.md §7, levied by every retaliator); explicit partner-specific rates. The retaliating set
//! is every other country or `--by LIST`. The same rules exist in scenario files
//! (`[[retaliation]] rule = "reciprocal" | "optimal" | "explicit"`, with `by = [...]`).

use std::fmt::Write as _;
use std::path::PathBuf;

use anyhow::Context;
use reciprocity_model::ge::{self, Calibration, Outcomes};
use reciprocity_model::strategy::{
    self, apply_controls, closed_form_at, player_welfare, Denominator, Instrument, Player,
    SearchOptions,
};
use serde::Serialize;

use super::{pct, rate, setup, strategy_error, Setup, WorldArgs};
use crate::output::{self, Format};
use crate::BadInput;

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
}

#[derive(Serialize)]
struct CountryRow {
    rule: String,
    iso3: String,
    rate_on_target_pct: f64,
    target_rate_on_it_pct: f64,
    welfare_pct: f64,
}

/// One retaliation rule applied and solved.
pub struct Case {
    /// "none", "reciprocal", "optimal", "explicit".
    pub rule: String,
    /// What it does.
    pub description: String,
    /// The tariffs.
    pub tariffs: Vec<f64>,
    /// The outcomes.
    pub outcomes: Outcomes,
}

/// No retaliation, reciprocal mirror and the two-region optimal rate, by `retaliators` against
/// `target`, on top of the tariffs `base`.
pub fn standard_cases(
    cal: &Calibration,
    target: usize,
    base: &[f64],
    retaliators: &[usize],
) -> anyhow::Result<Vec<Case>> {
    let solver = ge::SolverOptions::default();
    let solve = |t: &[f64]| -> anyhow::Result<Outcomes> {
        Ok(ge::outcomes(cal, &ge::solve(cal, t, &solver)?))
    };
    let mut cases = vec![Case {
        rule: "none".into(),
        description: "no retaliation".into(),
        outcomes: solve(base)?,
        tariffs: base.to_vec(),
    }];
    let mut mirror = base.to_vec();
    for &i in retaliators {
        for k in 0..cal.k {
            mirror[cal.index(k, target, i)] = base[cal.index(k, i, target)];
        }
    }
    cases.push(Case {
        rule: "reciprocal".into(),
        description: "each retaliator mirrors the rate it faces".into(),
        outcomes: solve(&mirror)?,
        tariffs: mirror,
    });
    let r_opt = strategy::optimal_retaliation_rate(cal, target).map_err(|e| anyhow::anyhow!(e))?;
    let mut optimal = base.to_vec();
    for &i in retaliators {
        for k in 0..cal.k {
            optimal[cal.index(k, target, i)] = r_opt;
        }
    }
    cases.push(Case {
        rule: "optimal".into(),
        description: format!(
            "two-region optimal retaliation rate {}% (MODEL.md §7)",
            rate(r_opt)
        ),
        outcomes: solve(&optimal)?,
        tariffs: optimal,
    });
    Ok(cases)
}

/// Flow-weighted mean over sectors of the rate `importer` levies on `exporter`.
fn bilateral_rate(cal: &Calibration, t: &[f64], exporter: usize, importer: usize) -> f64 {
    let (mut num, mut den) = (0.0, 0.0);
    for k in 0..cal.k {
        let id = cal.index(k, exporter, importer);
        num += t[id] * cal.flows[id].max(0.0);
        den += cal.flows[id].max(0.0);
    }
    if den > 0.0 {
        num / den
    } else {
        (0..cal.k)
            .map(|k| t[cal.index(k, exporter, importer)])
            .sum::<f64>()
            / cal.k as f64
    }
}

/// The aggressor's tariffs on top of the start (`which`: as `--tariff`), and a label.
pub fn aggressor_tariffs(
    s: &Setup,
    target: usize,
    which: &str,
) -> anyhow::Result<(Vec<f64>, String)> {
    let cal = &s.cal;
    let me = Player::country(cal, target);
    let (ctrls, _) = strategy::controls(cal, &me, Instrument::Uniform);
    let mut t = s.start.clone();
    let label = match which {
        "scenario" => {
            if s.start == cal.tariffs {
                return Err(BadInput("--tariff scenario needs --scenario FILE".into()).into());
            }
            format!("as in {}", s.start_label)
        }
        "optimal" => {
            let r = closed_form_at(cal, None, &[target], Denominator::Expenditure)
                .map_err(strategy_error)?;
            apply_controls(&ctrls, &[r], &mut t);
            format!("closed-form optimal uniform tariff {}%", rate(r))
        }
        "numerical" => {
            let br = strategy::best_response(
                cal,
                &s.start,
                &me,
                Instrument::Uniform,
                None,
                &SearchOptions::default(),
            )
            .map_err(strategy_error)?;
            t = br.tariffs;
            format!("numerical optimal uniform tariff {}%", rate(br.rates[0]))
        }
        "liberation-day" => {
            if cal.countries[target] != "USA" {
                return Err(BadInput(format!(
                    "--tariff liberation-day: the April 2, 2025 rates are US tariffs, not {}'s",
                    cal.countries[target]
                ))
                .into());
            }
            match s.world.data.columns.get("us_tariff_liberation_day") {
                Some(col) => {
                    for k in 0..cal.k {
                        for j in (0..cal.n).filter(|&j| j != target) {
                            t[cal.index(k, j, target)] = col[j].max(0.10);
                        }
                    }
                    "Liberation Day rates (the data's us_tariff_liberation_day column, floor 10%)"
                        .to_string()
                }
                None => {
                    let file = reciprocity_scenario::parse(
                        "[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nofficial = \"2025-04-02\"\nfloor = 0.10\n",
                        "liberation-day",
                    )
                    .map_err(|e| BadInput(e.to_string()))?;
                    let resolved = file
                        .resolve(&s.world.data, cal, "liberation-day")
                        .map_err(|e| BadInput(e.to_string()))?;
                    for k in 0..cal.k {
                        for j in (0..cal.n).filter(|&j| j != target) {
                            let id = cal.index(k, j, target);
                            t[id] = resolved.tariffs[id];
                        }
                    }
                    "Liberation Day rates (embedded April 2, 2025 chart, floor 10%)".to_string()
                }
            }
        }
        number => {
            let r: f64 = number.parse().map_err(|_| {
                BadInput(format!("--tariff: expected optimal, numerical, liberation-day, scenario or a fraction, found \"{number}\""))
            })?;
            if !(r.is_finite() && r > -1.0 && r <= 100.0) {
                return Err(BadInput(format!(
                    "--tariff: expected a fraction in (−1, 100], found {r}"
                ))
                .into());
            }
            apply_controls(&ctrls, &[r], &mut t);
            format!("uniform tariff {}%", rate(r))
        }
    };
    Ok((t, label))
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let s = setup(&args.world)?;
    let cal = &s.cal;
    let target = s.world.data.country_index(&args.country).ok_or_else(|| {
        BadInput(format!(
            "--country: \"{}\" is not in the data",
            args.country
        ))
    })?;
    let (base, label) = aggressor_tariffs(&s, target, &args.tariff)?;
    let retaliators: Vec<usize> = match &args.by {
        Some(list) => {
            let mut v: Vec<usize> = super::players(cal, &s.world, list)?
                .into_iter()
                .flat_map(|p| p.members)
                .collect();
            v.retain(|&i| i != target);
            v.sort_unstable();
            v.dedup();
            v
        }
        None => (0..cal.n).filter(|&i| i != target).collect(),
    };
    if retaliators.is_empty() {
        return Err(BadInput("--by: no retaliator left besides the target".into()).into());
    }
    let mut cases = standard_cases(cal, target, &base, &retaliators)?;
    if let Some(spec) = &args.rates {
        let mut explicit = base.clone();
        let mut parts = Vec::new();
        for item in spec.split(',').filter(|x| !x.trim().is_empty()) {
            let (name, value) = item.split_once('=').ok_or_else(|| {
                BadInput(format!("--rates: expected NAME=RATE, found \"{item}\""))
            })?;
            let r: f64 = value.trim().parse().map_err(|_| {
                BadInput(format!(
                    "--rates: {name}: expected a fraction, found \"{value}\""
                ))
            })?;
            if !(r.is_finite() && r > -1.0 && r <= 100.0) {
                return Err(BadInput(format!(
                    "--rates: {name}: expected a fraction in (−1, 100], found {r}"
                ))
                .into());
            }
            let who = super::player(cal, &s.world, name)?;
            for &i in who.members.iter().filter(|&&i| i != target) {
                for k in 0..cal.k {
                    explicit[cal.index(k, target, i)] = r;
                }
            }
            parts.push(format!("{} {}%", who.name, rate(r)));
        }
        let outcomes = ge::outcomes(
            cal,
            &ge::solve(cal, &explicit, &ge::SolverOptions::default())?,
        );
        cases.push(Case {
            rule: "explicit".into(),
            description: parts.join(", "),
            outcomes,
            tariffs: explicit,
        });
    }
    let text = render(&s, target, &label, &retaliators, &cases, args.format)?;
    output::emit(args.out.as_deref(), &text)
}

fn render(
    s: &Setup,
    target: usize,
    label: &str,
    retaliators: &[usize],
    cases: &[Case],
    format: Format,
) -> anyhow::Result<String> {
    let cal = &s.cal;
    let rows: Vec<CountryRow> = cases
        .iter()
        .flat_map(|c| {
            (0..cal.n)
                .filter(move |&i| i != target)
                .map(move |i| CountryRow {
                    rule: c.rule.clone(),
                    iso3: cal.countries[i].clone(),
                    rate_on_target_pct: 100.0 * bilateral_rate(cal, &c.tariffs, target, i),
                    target_rate_on_it_pct: 100.0 * bilateral_rate(cal, &c.tariffs, i, target),
                    welfare_pct: c.outcomes.countries[i].welfare_pct,
                })
        })
        .chain(cases.iter().map(|c| CountryRow {
            rule: c.rule.clone(),
            iso3: cal.countries[target].clone(),
            rate_on_target_pct: f64::NAN,
            target_rate_on_it_pct: f64::NAN,
            welfare_pct: c.outcomes.countries[target].welfare_pct,
        }))
        .collect();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &rows {
                w.serialize(row)?;
            }
            Ok(String::from_utf8(w.into_inner().context("flushing CSV")?)?)
        }
        Format::Json => {
            #[derive(Serialize)]
            struct Doc<'a> {
                world: &'a str,
                target: &'a str,
                tariffs: &'a str,
                retaliators: usize,
                rules: Vec<(String, String, f64, f64)>,
                countries: &'a [CountryRow],
            }
            let rules = cases
                .iter()
                .map(|c| {
                    (
                        c.rule.clone(),
                        c.description.clone(),
                        c.outcomes.countries[target].welfare_pct,
                        ge::group_average(cal, retaliators, |i| {
                            c.outcomes.countries[i].welfare_pct
                        }),
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
            let imports_from = |j: usize| {
                (0..cal.k)
                    .map(|k| cal.flows[cal.index(k, j, target)])
                    .sum::<f64>()
            };
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
            let _ = player_welfare;
            Ok(out)
        }
    }
}
