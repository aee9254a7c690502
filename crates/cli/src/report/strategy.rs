//! Report section: strategy on the embedded world — the US optimal tariff (ILMS closed form and
//! the numerical optimum), the Liberation Day and optimal tariffs met by retaliation, and the Nash
//! tariff war among the main players. Files: `strategy_retaliation.csv`, `strategy_retaliation.svg`
//! and `.png` (the US welfare by retaliation case), `strategy_war.csv`.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::Context;
use reciprocity_model::ge::Revenue;
use reciprocity_model::strategy::{Instrument, NashOptions, SearchOptions};
use reciprocity_service::bands::retaliate::{
    retaliation_bands as retaliation_bands_of, RetaliationBands, RetaliationSetup,
};
use reciprocity_service::bands::Band;
use reciprocity_service::scenario as ge_run;
use reciprocity_service::strategy::{
    self as service, AggressorTariff, OptimalRequest, RetaliateRequest, Setup, WarRequest,
};

use crate::chart::welfare::WelfareChart;
use crate::chart::{Caption, Chart};
use crate::cmd::flags::from_service;
use crate::output::write_atomic;

/// The players of the report's war (the EU acts as one bloc); everyone else keeps its tariffs.
const WAR_PLAYERS: [&str; 9] = [
    "USA", "CHN", "EU27", "JPN", "CAN", "MEX", "GBR", "KOR", "IND",
];

/// Partners shown in the retaliation table.
const SHOWN: [&str; 5] = ["CHN", "EU27", "CAN", "MEX", "JPN"];

fn pct(v: f64) -> String {
    format!("{v:+.2}")
}

/// Write the files into `dir`; return the section's Markdown.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let world = ge_run::load_world(None)?;
    let s = service::setup_on(world, None, None).map_err(from_service)?;
    let cal = &s.cal;
    let us = s
        .world
        .data
        .country_index("USA")
        .context("the embedded world has no USA")?;
    let mut md =
        String::from("## Strategy: the optimal US tariff, retaliation and the tariff war\n\n");
    writeln!(md, "GE model of docs/model.md (ILMS preset, income-tax relief) on the embedded world ({} countries). Welfare changes in % against the factual state.\n", cal.n)?;
    if opts.data.is_some() || opts.world.is_some() {
        // The searches and the war stay on the one-sector world the section's figures are
        // checked against; the sector world has its own commands.
        writeln!(md, "This section stays on the embedded one-sector world whatever `--data` or `--world` names: for another world run `reciprocity strategy optimal|retaliate|nash|bargain` with the same flag (on a sector world they set tariffs on goods sectors only, docs/sector-world.md).\n")?;
    }
    optimal_tariff(&s, &mut md)?;
    let bands = retaliation_bands(&s, opts)?;
    retaliation(&s, us, dir, bands.as_ref(), &mut md)?;
    if let Some(b) = &bands {
        bands_sentence(b, &mut md)?;
    }
    // The war among the main players, with the lump-sum rebate as `strategy nash` (under
    // income-tax relief import-heavy economies have no optimal tariff). The same world,
    // recalibrated (building the embedded world again would cost seconds).
    let s = service::setup_on(s.world, None, Some(Revenue::LumpSum)).map_err(from_service)?;
    war(&s, dir, &mut md)?;
    Ok(md)
}

/// 1. The optimal US tariff: closed form and numerical optimum.
fn optimal_tariff(s: &Setup, md: &mut String) -> anyhow::Result<()> {
    let optimal = service::optimal(
        s.game(),
        &OptimalRequest {
            country: "USA".into(),
            instrument: Instrument::Uniform,
            max_rate: SearchOptions::default().upper,
        },
    )
    .map_err(from_service)?;
    let (cf_e, cf_y) = (
        optimal
            .closed_form_expenditure
            .context("no closed-form optimal US tariff")?,
        optimal
            .closed_form_income
            .context("no closed-form optimal US tariff (income denominator)")?,
    );
    let at_cf = optimal
        .welfare_at_closed_form_pct
        .context("no equilibrium at the closed-form optimal US tariff")?;
    let br = &optimal.best_response;
    writeln!(md, "### The optimal US tariff\n")?;
    writeln!(
        md,
        "- ILMS closed form (docs/model.md §7): **{:.1}%** with the expenditure denominator (US welfare {}%), {:.1}% with the income denominator.",
        100.0 * cf_e,
        pct(at_cf),
        100.0 * cf_y
    )?;
    writeln!(
        md,
        "- Numerical optimum of the uniform US tariff, everyone else's tariffs fixed: **{:.1}%**, US welfare {}% ({} equilibrium solves). \
         The closed form is evaluated at the factual state; the welfare function is flat near its top, so the two rates differ by more than their welfare does.\n",
        100.0 * br.rates[0],
        pct(br.welfare_pct),
        br.solves
    )?;
    Ok(())
}

