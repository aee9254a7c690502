//! `reciprocity etr --date D` / `--from D1 --to D2`: the statutory effective US tariff rate,
//! pre-substitution, on 2024 import weights (HTS-8 x partner for the 51 partners of the Census
//! file, HS-2 for the rest): total, MFN base and each authority, by partner and by HS-2 chapter.

use std::path::PathBuf;

use reciprocity_policy::product::etr::EtrPoint;
use reciprocity_policy::product::{cutoff, EXCLUDED};
use reciprocity_service::etr::{daily, on, provisional_on};

use super::flags::{load_registry, parse_date, today, RegistryArgs};
use super::product::{assumptions_json, load_context, TableArgs};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `reciprocity etr`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The date (default today); or use --from and --to for a daily series.
    #[arg(long)]
    date: Option<String>,
    /// First day of a daily series.
    #[arg(long, requires = "to")]
    from: Option<String>,
    /// Last day of a daily series.
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// With --from/--to and CSV: one row per day and partner instead of per day.
    #[arg(long)]
    by_partner: bool,
    #[command(flatten)]
    tables: TableArgs,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

struct Meta {
    cutoff: chrono::NaiveDate,
    assumptions: String,
    tables: String,
    weights: String,
}

fn footer(m: &Meta, provisional: &[(String, String)]) -> String {
    let mut s = format!(
        "Assumptions: {}.\nRegistry cut-off: {}. Weights: {}. Tables: {}.\n{EXCLUDED}\n",
        m.assumptions, m.cutoff, m.weights, m.tables
    );
    if !provisional.is_empty() {
        s.push_str("Provisional measures in force:\n");
        for (id, why) in provisional {
            s.push_str(&format!("  {id}: {why}\n"));
        }
    }
    s
}

fn table(p: &EtrPoint, m: &Meta, provisional: &[(String, String)]) -> String {
    let mut s = format!(
        "Statutory effective US tariff rate on {} (pre-substitution, 2024 imports): {:.2}% = MFN base {:.2}% + additional {:.2}%\n\nBy authority (points):\n",
        p.date, p.total_pct, p.base_pct, p.additional_pct
    );
    for (k, v) in &p.by_authority {
        s.push_str(&format!("  {k:<36} {v:>6.2}\n"));
    }
    let mut partners = p.by_partner.clone();
    partners.sort_by(|a, b| b.imports_usd.total_cmp(&a.imports_usd));
    s.push_str("\nLargest partners (2024 imports, total rate, base, weights):\n");
    for r in partners.iter().take(20) {
        s.push_str(&format!(
            "  {:<4} {:>8.1} bn  {:>6.2}%  {:>5.2}%  {}\n",
            r.partner,
            r.imports_usd / 1e9,
            r.total_pct,
            r.base_pct,
            r.detail
        ));
    }
    let mut sectors = p.by_sector.clone();
    sectors.sort_by(|a, b| b.imports_usd.total_cmp(&a.imports_usd));
    s.push_str("\nLargest HS-2 chapters:\n");
    for r in sectors.iter().take(12) {
        s.push_str(&format!(
            "  {:<3} {:>8.1} bn  {:>6.2}%\n",
            r.hs2,
            r.imports_usd / 1e9,
            r.total_pct
        ));
    }
    s.push('\n');
    s + &footer(m, provisional)
}

