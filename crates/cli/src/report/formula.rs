//! Report section: the official formula against the published chart, the critics' pass-through, and
//! the tariff-gap chart. Files: `formula.csv`, `formula.md`, `formula_pass_through_0.945.csv`,
//! `tariff_gap.svg`, `tariff_gap.png`.

use std::path::Path;

use reciprocity_data::partner_tariffs;
use reciprocity_model::formula::{FormulaParams, CRITICS_PASS_THROUGH};

use crate::chart::gap::{build, PartnerSource};
use crate::chart::Chart;
use crate::output::write_atomic;
use crate::render::formula::{pct, to_csv};
use reciprocity_service::formula::{table as compute, FormulaTable, Partners};

/// Partners shown in the Markdown of REPORT.md (the full table is in formula.md).
const TOP: usize = 20;

fn md_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn opt_pct(v: Option<f64>) -> String {
    v.map_or("–".to_string(), pct)
}

/// A Markdown table of the chart partners, with the critics' reciprocal rate alongside.
fn markdown_table(official: &FormulaTable, critics: &FormulaTable, n: usize) -> String {
    let headline = partner_tariffs::embedded_headline();
    let mut out = String::from(
        "| Partner | US imports $bn | US exports $bn | Deficit/imports % | Charged: formula / chart | Reciprocal: formula / chart | Partner's applied tariff on US goods % (WITS) | Reciprocal with φ = 0.945 |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in official
        .rows
        .iter()
        .filter(|r| r.official_charged_pct.is_some())
        .take(n)
    {
        let crit = critics
            .rows
            .iter()
            .find(|c| c.iso3 == r.iso3)
            .map(|c| c.reciprocal_pct);
        let wits = headline
            .iter()
            .find(|h| h.iso3 == r.iso3)
            .and_then(|h| h.simple_on_us_pct);
        let mark = |m: Option<bool>| if m == Some(false) { " ≠" } else { "" };
        out.push_str(&format!(
            "| {} | {:.1} | {:.1} | {} | {} / {}{} | {} / {}{} | {} | {} |\n",
            md_cell(&r.country),
            r.us_imports_usd / 1e9,
            r.us_exports_usd / 1e9,
            r.deficit_pct.map_or("–".to_string(), |d| format!("{d:.1}")),
            pct(r.charged_pct),
            opt_pct(r.official_charged_pct),
            mark(r.charged_match),
            pct(r.reciprocal_pct),
            opt_pct(r.official_reciprocal_pct),
            mark(r.reciprocal_match),
            wits.map_or("–".to_string(), |v| format!("{v:.1}")),
            crit.map_or("–".to_string(), pct),
        ));
    }
    out
}

/// Write the section's files into `dir` and return its Markdown.
pub fn write(dir: &Path, _opts: &super::Options) -> anyhow::Result<String> {
    let official_params = FormulaParams::default();
    let critics_params = FormulaParams {
        pass_through: CRITICS_PASS_THROUGH,
        ..Default::default()
    };
    let official = compute(&official_params, Partners::All)?;
    let critics = compute(&critics_params, Partners::All)?;
    let critics_chart = compute(&critics_params, Partners::Chart)?;

    write_atomic(&dir.join("formula.csv"), to_csv(&official)?.as_bytes())?;
    write_atomic(
        &dir.join("formula_pass_through_0.945.csv"),
        to_csv(&critics)?.as_bytes(),
    )?;
    let n_chart = official.summary.chart_partners;
    let full = format!(
        "# The April 2, 2025 formula for all {n_chart} chart partners\n\n\
         Census 2024 goods trade; formula ε = 4, φ = 0.25, floor 10 %, discount 0.5; chart = the White House chart \
         of 2025-04-02. ≠ marks a difference from the chart (reasons in REPORT.md).\n\n{}",
        markdown_table(&official, &critics, usize::MAX)
    );
    write_atomic(&dir.join("formula.md"), full.as_bytes())?;

    let chart = build(&official_params, 30, PartnerSource::Embedded)?;
    chart.write_figure(dir, "tariff_gap")?;

    let s = &official.summary;
    let mut md = String::from("## The April 2, 2025 reciprocal-tariff formula\n\n");
    md.push_str(
        "USTR set each partner's tariff to Δτ = (m − x)/(ε·φ·m), with x and m the 2024 US goods exports to and \
         imports from the partner, trade elasticity ε = 4 and pass-through φ = 0.25, so that ε·φ = 1: the \
         \"tariff charged to the USA\" is the bilateral deficit as a share of US imports, rounded, with a floor of \
         10 %, and the \"discounted reciprocal tariff\" is half of it, rounded up, with the same floor.\n\n",
    );
    md.push_str(&format!(
        "Applied to the Census 2024 figures, the formula reproduces the chart's charged rate for **{}/{}** \
         partners and its reciprocal rate for **{}/{}**. The differences:\n\n",
        s.charged_matches, s.chart_partners, s.reciprocal_matches, s.chart_partners
    ));
    for r in official
        .rows
        .iter()
        .filter(|r| !r.difference_reason.is_empty())
    {
        md.push_str(&format!(
            "- **{}**: chart {}/{}, formula {}/{}: {}\n",
            r.country,
            opt_pct(r.official_charged_pct),
            opt_pct(r.official_reciprocal_pct),
            pct(r.charged_pct),
            pct(r.reciprocal_pct),
            r.difference_reason
        ));
    }
    let above_floor: Vec<_> = critics_chart
        .rows
        .iter()
        .filter(|r| r.reciprocal_pct > critics_params.floor_pct)
        .collect();
    let max_rate = critics_chart
        .rows
        .iter()
        .map(|r| r.reciprocal_pct)
        .fold(0.0, f64::max);
    let at_max: Vec<&str> = critics_chart
        .rows
        .iter()
        .filter(|r| r.reciprocal_pct == max_rate)
        .map(|r| r.country.as_str())
        .collect();
    let official_above = official
        .rows
        .iter()
        .filter(|r| r.official_charged_pct.is_some() && r.reciprocal_pct > 10.0)
        .count();
    md.push_str(&format!(
        "\nCritics of the formula (Corinth and Veuger, AEI, April 2025) argued that φ should be the pass-through \
         of tariffs to retail import prices, about {CRITICS_PASS_THROUGH}, not 0.25. With φ = {CRITICS_PASS_THROUGH} \
         every rate is divided by {:.2}: {} of the {} chart partners would stay above the 10 % floor (against {} \
         with φ = 0.25); the highest rate would be {} % ({}).\n\n",
        CRITICS_PASS_THROUGH * 4.0,
        above_floor.len(),
        critics_chart.summary.chart_partners,
        official_above,
        pct(max_rate),
        at_max.join(", "),
    ));
    md.push_str(&format!(
        "The {TOP} largest chart partners by US imports:\n\n"
    ));
    md.push_str(&markdown_table(&official, &critics, TOP));
    md.push('\n');
    md.push_str(&chart.figure(
        "The tariff gap: formula rates against the tariffs partners apply to US goods",
        "tariff_gap",
    )?);
    md.push_str(
        "\nThe chart sets the formula against what partners actually apply: the simple \
         average of their applied tariffs on US-origin goods (WITS/UNCTAD TRAINS, mostly 2022) and their \
         trade-weighted applied tariff on all imports (World Bank WDI). Both are schedule rates: retaliatory \
         duties are not included.\n\n",
    );
    md.push_str(
        "Files: [formula.csv](formula.csv) (every Census partner, official parameters), \
         [formula_pass_through_0.945.csv](formula_pass_through_0.945.csv), [formula.md](formula.md) \
         (all chart partners). Sources: US Census Bureau FT-900 (2024, as published before the June 2025 \
         revision); the White House chart and Annex I of EO 14257 (2025-04-02).\n",
    );
    Ok(md)
}
