//! `reciprocity tariffs --date D [--partner X] [--sector S]`: the additional US tariff in force on each
//! partner (and sector) on a date, broken down into the measures that make it up, with the reason
//! each measure does or does not apply and its official source.

use std::path::PathBuf;

use reciprocity_policy::engine::{Breakdown, Status};
use reciprocity_policy::registry::fmt_pct;
use reciprocity_policy::{Product, Registry};
use reciprocity_service::tariffs::{all_partners, in_force, partner_name};
use serde::Serialize;

use super::flags::{load_registry, parse_date, resolve_partner, today, RegistryArgs};
use crate::output::{emit, Format};
use crate::BadInput;

/// Flags of `reciprocity tariffs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The date (YYYY-MM-DD; default today). Goods entered on that day.
    #[arg(long)]
    date: Option<String>,
    /// One partner (ISO3, name, or EU); default every partner.
    #[arg(long)]
    partner: Option<String>,
    /// Goods: an HS chapter (72), heading (8703) or a named sector (steel, aluminium, autos,
    /// auto_parts, copper); default all goods not covered by a sector measure.
    #[arg(long)]
    sector: Option<String>,
    /// The MFN duty of the goods, percent, for all-in rules such as the EU's 15% (default 0).
    #[arg(long)]
    mfn: Option<f64>,
    /// Use only what had been announced by the date (no later retroactive orders).
    #[arg(long)]
    as_known: bool,
    #[command(flatten)]
    registry: RegistryArgs,
    #[command(flatten)]
    product: super::product::ProductArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Resolve `--sector`: a chapter, a heading, or a named sector (priced at its first heading).
pub fn resolve_sector(reg: &Registry, text: &str) -> anyhow::Result<(Product, String)> {
    if let Some((scope, written)) = reg.sectors.get(&text.to_ascii_lowercase()) {
        let first = scope
            .intervals()
            .first()
            .map(|i| i.0)
            .ok_or_else(|| BadInput(format!("sector {text} is empty")))?;
        return Ok((Product::Heading(first), format!("{text} ({written})")));
    }
    match Product::parse(text) {
        Ok(p) => Ok((p, p.to_string())),
        Err(e) => Err(BadInput(format!(
            "--sector: {e}; named sectors: {}",
            reg.sectors.keys().cloned().collect::<Vec<_>>().join(", ")
        ))
        .into()),
    }
}

#[derive(Debug, Serialize)]
struct JsonLine {
    measure: String,
    program: String,
    instrument: String,
    title: String,
    rate_pct: f64,
    rule: String,
    status: String,
    applied: bool,
    non_usmca_only: bool,
    provisional: bool,
    source: String,
}

#[derive(Debug, Serialize)]
struct JsonPartner {
    date: String,
    partner: String,
    name: String,
    goods: String,
    mfn_pct: Option<f64>,
    total_pct: f64,
    usmca_total_pct: Option<f64>,
    measures: Vec<JsonLine>,
}

