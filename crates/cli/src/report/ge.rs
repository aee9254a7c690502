//! Report section: the Liberation Day tariffs in the GE model, on the report's world (`--data`,
//! `--world`; the embedded default world otherwise).

use std::fmt::Write as _;
use std::path::Path;

use crate::chart::welfare::WelfareChart;
use crate::chart::{Caption, Chart};
use crate::output::write_atomic;
use reciprocity_model::ge::{Calibration, CountryOutcome};
use reciprocity_model::Dataset;
use reciprocity_service::bands::scenario::{scenario_bands, ScenarioBands};
use reciprocity_service::bands::Band;
use reciprocity_service::scenario::World;
use reciprocity_service::scenario_report::CountryRow;

/// Solve the Liberation Day scenario on the report's world (`liberation-day.toml`, or on a sector
/// world `liberation-day-goods.toml`); write a CSV of every country, a chart of the 30 largest US
/// partners, and return the Markdown section.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let world = &*opts.ge_world;
    let ld = opts.liberation_day()?;
    let (input, result) = (&ld.input, &ld.result);
    let path = input.path.display().to_string();
    let path = path.as_str();
    let cal = &result.calibration;
    let request = opts.draws.request()?;
    let bands: Option<ScenarioBands> = match request.draws {
        0 => None,
        n => Some(crate::cmd::flags::with_draws(n, "report", |exec| {
            scenario_bands(world, input, result, &request, exec)
        })?),
    };
    let band = |i: usize| bands.as_ref().map(|b| b.countries[i].clone());
    let data = &world.data;
    let out = &result.outcomes.countries;
    let us = data
        .country_index("USA")
        .ok_or_else(|| anyhow::anyhow!("{}: the world has no USA", world.source))?;

    let rows = reciprocity_service::scenario_report::country_rows(world, result);
    write_atomic(&dir.join("ge_liberation_day.csv"), &country_csv(&rows)?)?;
    let shown = shown_countries(cal, out, us);
    let chart = welfare_chart(world, opts, path, out, &shown, bands.as_ref());
    chart.write_figure(dir, "ge_welfare")?;

    let mut md = String::new();
    writeln!(md, "## General equilibrium: the Liberation Day tariffs\n")?;
    writeln!(
        md,
        "The ILMS (2025) model (docs/model.md) on {} ({} countries, {} sector(s)). The US levies the April 2, 2025 \
         rates, floored at 10%{}; revenue lowers the income tax (scenario `{path}`). \
         Solver: {}, {} iterations, max residual {:.1e}. On the real BACI world of the paper the US gains +1.13%; \
         the embedded world's difference is documented in docs/embedded-world.md.\n",
        world_words(world, opts),
        data.n_countries(),
        data.n_sectors(),
        match world.has_sectors() {
            true => ", on the goods sectors",
            false => "",
        },
        result.reports[0].termination,
        result.reports[0].iterations,
        result.reports[0].max_residual
    )?;
    writeln!(
        md,
        "World trade-to-GDP {:+.2}%, world employment {:+.3}%.\n",
        result.outcomes.world_trade_to_gdp_pct, result.outcomes.world_employment_pct
    )?;
    md.push_str(&chart.figure(
        "Liberation Day: welfare change by country, ranked",
        "ge_welfare",
    )?);
    md.push('\n');
    writeln!(
        md,
        "*Welfare* is the change in real income (expenditure and labour income over the price index, \
         ILMS's measure), not GDP. The *price index vs world* is the model's price index against the \
         world numéraire, not consumer inflation; the short-run consumer price level is in the costs section.\n"
    )?;
    if let Some(b) = &bands {
        md.push_str(&bands_text(b));
    }
    country_table(&mut md, data, out, &shown, bands.as_ref())?;
    let revenue = match band(us) {
        Some(b) => format!(
            " (median {:.2}%, 90% band {:.2}% to {:.2}%)",
            100.0 * b.revenue_share.median,
            100.0 * b.revenue_share.p05,
            100.0 * b.revenue_share.p95
        ),
        None => String::new(),
    };
    let row = &rows[us];
    let gdp_band = match band(us) {
        Some(b) => format!(
            " (median {:+.2}%, 90% band {:+.2}% to {:+.2}%)",
            b.real_gdp_pct.median, b.real_gdp_pct.p05, b.real_gdp_pct.p95
        ),
        None => String::new(),
    };
    writeln!(
        md,
        "\nUS tariff revenue after behaviour: {:.2}% of expenditure{revenue}, ${:.0}bn a year in the \
         world's dollars, against ${:.0}bn for the same tariffs on the baseline imports (the static \
         score) and ${:.0}bn before the scenario. US real GDP (the model's value added over its price \
         index): {:+.2}%{gdp_band}; employment {:+.2}%. US consumer prices in units of the US wage \
         (the model's cost of living with nominal wages fixed, comparable with the short-run price \
         level of the costs section, unlike the index vs world): {:+.2}%. Every country: \
         `ge_liberation_day.csv`.",
        100.0 * out[us].revenue_share,
        row.revenue_usd_bn,
        row.revenue_static_usd_bn,
        row.revenue_baseline_usd_bn,
        row.real_gdp_pct,
        row.employment_pct,
        row.consumer_prices_wage_units_pct
    )?;
    Ok(md)
}