fn series_csv(points: &[EtrPoint], by_partner: bool) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if by_partner {
        w.write_record([
            "date",
            "partner",
            "imports_2024_usd",
            "total_pct",
            "base_pct",
            "weights",
        ])?;
        for p in points {
            for r in &p.by_partner {
                w.write_record([
                    p.date.to_string(),
                    r.partner.clone(),
                    format!("{:.0}", r.imports_usd),
                    format!("{:.4}", r.total_pct),
                    format!("{:.4}", r.base_pct),
                    r.detail.to_string(),
                ])?;
            }
        }
    } else {
        let mut auths: Vec<String> = points
            .iter()
            .flat_map(|p| p.by_authority.keys().cloned())
            .collect();
        auths.sort();
        auths.dedup();
        let mut head = vec![
            "date".to_string(),
            "total_pct".into(),
            "base_pct".into(),
            "additional_pct".into(),
        ];
        head.extend(auths.iter().map(|a| format!("{a}_pct")));
        w.write_record(&head)?;
        for p in points {
            let mut row = vec![
                p.date.to_string(),
                format!("{:.4}", p.total_pct),
                format!("{:.4}", p.base_pct),
                format!("{:.4}", p.additional_pct),
            ];
            row.extend(
                auths
                    .iter()
                    .map(|a| format!("{:.4}", p.by_authority.get(a).copied().unwrap_or(0.0))),
            );
            w.write_record(&row)?;
        }
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Run `reciprocity etr`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let ctx = load_context(
        &args.tables,
        load_registry(args.registry.registry.as_deref())?,
    )?;
    let (engine, reg, w) = (&ctx.engine, &ctx.registry, &ctx.weights);
    let (rows8, rows2) = w.sizes();
    let meta = Meta {
        cutoff: cutoff(reg),
        assumptions: engine.assumptions.summary(),
        tables: ctx.tables.clone(),
        weights: if rows2 > 0 {
            format!("Census 2024 imports, {rows8} HTS-8 x partner rows (51 partners, the EU as one) and {rows2} HS-2 x partner rows for the rest")
        } else {
            format!("Census 2024 imports, {rows8} HTS-8 x partner rows (51 partners, the EU as one); the other partners (HS-2 file in ../shared) left out")
        },
    };
    let text = match (&args.from, &args.to, &args.date) {
        (Some(f), Some(t), None) => {
            let (from, to) = (parse_date("from", f)?, parse_date("to", t)?);
            let points = daily(engine, reg, w, from, to)?;
            let provisional = provisional_on(engine, reg, to);
            match args.format {
                Format::Csv => series_csv(&points, args.by_partner)?,
                Format::Json => {
                    serde_json::to_string_pretty(&serde_json::json!({
                        "from": from, "to": to, "assumptions": assumptions_json(&engine.assumptions), "cutoff": meta.cutoff, "weights": meta.weights, "tables": meta.tables,
                        "excluded": EXCLUDED,
                        "provisional_at_end": provisional.iter().map(|(i, r)| serde_json::json!({"id": i, "reason": r})).collect::<Vec<_>>(),
                        "series": points.iter().map(|p| serde_json::json!({"date": p.date, "total_pct": p.total_pct, "base_pct": p.base_pct, "additional_pct": p.additional_pct, "by_authority": p.by_authority})).collect::<Vec<_>>(),
                    }))? + "\n"
                }
                Format::Table => {
                    let mut s = String::from("date         total%  base%  additional%\n");
                    let mut last = f64::NAN;
                    for p in &points {
                        // The first day always shows (NaN compares false with everything).
                        if last.is_nan() || (p.total_pct - last).abs() > 1e-9 {
                            s.push_str(&format!(
                                "{}  {:>6.2}  {:>5.2}  {:>6.2}\n",
                                p.date, p.total_pct, p.base_pct, p.additional_pct
                            ));
                            last = p.total_pct;
                        }
                    }
                    s + "(days without a change are not shown; use --format csv for every day)\n"
                        + &footer(&meta, &provisional)
                }
            }
        }
        (None, None, d) => {
            let date = match d {
                Some(d) => parse_date("date", d)?,
                None => today(),
            };
            let p = on(engine, reg, w, date);
            let provisional = provisional_on(engine, reg, date);
            match args.format {
                Format::Table => table(&p, &meta, &provisional),
                Format::Json => {
                    serde_json::to_string_pretty(&serde_json::json!({
                        "date": p.date, "total_pct": p.total_pct, "base_pct": p.base_pct, "additional_pct": p.additional_pct,
                        "by_authority": p.by_authority, "by_partner": p.by_partner, "by_sector": p.by_sector,
                        "assumptions": assumptions_json(&engine.assumptions), "cutoff": meta.cutoff, "weights": meta.weights, "tables": meta.tables, "excluded": EXCLUDED,
                        "provisional": provisional.iter().map(|(i, r)| serde_json::json!({"id": i, "reason": r})).collect::<Vec<_>>(),
                    }))? + "\n"
                }
                Format::Csv => series_csv(std::slice::from_ref(&p), args.by_partner)? + "",
            }
        }
        _ => return Err(BadInput("use either --date D or --from D1 --to D2".into()).into()),
    };
    emit(args.out.as_deref(), &text)
}