fn to_json(b: &Breakdown, goods: &str) -> JsonPartner {
    JsonPartner {
        date: b.date.to_string(),
        partner: b.partner.clone(),
        name: partner_name(&b.partner),
        goods: goods.to_string(),
        mfn_pct: b.mfn_pct,
        total_pct: b.total_pct,
        usmca_total_pct: b.usmca_total_pct,
        measures: b
            .lines
            .iter()
            .map(|l| JsonLine {
                measure: l.measure.clone(),
                program: l.program.clone(),
                instrument: l.instrument.clone(),
                title: l.title.clone(),
                rate_pct: l.rate_pct,
                rule: l.rule.clone(),
                status: l.status.describe(),
                applied: l.status == Status::Applied,
                non_usmca_only: l.non_usmca_only,
                provisional: l.provisional,
                source: l.source.clone(),
            })
            .collect(),
    }
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let date = match &args.date {
        Some(d) => parse_date("date", d)?,
        None => today(),
    };
    if let Some(m) = args.mfn {
        if !(0.0..=1000.0).contains(&m) {
            return Err(BadInput(format!(
                "--mfn: expected a duty in percent between 0 and 1000, found {m}"
            ))
            .into());
        }
    }
    let reg = load_registry(args.registry.registry.as_deref())?;
    if let Some(q) = &args.product.search {
        return emit(
            args.out.as_deref(),
            &super::product::run_search(&args.product, q, args.format)?,
        );
    }
    if let Some(hts) = &args.product.hts {
        let partner = resolve_partner(
            args.partner
                .as_deref()
                .ok_or_else(|| BadInput("--hts needs --partner ISO3".into()))?,
        )?;
        let text = super::product::run_hts(&args.product, &reg, hts, &partner, date, args.format)?;
        return emit(args.out.as_deref(), &text);
    }
    let (product, goods) = match &args.sector {
        Some(s) => resolve_sector(&reg, s)?,
        None => (Product::General, "all goods".to_string()),
    };
    let partners = match &args.partner {
        Some(p) => vec![resolve_partner(p)?],
        None => all_partners(),
    };
    let breakdowns = in_force(&reg, date, &partners, product, args.mfn, args.as_known);
    let text = match args.format {
        Format::Json => {
            let v: Vec<JsonPartner> = breakdowns.iter().map(|b| to_json(b, &goods)).collect();
            serde_json::to_string_pretty(&v)? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([
                "date",
                "partner",
                "name",
                "goods",
                "measure",
                "instrument",
                "rate_pct",
                "status",
                "applied",
                "non_usmca_only",
                "provisional",
                "source",
            ])?;
            for b in &breakdowns {
                let name = partner_name(&b.partner);
                for l in &b.lines {
                    w.write_record([
                        b.date.to_string(),
                        b.partner.clone(),
                        name.clone(),
                        goods.clone(),
                        l.measure.clone(),
                        l.instrument.clone(),
                        format!("{}", l.rate_pct),
                        l.status.describe(),
                        (l.status == Status::Applied).to_string(),
                        l.non_usmca_only.to_string(),
                        l.provisional.to_string(),
                        l.source.clone(),
                    ])?;
                }
                w.write_record([
                    b.date.to_string(),
                    b.partner.clone(),
                    name.clone(),
                    goods.clone(),
                    "TOTAL".into(),
                    String::new(),
                    format!("{}", b.total_pct),
                    b.usmca_total_pct
                        .map(|u| format!("USMCA-qualifying goods: {}", fmt_pct(u)))
                        .unwrap_or_default(),
                    "true".into(),
                    String::new(),
                    String::new(),
                    String::new(),
                ])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table if breakdowns.len() == 1 => detail_table(&breakdowns[0], &goods, args.mfn),
        Format::Table => summary_table(&breakdowns, &goods, date),
    };
    emit(args.out.as_deref(), &text)
}

fn detail_table(b: &Breakdown, goods: &str, mfn: Option<f64>) -> String {
    let mut s = format!(
        "Additional US tariff on goods from {} ({}) entered on {}: {}\nGoods: {goods}{}\n\n",
        partner_name(&b.partner),
        b.partner,
        b.date,
        fmt_pct(b.total_pct),
        if mfn.is_some() {
            format!("; MFN duty {}%", fmt_pct(mfn.unwrap_or(0.0)))
        } else {
            "; MFN duty taken as 0 for all-in rules (--mfn)".into()
        },
    );
    if let Some(u) = b.usmca_total_pct {
        s.push_str(&format!("USMCA-qualifying goods: {}%\n\n", fmt_pct(u)));
    }
    if b.lines.is_empty() {
        s.push_str("No US tariff measure of the registry reaches these goods on this date.\n");
        return s;
    }
    s.push_str(&format!(
        "{:>6}  {:<30}  {:<32}  {}\n",
        "rate", "measure", "status", "instrument / source"
    ));
    for l in &b.lines {
        let mark = if l.status == Status::Applied { "" } else { "(" };
        let close = if l.status == Status::Applied { "" } else { ")" };
        s.push_str(&format!(
            "{:>6}  {:<30}  {:<32}  {}{}{}\n        {}\n        {}\n",
            format!("{mark}{}{close}", fmt_pct(l.rate_pct)),
            l.measure,
            l.status.describe(),
            l.instrument,
            if l.provisional { " [provisional]" } else { "" },
            if l.non_usmca_only {
                " [non-USMCA goods only]"
            } else {
                ""
            },
            l.title,
            l.source
        ));
    }
    s.push_str("\nRates in parentheses do not count. Percent ad valorem, on top of the MFN (Column 1) duty.\n");
    s
}

fn summary_table(bs: &[Breakdown], goods: &str, date: chrono::NaiveDate) -> String {
    let mut s = format!("Additional US tariff in force on {date}, {goods}, percent (MFN duty taken as 0 for all-in rules)\n\n");
    s.push_str(&format!(
        "{:<5} {:<34} {:>7} {:>7}  measures applied\n",
        "iso3", "partner", "total", "USMCA"
    ));
    for b in bs {
        let applied: Vec<String> = b
            .lines
            .iter()
            .filter(|l| l.status == Status::Applied)
            .map(|l| format!("{} {}", l.measure, fmt_pct(l.rate_pct)))
            .collect();
        let name: String = partner_name(&b.partner).chars().take(34).collect();
        s.push_str(&format!(
            "{:<5} {:<34} {:>7} {:>7}  {}\n",
            b.partner,
            name,
            fmt_pct(b.total_pct),
            b.usmca_total_pct.map(fmt_pct).unwrap_or_default(),
            applied.join(", ")
        ));
    }
    s
}