/// 2. The Liberation Day and optimal US tariffs met by the standard retaliation cases.
///
/// A table, whose US cells of the Liberation Day rows carry their bands when there are bands, and
/// a chart.
fn retaliation(
    s: &Setup,
    us: usize,
    dir: &Path,
    bands: Option<&RetaliationBands>,
    md: &mut String,
) -> anyhow::Result<()> {
    let cal = &s.cal;
    writeln!(md, "### The tariffs met by retaliation\n")?;
    let retaliators: Vec<usize> = (0..cal.n).filter(|&i| i != us).collect();
    let welfare_of = |out: &reciprocity_model::ge::Outcomes, name: &str| {
        service::welfare_of(s.game(), out, name).map_err(from_service)
    };
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["us_tariffs", "retaliation", "iso3", "welfare_pct"])?;
    write!(md, "| US tariffs | Retaliation | USA |")?;
    for p in SHOWN {
        write!(md, " {p} |")?;
    }
    writeln!(
        md,
        " World trade/GDP |\n|---|---|---:|{}---:|",
        "---:|".repeat(SHOWN.len())
    )?;
    let mut bars = Vec::new();
    for which in [AggressorTariff::LiberationDay, AggressorTariff::Optimal] {
        let (base, label) =
            service::aggressor_tariffs(s.game(), us, which).map_err(from_service)?;
        let tariff = match which {
            AggressorTariff::Optimal => "optimal (closed form)",
            _ => "Liberation Day",
        };
        for case in service::standard_cases(cal, us, &base, &retaliators).map_err(from_service)? {
            let welfare = case.outcomes.countries[us].welfare_pct;
            // Only the Liberation Day tariffs have bands.
            let band = bands
                .filter(|_| which == AggressorTariff::LiberationDay)
                .and_then(|b| b.rules.iter().find(|r| r.rule == case.rule))
                .map(|r| r.target_welfare_pct);
            let us_cell = match band {
                Some(b) => format!("{} / {}", pct(welfare), b.text(2)),
                None => pct(welfare),
            };
            write!(md, "| {tariff} | {} | {us_cell} |", case.description)?;
            let rule = match case.rule.as_str() {
                "none" => "no",
                other => other,
            };
            bars.push((format!("{tariff}: {rule} retaliation"), welfare, band));
            for p in SHOWN {
                write!(md, " {} |", pct(welfare_of(&case.outcomes, p)?))?;
            }
            writeln!(md, " {} |", pct(case.outcomes.world_trade_to_gdp_pct))?;
            for i in 0..cal.n {
                csv.write_record([
                    label.as_str(),
                    case.rule.as_str(),
                    cal.countries[i].as_str(),
                    &format!("{}", case.outcomes.countries[i].welfare_pct),
                ])?;
            }
        }
    }
    write_atomic(
        &dir.join("strategy_retaliation.csv"),
        &csv.into_inner().context("flushing CSV")?,
    )?;
    writeln!(md, "\nThe EU column is the expenditure-weighted mean of its members. Every country's welfare: `strategy_retaliation.csv`.\n")?;
    let chart = retaliation_chart(cal.n, bars, bands);
    chart.write_figure(dir, "strategy_retaliation")?;
    md.push_str(&chart.figure("US welfare by retaliation case", "strategy_retaliation")?);
    md.push('\n');
    Ok(())
}

/// The US welfare in each retaliation case, with the bands of the Liberation Day cases as error
/// bars when there are bands; in the table's order.
fn retaliation_chart(
    n: usize,
    bars: Vec<(String, f64, Option<Band>)>,
    bands: Option<&RetaliationBands>,
) -> WelfareChart {
    let band_words = super::band_words(" (the Liberation Day cases)", bands.map(|b| &b.summary));
    WelfareChart {
        title: "US welfare when the US tariffs are met by retaliation, %".into(),
        caption: Caption {
            scenario: "the US levies the Liberation Day rates or its optimal uniform tariff (closed form); every \
                       other country retaliates: none, reciprocal (each mirrors the rate it faces) or optimal (the \
                       two-region optimal rate); income-tax relief"
                .into(),
            source: format!(
                "the Reciprocity GE model (ILMS preset, docs/model.md) on {} ({n} countries){band_words}",
                super::ge::EMBEDDED_WORLD
            ),
            date: super::ge::LIBERATION_DAY_DATE.into(),
        },
        errors: match bands {
            Some(_) => bars
                .iter()
                .map(|(_, _, b)| b.map_or((f64::NAN, f64::NAN, f64::NAN), |b| (b.p05, b.median, b.p95)))
                .collect(),
            None => Vec::new(),
        },
        bars: bars.into_iter().map(|(label, w, _)| (label, w)).collect(),
    }
}

