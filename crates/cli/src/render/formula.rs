//! The formula table (`reciprocity_service::formula`) as text, CSV and percent cells: for
//! `reciprocity formula` and the report.

use reciprocity_service::formula::FormulaTable;

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

#[cfg(test)]
mod tests {
    use super::*;
    use reciprocity_service::formula::table;

    #[test]
    fn csv_has_the_required_columns() {
        let t = table(
            &reciprocity_model::formula::FormulaParams::default(),
            reciprocity_service::formula::Partners::Chart,
        )
        .unwrap();
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
