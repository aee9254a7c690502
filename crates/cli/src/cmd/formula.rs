//! `reciprocity formula`: the official April 2025 reciprocal-tariff formula for every partner of the
//! embedded 2024 Census data, next to the published chart values, with the reason for every difference.

use std::path::PathBuf;

use anyhow::Context;
use reciprocity_data::{embedded, registry};
use reciprocity_model::formula::{self, FormulaParams, Rounding};
use serde::Serialize;

use crate::output::{emit, Format};
use crate::BadInput;

/// Rounding rules, as flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum RoundingArg {
    /// charged = round(ratio), reciprocal = ceil(discount × rounded charged): the chart's rule for 182 of 185.
    #[default]
    Official,
    /// reciprocal = ceil(discount × unrounded ratio): the rule the chart used for Vietnam and Japan.
    Unrounded,
    /// No rounding.
    None,
}

impl From<RoundingArg> for Rounding {
    fn from(r: RoundingArg) -> Self {
        match r {
            RoundingArg::Official => Rounding::Official,
            RoundingArg::Unrounded => Rounding::Unrounded,
            RoundingArg::None => Rounding::None,
        }
    }
}

/// Which partners to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Partners {
    /// Every country in the Census 2024 data, plus the EU as one partner.
    #[default]
    All,
    /// Only the 185 partners of the April 2 chart.
    Chart,
}

/// The formula's parameters as flags (shared with `chart`).
#[derive(Debug, Clone, clap::Args)]
pub struct ParamArgs {
    /// ε, the trade elasticity.
    #[arg(long, default_value_t = formula::OFFICIAL_TRADE_ELASTICITY)]
    pub trade_elasticity: f64,
    /// φ, the pass-through of tariffs to import prices (critics proposed 0.945).
    #[arg(long, default_value_t = formula::OFFICIAL_PASS_THROUGH)]
    pub pass_through: f64,
    /// The lowest rate, percent.
    #[arg(long, default_value_t = 10.0)]
    pub floor: f64,
    /// The share of the charged rate that is levied.
    #[arg(long, default_value_t = 0.5)]
    pub discount: f64,
    /// How rates are rounded.
    #[arg(long, value_enum, default_value_t = RoundingArg::Official)]
    pub rounding: RoundingArg,
}

impl ParamArgs {
    /// Validated model parameters; a bad value is a `BadInput` (exit code 2).
    pub fn params(&self) -> anyhow::Result<FormulaParams> {
        let p = FormulaParams {
            trade_elasticity: self.trade_elasticity,
            pass_through: self.pass_through,
            floor_pct: self.floor,
            discount: self.discount,
            rounding: self.rounding.into(),
        };
        p.validate()
            .map_err(|e| BadInput(format!("formula parameters: {e}")))?;
        Ok(p)
    }
}

/// Flags of `reciprocity formula`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    params: ParamArgs,
    /// Which partners to list.
    #[arg(long, value_enum, default_value_t = Partners::All)]
    partners: Partners,
    /// Only the N partners with the largest US imports.
    #[arg(long)]
    top: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file (atomically) instead of stdout.
    #[arg(long)]
    out: Option<PathBuf>,
}

/// One partner: Census trade, the formula's rates, the published ones.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    /// ISO3 (`EUU` for the EU).
    pub iso3: String,
    /// Display name.
    pub country: String,
    /// US exports 2024, USD.
    pub us_exports_usd: f64,
    /// US imports 2024, USD.
    pub us_imports_usd: f64,
    /// 100(m − x)/m, unrounded.
    pub deficit_pct: Option<f64>,
    /// The formula's "tariff charged to the USA".
    pub charged_pct: f64,
    /// The formula's "discounted reciprocal tariff".
    pub reciprocal_pct: f64,
    /// The chart's charged rate.
    pub official_charged_pct: Option<f64>,
    /// The chart's reciprocal rate.
    pub official_reciprocal_pct: Option<f64>,
    /// The Annex I PDF rate.
    pub annex_i_pdf_pct: Option<f64>,
    /// The rate as implemented in the HTSUS (10 for partners outside Annex I).
    pub as_implemented_pct: Option<f64>,
    /// Formula charged = chart charged.
    pub charged_match: Option<bool>,
    /// Formula reciprocal = chart reciprocal.
    pub reciprocal_match: Option<bool>,
    /// Why the formula and the chart differ, when they do.
    pub difference_reason: String,
}