/// The chart of the shown countries' welfare changes, ranked from the largest gain to the largest
/// loss, with their bands as error bars when there are bands.
fn welfare_chart(
    world: &World,
    opts: &super::Options,
    path: &str,
    out: &[CountryOutcome],
    shown: &[usize],
    bands: Option<&ScenarioBands>,
) -> WelfareChart {
    let data = &world.data;
    let mut ranked = shown.to_vec();
    ranked.sort_by(|&a, &b| out[b].welfare_pct.total_cmp(&out[a].welfare_pct));
    let band_words = super::band_words("", bands.map(|b| &b.summary));
    WelfareChart {
        title: "Liberation Day tariffs: welfare change, %, ranked".into(),
        caption: Caption {
            scenario: format!(
                "Liberation Day ({path}): the April 2, 2025 rates{}, income-tax relief, no retaliation; \
                 the US, its 29 largest suppliers and the 5 largest losers, ranked from the largest gain to the largest loss",
                match world.has_sectors() {
                    true => " on the goods sectors",
                    false => "",
                }
            ),
            source: format!(
                "the Reciprocity GE model (ILMS preset, docs/model.md) on {}{band_words}",
                world_words(world, opts)
            ),
            date: LIBERATION_DAY_DATE.into(),
        },
        bars: ranked
            .iter()
            .map(|&i| {
                (
                    format!("{} {}", data.countries[i], short(&data.country_names[i])),
                    out[i].welfare_pct,
                )
            })
            .collect(),
        errors: match bands {
            Some(b) => ranked
                .iter()
                .map(|&i| b.countries[i].welfare_pct)
                .map(|w| (w.p05, w.median, w.p95))
                .collect(),
            None => Vec::new(),
        },
    }
}

/// The embedded default world in words.
pub(super) const EMBEDDED_WORLD: &str =
    "the embedded world (Census 2024, WDI, BACI 2023 totals; flows imputed from public \
     totals, docs/embedded-world.md)";

/// The date of the Liberation Day rates, for a figure's caption.
pub(super) const LIBERATION_DAY_DATE: &str =
    "the rates announced on 2025-04-02 (EO 14257, Annex I), on the world's trade before them";

/// The world in words: the embedded default world's sources, or the world's own source line.
fn world_words(world: &World, opts: &super::Options) -> String {
    match (&opts.data, &opts.world) {
        (None, None) => EMBEDDED_WORLD.into(),
        (None, Some(w)) if w == "default" => EMBEDDED_WORLD.into(),
        // "the embedded sector world (2022). Source: OECD ..."
        (None, Some(_)) => format!("the {}", world.source),
        _ => format!("the world {}", world.source),
    }
}