/// The bands of the US welfare under the Liberation Day tariffs met by each retaliation rule
/// (`None` with `--draws 0`).
fn retaliation_bands(s: &Setup, opts: &super::Options) -> anyhow::Result<Option<RetaliationBands>> {
    let request = opts.draws.request()?;
    if request.draws == 0 {
        return Ok(None);
    }
    let (file, origin) = service::scenario_file(None).map_err(from_service)?;
    let setup = RetaliationSetup {
        world: &s.world,
        file: &file,
        origin: &origin,
        from_scenario: false,
        revenue: None,
    };
    let liberation_day = RetaliateRequest {
        country: "USA".into(),
        tariff: AggressorTariff::LiberationDay,
        by: None,
        rates: Vec::new(),
    };
    let point = service::retaliate(s.game(), &liberation_day).map_err(from_service)?;
    let rules: Vec<String> = point.cases.iter().map(|c| c.rule.clone()).collect();
    let b = crate::cmd::flags::with_draws(request.draws, "report retaliation", |exec| {
        retaliation_bands_of(&setup, &liberation_day, &rules, &request, exec)
    })?;
    Ok(Some(b))
}

/// The sentence under the table: what the bands are and each rule's.
fn bands_sentence(b: &RetaliationBands, md: &mut String) -> anyhow::Result<()> {
    let s = &b.summary;
    write!(
        md,
        "With the Liberation Day tariffs, US welfare, median [5th, 95th percentile] over {} draws of the uncertain \
         parameters (seed {}; {} failed; the distributions of the GE section, docs/uncertainty.md):",
        s.draws, s.seed, s.failed
    )?;
    let parts: Vec<String> = b
        .rules
        .iter()
        .map(|r| format!(" {} {}%", r.rule, r.target_welfare_pct.text(2)))
        .collect();
    writeln!(
        md,
        "{}. The table's US cells of the Liberation Day rows show the point estimate / this band, \
         the chart the same bands as error bars and the medians as dots.\n",
        parts.join(";")
    )?;
    Ok(())
}

/// 3. The Nash war among the main players.
fn war(s: &Setup, dir: &Path, md: &mut String) -> anyhow::Result<()> {
    let cal = &s.cal;
    let war = service::war(
        s.game(),
        &WarRequest {
            players: Some(WAR_PLAYERS.iter().map(|p| p.to_string()).collect()),
            options: NashOptions::default(),
        },
        &|_| {},
    )
    .map_err(from_service)?;
    let players = &war.result.players;
    let war = &war.result;
    writeln!(md, "### The tariff war among the main players\n")?;
    writeln!(
        md,
        "Nash equilibrium of uniform tariffs among {} players (the EU as one bloc with a common external tariff; the other {} countries keep their tariffs): \
         damped best-response iteration, every best response a numerical maximum of the player's own welfare; tariff revenue rebated lump-sum; \
         converged in {} rounds (largest remaining best-response gap {:.1e}).\n",
        players.len(),
        cal.n - players.iter().map(|p| p.members.len()).sum::<usize>(),
        war.rounds,
        war.residual
    )?;
    writeln!(
        md,
        "| Player | Nash tariff % | Welfare % |\n|---|---:|---:|"
    )?;
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(["player", "members", "nash_tariff_pct", "welfare_pct"])?;
    for (p, pl) in players.iter().enumerate() {
        writeln!(
            md,
            "| {} | {:.1} | {} |",
            pl.name,
            100.0 * war.rates[p][0],
            pct(war.welfare_pct[p])
        )?;
        csv.write_record([
            pl.name.as_str(),
            &pl.members.len().to_string(),
            &format!("{}", 100.0 * war.rates[p][0]),
            &format!("{}", war.welfare_pct[p]),
        ])?;
    }
    write_atomic(
        &dir.join("strategy_war.csv"),
        &csv.into_inner().context("flushing CSV")?,
    )?;
    writeln!(md, "\nWorld trade-to-GDP {}%. Files: `strategy_war.csv`. The full war among every country: `reciprocity strategy nash`.", pct(war.outcomes.world_trade_to_gdp_pct))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_section_reports_the_optimum_retaliation_and_the_war() {
        crate::chart::ensure_fonts();
        let dir = tempfile::tempdir().unwrap();
        let md = super::write(dir.path(), &super::super::Options::without_draws()).unwrap();
        assert!(
            md.contains("### The optimal US tariff")
                && md.contains("### The tariff war among the main players"),
            "{md}"
        );
        // Six retaliation rows (two US tariff schedules × none/reciprocal/optimal), every country each.
        let retaliation =
            std::fs::read_to_string(dir.path().join("strategy_retaliation.csv")).unwrap();
        assert_eq!(retaliation.lines().count(), 1 + 6 * 194);
        assert_eq!(md.matches("| Liberation Day |").count(), 3);
        let war = std::fs::read_to_string(dir.path().join("strategy_war.csv")).unwrap();
        let rows: Vec<&str> = war.lines().skip(1).collect();
        assert_eq!(rows.len(), 9);
        for row in rows {
            let rate: f64 = row.split(',').nth(2).unwrap().parse().unwrap();
            assert!(rate > 1.0 && rate < 100.0, "{row}");
        }
        assert!(war.contains("EU27,27,"));
    }
}