/// Match counts over the chart's partners.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Partners on the chart.
    pub chart_partners: usize,
    /// Of them, with the same charged rate.
    pub charged_matches: usize,
    /// Of them, with the same reciprocal rate.
    pub reciprocal_matches: usize,
    /// The partners whose formula rates differ from the chart, with the reason.
    pub differences: Vec<Difference>,
}

/// A partner whose formula rates differ from the chart.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    /// ISO3.
    pub iso3: String,
    /// Display name.
    pub country: String,
    /// Why.
    pub reason: String,
}

/// The whole computation.
#[derive(Debug, Clone, Serialize)]
pub struct FormulaTable {
    /// ε.
    pub trade_elasticity: f64,
    /// φ.
    pub pass_through: f64,
    /// Floor, percent.
    pub floor_pct: f64,
    /// Discount.
    pub discount: f64,
    /// Rounding rule.
    pub rounding: String,
    /// Match counts.
    pub summary: Summary,
    /// One row per partner, by US imports, largest first.
    pub rows: Vec<Row>,
}

fn rounding_name(r: Rounding) -> &'static str {
    match r {
        Rounding::Official => "official",
        Rounding::Unrounded => "unrounded",
        Rounding::None => "none",
    }
}

/// Compute the table on the embedded data.
pub fn compute(p: &FormulaParams, partners: Partners) -> anyhow::Result<FormulaTable> {
    let official = embedded::official_rates_2025_04_02();
    let mut isos: Vec<&str> = match partners {
        Partners::Chart => official.iter().map(|r| r.iso3.as_str()).collect(),
        Partners::All => embedded::census_2024()
            .iter()
            .map(|c| c.iso3.as_str())
            .chain(["EUU"])
            .collect(),
    };
    isos.dedup();
    let is_official_params = *p == FormulaParams::default();
    let unrounded = FormulaParams {
        rounding: Rounding::Unrounded,
        ..*p
    };
    let mut rows = Vec::with_capacity(isos.len());
    for iso in isos {
        let (x, m) = embedded::census_trade(iso)
            .with_context(|| format!("no 2024 Census trade for {iso}"))?;
        let r = formula::rates(x, m, p);
        let off = official.iter().find(|o| o.iso3 == iso);
        let country = off.map(|o| o.chart_name.clone()).unwrap_or_else(|| {
            registry::country(iso).map_or_else(|| iso.to_string(), |c| c.name.clone())
        });
        let charged_match = off.map(|o| o.charged_pct == r.charged_pct);
        let reciprocal_match = off.map(|o| o.reciprocal_pct == r.reciprocal_pct);
        let mut reason = String::new();
        if let Some(o) = off {
            if charged_match == Some(false) || reciprocal_match == Some(false) {
                let alt = formula::rates(x, m, &unrounded);
                reason = if !is_official_params {
                    format!(
                        "non-official parameters: formula {}/{} vs chart {}/{}",
                        r.charged_pct, r.reciprocal_pct, o.charged_pct, o.reciprocal_pct
                    )
                } else if alt.charged_pct == o.charged_pct && alt.reciprocal_pct == o.reciprocal_pct
                {
                    format!(
                        "the chart halves the unrounded ratio: ceil({:.1} × {}) = {}, not ceil({} × {}) = {}",
                        r.charged_exact_pct.unwrap_or(f64::NAN),
                        p.discount,
                        o.reciprocal_pct,
                        r.charged_pct,
                        p.discount,
                        r.reciprocal_pct
                    )
                } else if !o.note.is_empty() {
                    o.note.clone()
                } else {
                    format!(
                        "unexplained: formula {}/{} vs chart {}/{}",
                        r.charged_pct, r.reciprocal_pct, o.charged_pct, o.reciprocal_pct
                    )
                };
            }
        }
        rows.push(Row {
            iso3: iso.to_string(),
            country,
            us_exports_usd: x,
            us_imports_usd: m,
            deficit_pct: r.deficit_pct,
            charged_pct: r.charged_pct,
            reciprocal_pct: r.reciprocal_pct,
            official_charged_pct: off.map(|o| o.charged_pct),
            official_reciprocal_pct: off.map(|o| o.reciprocal_pct),
            annex_i_pdf_pct: off.and_then(|o| o.annex_i_pdf_pct),
            as_implemented_pct: off.map(|o| o.as_implemented_pct),
            charged_match,
            reciprocal_match,
            difference_reason: reason,
        });
    }
    rows.sort_by(|a, b| {
        b.us_imports_usd
            .total_cmp(&a.us_imports_usd)
            .then_with(|| a.iso3.cmp(&b.iso3))
    });
    let on_chart: Vec<&Row> = rows
        .iter()
        .filter(|r| r.official_charged_pct.is_some())
        .collect();
    let summary = Summary {
        chart_partners: on_chart.len(),
        charged_matches: on_chart
            .iter()
            .filter(|r| r.charged_match == Some(true))
            .count(),
        reciprocal_matches: on_chart
            .iter()
            .filter(|r| r.reciprocal_match == Some(true))
            .count(),
        differences: on_chart
            .iter()
            .filter(|r| !r.difference_reason.is_empty())
            .map(|r| Difference {
                iso3: r.iso3.clone(),
                country: r.country.clone(),
                reason: r.difference_reason.clone(),
            })
            .collect(),
    };
    Ok(FormulaTable {
        trade_elasticity: p.trade_elasticity,
        pass_through: p.pass_through,
        floor_pct: p.floor_pct,
        discount: p.discount,
        rounding: rounding_name(p.rounding).to_string(),
        summary,
        rows,
    })
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map_or(String::new(), |v| format!("{v:.digits$}"))
}