/// The first 16 shown countries, each number with its band when there are bands.
fn country_table(
    md: &mut String,
    data: &Dataset,
    out: &[CountryOutcome],
    shown: &[usize],
    bands: Option<&ScenarioBands>,
) -> anyhow::Result<()> {
    let band = |i: usize| bands.map(|b| b.countries[i].clone());
    writeln!(*md, "| country | welfare % | deficit % | exports/GDP % | imports/GDP % | employment % | price index vs world % |")?;
    writeln!(*md, "|---|---:|---:|---:|---:|---:|---:|")?;
    for &i in shown.iter().take(16) {
        let c = &out[i];
        let cell =
            |point: f64,
             d: usize,
             pick: fn(&reciprocity_service::bands::scenario::CountryBand) -> Band| {
                match band(i) {
                    Some(b) => format!("{:+.d$} / {}", point, pick(&b).text(d), d = d),
                    None => format!("{point:+.d$}", d = d),
                }
            };
        writeln!(
            *md,
            "| {} ({}) | {} | {} | {} | {} | {} | {} |",
            data.country_names[i],
            data.countries[i],
            cell(c.welfare_pct, 2, |b| b.welfare_pct),
            cell(c.deficit_pct, 1, |b| b.deficit_pct),
            cell(c.exports_gdp_pct, 1, |b| b.exports_gdp_pct),
            cell(c.imports_gdp_pct, 1, |b| b.imports_gdp_pct),
            cell(c.employment_pct, 2, |b| b.employment_pct),
            cell(c.price_index_pct, 1, |b| b.price_index_pct),
        )?;
    }
    Ok(())
}

/// What the bands are, before the table.
fn bands_text(b: &ScenarioBands) -> String {
    let s = &b.summary;
    let mut md = format!(
        "**Uncertainty.** Each cell of the table is the point estimate / the median [5th, 95th percentile] over {} draws \
         of the uncertain parameters (seed {}; {} converged, {} failed{}; `--draws 0` turns the bands off; docs/uncertainty.md). \
         On the chart the bars are the point estimates, the error bars the same 90% bands and the dots the medians. World trade-to-GDP {}%. Drawn:\n\n",
        s.draws,
        s.seed,
        s.converged,
        s.failed,
        match s.failed {
            0 => String::new(),
            _ => ", left out of the bands".to_string(),
        },
        b.world_trade_to_gdp_pct.text(2),
    );
    for d in &s.distributions {
        md.push_str(&format!("- {d}\n"));
    }
    md.push_str(&format!("\nA band is the {}.\n\n", s.meaning));
    md
}

/// Every country's outcomes, one CSV row each.
fn country_csv(rows: &[CountryRow]) -> anyhow::Result<Vec<u8>> {
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "iso3",
        "country",
        "welfare_pct",
        "deficit_pct",
        "exports_gdp_pct",
        "imports_gdp_pct",
        "employment_pct",
        "price_index_pct",
        "revenue_share",
        "real_gdp_pct",
        "consumer_prices_wage_units_pct",
        "revenue_usd_bn",
        "revenue_static_usd_bn",
    ])?;
    for c in rows {
        csv.write_record([
            c.iso3.clone(),
            c.country.clone(),
            format!("{:.4}", c.welfare_pct),
            format!("{:.4}", c.deficit_pct),
            format!("{:.4}", c.exports_gdp_pct),
            format!("{:.4}", c.imports_gdp_pct),
            format!("{:.4}", c.employment_pct),
            format!("{:.4}", c.price_index_pct),
            format!("{:.6}", c.revenue_share),
            format!("{:.4}", c.real_gdp_pct),
            format!("{:.4}", c.consumer_prices_wage_units_pct),
            format!("{:.3}", c.revenue_usd_bn),
            format!("{:.3}", c.revenue_static_usd_bn),
        ])?;
    }
    Ok(csv.into_inner()?)
}

/// The chart's countries: the US, its 29 largest suppliers (by factual US imports) and the five
/// largest losers anywhere.
fn shown_countries(cal: &Calibration, out: &[CountryOutcome], us: usize) -> Vec<usize> {
    // The US and its 29 largest suppliers (by factual US imports).
    let mut partners: Vec<usize> = (0..cal.n).filter(|&j| j != us).collect();
    let flows = cal.flow_table();
    partners.sort_by(|&a, &b| {
        flows
            .bilateral_sum(b, us)
            .total_cmp(&flows.bilateral_sum(a, us))
    });
    partners.truncate(29);
    let mut shown = vec![us];
    shown.extend(partners);
    // The five largest losers anywhere, so that the chart never hides them (Guyana, Guinea, ...).
    let mut losers: Vec<usize> = (0..cal.n).collect();
    losers.sort_by(|&a, &b| out[a].welfare_pct.total_cmp(&out[b].welfare_pct));
    for &i in losers.iter().take(5) {
        if !shown.contains(&i) {
            shown.push(i);
        }
    }
    shown
}

fn short(name: &str) -> String {
    let mut s: String = name.chars().take(22).collect();
    if name.chars().count() > 22 {
        s.push('…');
    }
    s
}
