//! Report section: the average US tariff over time (chart, with events and the peer's series) and
//! the table of rates in force today for the largest suppliers.

use std::path::Path;

use reciprocity_policy::engine::{PartnerDay, Status};
use reciprocity_policy::registry::fmt_pct;
use reciprocity_policy::Product;

use reciprocity_service::policy::{find_shared_dir, TariffTimeline};
use reciprocity_service::tariffs::partner_name;
use reciprocity_service::timeline::{footer, load_peer_daily};

use crate::chart::timeline::chart;
use crate::chart::Chart;
use crate::cmd::flags::from_service;

/// How many partners the table of rates in force lists (by 2024 US imports).
const TOP: usize = 25;

/// Write `timeline.svg`, `timeline.png` and `rates_today.csv` into `dir`; return the section's
/// Markdown.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let shared = find_shared_dir();
    let loaded = TariffTimeline::load(shared.as_deref()).map_err(from_service)?;
    let to = opts.date;
    let from = reciprocity_policy::date("2025-01-01")?;
    let points = loaded.series(from, to);
    let peer = match &shared {
        Some(d) => load_peer_daily(d).map_err(from_service)?,
        None => Default::default(),
    };
    // The report's chart keeps the peer's whole series up to today, from before 2025 too.
    let figure = chart(&loaded, &points, &peer, chrono::NaiveDate::MIN, to);
    figure.write_figure(dir, "timeline")?;

    // Rates in force today for the largest suppliers (EU members as one).
    let mut census: Vec<_> = reciprocity_data::embedded::census_2024().iter().collect();
    let eu: Vec<&str> = reciprocity_data::registry::group("EU27").unwrap_or_default();
    let eu_imports: f64 = census
        .iter()
        .filter(|c| eu.contains(&c.iso3.as_str()))
        .map(|c| c.imports_usd)
        .sum();
    census.retain(|c| !eu.contains(&c.iso3.as_str()));
    let mut partners: Vec<(String, String, f64)> = census
        .iter()
        .map(|c| (c.iso3.clone(), partner_name(&c.iso3), c.imports_usd))
        .collect();
    partners.push(("EUU".into(), "European Union".into(), eu_imports));
    partners.sort_by(|a, b| b.2.total_cmp(&a.2));
    partners.truncate(TOP);
    let mut md = String::new();
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record([
        "date",
        "partner",
        "name",
        "imports_2024_usd",
        "total_pct",
        "usmca_total_pct",
        "measures",
    ])?;
    md.push_str("## The US tariff timeline\n\n");
    md.push_str(&figure.figure("Average US tariff over time", "timeline")?);
    md.push('\n');
    if let Some(last) = points.last() {
        md.push_str(&format!(
            "Import-weighted additional US tariff {} ({to}): **{:.1}%**{}. {}\n\n",
            opts.day(),
            last.additional_pct,
            last.base_pct
                .map(|b| format!(
                    " on top of a 2024 applied base of {b:.1}% (total {:.1}%)",
                    b + last.additional_pct
                ))
                .unwrap_or_default(),
            footer(&loaded)
        ));
    }
    md.push_str(&format!(
        "### Rates in force on {to}, {TOP} largest suppliers\n\n"
    ));
    md.push_str("Additional duty on goods not covered by a sector measure (steel, aluminium, copper and autos have their own rates; see `reciprocity tariffs --sector`). MFN taken as 0 for all-in rules.\n\n");
    md.push_str("| partner | 2024 imports ($bn) | additional % | USMCA goods % | measures applied |\n|---|---:|---:|---:|---|\n");
    for (iso3, name, imports) in &partners {
        let b = PartnerDay::new(&loaded.registry, to, iso3, None).breakdown(Product::General, None);
        let applied: Vec<String> = b
            .lines
            .iter()
            .filter(|l| l.status == Status::Applied)
            .map(|l| {
                format!(
                    "{} {}{}",
                    l.measure,
                    fmt_pct(l.rate_pct),
                    if l.provisional { " (provisional)" } else { "" }
                )
            })
            .collect();
        md.push_str(&format!(
            "| {name} ({iso3}) | {:.1} | {} | {} | {} |\n",
            imports / 1e9,
            fmt_pct(b.total_pct),
            b.usmca_total_pct.map(fmt_pct).unwrap_or_else(|| "-".into()),
            if applied.is_empty() {
                "none".into()
            } else {
                applied.join(", ")
            }
        ));
        csv.write_record([
            to.to_string(),
            iso3.clone(),
            name.clone(),
            format!("{imports:.0}"),
            format!("{}", b.total_pct),
            b.usmca_total_pct.map(|u| u.to_string()).unwrap_or_default(),
            applied.join("; "),
        ])?;
    }
    crate::output::write_atomic(&dir.join("rates_today.csv"), &csv.into_inner()?)?;
    md.push_str("\nFull table: `rates_today.csv`. Sources: the measures of `crates/policy/registry/` (each with its official document).\n");
    Ok(md)
}