fn yes_no(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "",
    }
}

/// RFC 4180 CSV of the rows.
pub fn to_csv(t: &FormulaTable) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "iso3",
        "country",
        "us_exports_usd",
        "us_imports_usd",
        "deficit_pct",
        "charged_pct",
        "reciprocal_pct",
        "official_charged_pct",
        "official_reciprocal_pct",
        "annex_i_pdf_pct",
        "as_implemented_pct",
        "charged_match",
        "reciprocal_match",
        "difference_reason",
    ])?;
    let b = |v: Option<bool>| v.map_or(String::new(), |v| v.to_string());
    for r in &t.rows {
        w.write_record([
            r.iso3.clone(),
            r.country.clone(),
            format!("{:.0}", r.us_exports_usd),
            format!("{:.0}", r.us_imports_usd),
            opt(r.deficit_pct, 4),
            format!("{}", r.charged_pct),
            format!("{}", r.reciprocal_pct),
            opt(r.official_charged_pct, 0),
            opt(r.official_reciprocal_pct, 0),
            opt(r.annex_i_pdf_pct, 0),
            opt(r.as_implemented_pct, 0),
            b(r.charged_match),
            b(r.reciprocal_match),
            r.difference_reason.clone(),
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// A rate as printed in tables: whole numbers without decimals.
pub fn pct(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// The aligned text table for people, with the summary below.
pub fn to_table(t: &FormulaTable) -> String {
    let header = [
        "ISO3",
        "Partner",
        "Exp $bn",
        "Imp $bn",
        "Deficit %",
        "Charged",
        "Recip.",
        "Chart",
        "Match",
    ];
    let mut cells: Vec<Vec<String>> = vec![header.iter().map(|s| s.to_string()).collect()];
    for r in &t.rows {
        let chart = match (r.official_charged_pct, r.official_reciprocal_pct) {
            (Some(c), Some(rc)) => format!("{}/{}", pct(c), pct(rc)),
            _ => String::new(),
        };
        let matched = match (r.charged_match, r.reciprocal_match) {
            (Some(true), Some(true)) => "yes".to_string(),
            (Some(c), Some(rc)) => {
                format!("charged {} recip. {}", yes_no(Some(c)), yes_no(Some(rc)))
            }
            _ => String::new(),
        };
        let mut name = r.country.clone();
        if name.chars().count() > 28 {
            name = name.chars().take(27).collect::<String>() + "…";
        }
        cells.push(vec![
            r.iso3.clone(),
            name,
            format!("{:.1}", r.us_exports_usd / 1e9),
            format!("{:.1}", r.us_imports_usd / 1e9),
            opt(r.deficit_pct, 1),
            pct(r.charged_pct),
            pct(r.reciprocal_pct),
            chart,
            matched,
        ]);
    }
    let widths: Vec<usize> = (0..header.len())
        .map(|c| {
            cells
                .iter()
                .map(|row| row[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in &cells {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            // Text columns left-aligned, numbers right-aligned.
            if c == 1 || c == 8 || c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&summary_text(t));
    out
}

/// The parameters and match counts, with the reason for every difference, as plain text lines.
pub fn summary_text(t: &FormulaTable) -> String {
    let s = &t.summary;
    let mut out = format!(
        "Formula: ε = {}, φ = {}, floor {} %, discount {}, rounding {}\n",
        t.trade_elasticity, t.pass_through, t.floor_pct, t.discount, t.rounding
    );
    out.push_str(&format!(
        "Against the 2025-04-02 chart: charged rate matches {}/{}, reciprocal rate matches {}/{}\n",
        s.charged_matches, s.chart_partners, s.reciprocal_matches, s.chart_partners
    ));
    // From the summary, so that `--top` does not hide a difference.
    for d in s.differences.iter().take(20) {
        out.push_str(&format!("  {} {}: {}\n", d.iso3, d.country, d.reason));
    }
    if s.differences.len() > 20 {
        out.push_str(&format!(
            "  … and {} more differences (see --format csv)\n",
            s.differences.len() - 20
        ));
    }
    out
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let p = args.params.params()?;
    let mut table = compute(&p, args.partners)?;
    if let Some(n) = args.top {
        table.rows.truncate(n);
    }
    let text = match args.format {
        Format::Table => to_table(&table),
        Format::Csv => to_csv(&table)?,
        Format::Json => serde_json::to_string_pretty(&table)? + "\n",
    };
    emit(args.out.as_deref(), &text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_parameters_reproduce_the_chart() {
        let t = compute(&FormulaParams::default(), Partners::All).unwrap();
        assert_eq!(t.summary.chart_partners, 185);
        assert_eq!(t.summary.charged_matches, 185);
        assert_eq!(t.summary.reciprocal_matches, 182);
        let mut diff: Vec<&str> = t
            .summary
            .differences
            .iter()
            .map(|d| d.iso3.as_str())
            .collect();
        diff.sort();
        assert_eq!(diff, ["AFG", "JPN", "VNM"]);
        let row = |iso: &str| t.rows.iter().find(|r| r.iso3 == iso).unwrap();
        assert!(row("VNM")
            .difference_reason
            .starts_with("the chart halves the unrounded ratio: ceil(90.4 × 0.5) = 46"));
        assert!(row("JPN").difference_reason.contains("= 24"));
        assert!(row("AFG")
            .difference_reason
            .contains("49% charged but only 10% reciprocal"));
        // All Census partners plus the EU; the first is the largest US supplier.
        assert_eq!(t.rows.len(), 233);
        assert_eq!(t.rows[0].iso3, "EUU");
        assert_eq!(row("CAN").official_charged_pct, None);
    }

    #[test]
    fn unrounded_rule_fixes_vietnam_and_japan_but_breaks_others() {
        let p = FormulaParams {
            rounding: Rounding::Unrounded,
            ..Default::default()
        };
        let t = compute(&p, Partners::Chart).unwrap();
        let row = |iso: &str| t.rows.iter().find(|r| r.iso3 == iso).unwrap();
        assert_eq!(row("VNM").reciprocal_match, Some(true));
        assert_eq!(row("JPN").reciprocal_match, Some(true));
        assert!(
            t.summary.reciprocal_matches < 182,
            "{}",
            t.summary.reciprocal_matches
        );
    }

    #[test]
    fn critics_pass_through_lowers_every_rate() {
        let p = FormulaParams {
            pass_through: formula::CRITICS_PASS_THROUGH,
            ..Default::default()
        };
        let t = compute(&p, Partners::Chart).unwrap();
        let official = compute(&FormulaParams::default(), Partners::Chart).unwrap();
        for (a, b) in t.rows.iter().zip(&official.rows) {
            assert_eq!(a.iso3, b.iso3);
            assert!(a.reciprocal_pct <= b.reciprocal_pct, "{}", a.iso3);
        }
        // The highest official reciprocal rate, 50 % (Lesotho), becomes 13 %.
        let max = t.rows.iter().map(|r| r.reciprocal_pct).fold(0.0, f64::max);
        assert_eq!(max, 13.0);
    }

    #[test]
    fn csv_has_the_required_columns() {
        let t = compute(&FormulaParams::default(), Partners::Chart).unwrap();
        let text = to_csv(&t).unwrap();
        let header = text.lines().next().unwrap();
        for col in [
            "iso3",
            "country",
            "us_exports_usd",
            "us_imports_usd",
            "charged_pct",
            "reciprocal_pct",
            "official_charged_pct",
            "official_reciprocal_pct",
        ] {
            assert!(header.split(',').any(|h| h == col), "{col}");
        }
        assert_eq!(text.lines().count(), 186);
        assert!(text
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("EUU,European Union,370189230351,605760393292,"));
    }
}
