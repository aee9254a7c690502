//! Report section, first: the headline number a reader compares with the budget models, the
//! statutory effective US tariff rate today (MFN base + every authority, pre-substitution, on 2024
//! imports; `reciprocity etr`), with its date, base, the registry's cut-off, the provisional
//! measures in force and what is left out.

use std::path::Path;

use reciprocity_policy::product::{cutoff, EXCLUDED};
use reciprocity_service::etr::{on, provisional_on};

/// The baseline: the last day before the 2025 measures.
const BASELINE: &str = "2024-12-31";

/// Return the headline's Markdown (no files).
pub fn write(_dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let ctx = super::rate_context()?;
    let date = opts.date;
    let now = on(&ctx.engine, &ctx.registry, &ctx.weights, date);
    let then = on(
        &ctx.engine,
        &ctx.registry,
        &ctx.weights,
        reciprocity_policy::date(BASELINE)?,
    );
    let mut authorities: Vec<(&String, &f64)> = now
        .by_authority
        .iter()
        .filter(|(k, v)| k.as_str() != "mfn" && **v >= 0.05)
        .collect();
    authorities.sort_by(|a, b| b.1.total_cmp(a.1));
    let largest: Vec<String> = authorities
        .iter()
        .take(5)
        .map(|(k, v)| format!("{k} {v:.1}"))
        .collect();
    let mut md = format!(
        "## The US tariff {}\n\n\
         **The statutory effective US tariff rate on {date}: {:.1}%**: the MFN base {:.1}% plus {:.1} points \
         from the measures in force (on {BASELINE}, before the 2025 measures: {:.1}%). Pre-substitution: the \
         duties due at the statutory rates on 2024 imports (Census, HTS-8 x partner for 51 partners, HS-2 for \
         the rest), as the budget models publish it (`reciprocity etr --date {date}`; `docs/product-tariffs.md`). \
         Largest authorities, points: {}. Registry cut-off {}; tables: {}.\n",
        opts.day(),
        now.total_pct,
        now.base_pct,
        now.additional_pct,
        then.total_pct,
        largest.join(", "),
        cutoff(&ctx.registry),
        ctx.tables
    );
    let provisional = provisional_on(&ctx.engine, &ctx.registry, date);
    if !provisional.is_empty() {
        md.push_str("\nProvisional measures in force (the cited document leaves the date, rate or scope open):\n\n");
        for (id, reason) in provisional {
            md.push_str(&format!("- `{id}`: {reason}\n"));
        }
    }
    md.push_str(&format!("\n{EXCLUDED}\n"));
    Ok(md)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_headline_is_the_statutory_rate_with_its_base_and_cutoff() {
        let md = super::write(
            std::path::Path::new("."),
            &super::super::Options::without_draws(),
        )
        .unwrap();
        assert!(md.starts_with("## The US tariff today"), "{md}");
        assert!(
            md.contains("**The statutory effective US tariff rate on "),
            "{md}"
        );
        assert!(md.contains("the MFN base "), "{md}");
        assert!(md.contains("Registry cut-off 20"), "{md}");
        assert!(md.contains("AD/CVD"), "{md}");
        // The rate is a number between the 2024 base and the 2025 peak.
        let rate: f64 = md
            .split(": ")
            .nth(1)
            .and_then(|s| s.split('%').next())
            .and_then(|s| s.parse().ok())
            .expect("a rate");
        assert!(rate > 2.0 && rate < 40.0, "{rate}");
    }
}
