//! The two kinds of scenario entries that change tariffs: `[[tariffs]]` layers (a rate, a column,
//! an official table, the optimal rule or the policy timeline) and `[[retaliation]]` rules.

use reciprocity_data::{embedded, registry};
use reciprocity_model::ge::Calibration;
use reciprocity_model::retaliation::{self, Rule};
use reciprocity_model::strategy::{self, Denominator};

use crate::context::{check_rate, Ctx, HsSectors, PolicyRates};
use crate::file::{RetaliationRule, TariffLayer};
use crate::ScenarioError;

/// Where a layer's rates come from: exactly one per layer.
enum Source {
    /// `rate`: one rate everywhere.
    Flat(f64),
    /// `column` or `official`: a rate per exporter.
    PerExporter(Vec<f64>),
    /// `optimal`: a rate per importer.
    PerImporter(Vec<f64>),
    /// `tariffs_at`: the US rate per sector and exporter, layout `[sector][exporter]`.
    PerSectorExporter(Vec<f64>),
}

impl Source {
    fn rate(&self, sector: usize, exporter: usize, importer: usize, n: usize) -> f64 {
        match self {
            Source::Flat(r) => *r,
            Source::PerExporter(v) => v[exporter],
            Source::PerImporter(v) => v[importer],
            Source::PerSectorExporter(v) => v[sector * n + exporter],
        }
    }
}

/// What a layer may draw on beyond the dataset: the policy timeline (`tariffs_at`) and the
/// world's HS crosswalk (`hs_chapters`).
#[derive(Clone, Copy, Default)]
pub(crate) struct Sources<'a> {
    pub(crate) policy: Option<&'a dyn PolicyRates>,
    pub(crate) crosswalk: Option<&'a dyn HsSectors>,
}

/// Apply one `[[tariffs]]` layer (number `pos`) to `tariffs`.
pub(crate) fn apply_layer(
    ctx: &Ctx,
    cal: &Calibration,
    sources: Sources,
    pos: usize,
    layer: &TariffLayer,
    tariffs: &mut [f64],
    notes: &mut Vec<String>,
) -> Result<(), ScenarioError> {
    let n = ctx.data.n_countries();
    let key = |field: &str| format!("tariffs[{pos}].{field}");
    let importers = ctx.select(&key("importers"), &layer.importers, &layer.exclude)?;
    let exporters = ctx.select(&key("exporters"), &layer.exporters, &layer.exclude)?;
    for (side, sel) in [("importers", &importers), ("exporters", &exporters)] {
        if !sel.missing.is_empty() {
            notes.push(format!(
                "tariffs[{pos}].{side}: not in the data, skipped: {}",
                sel.missing.join(" ")
            ));
        }
    }
    let sectors = match &layer.hs_chapters {
        None => ctx.sectors(&key("sectors"), &layer.sectors)?,
        Some(_) if layer.sectors.is_some() => {
            return Err(ctx.invalid(
                format!("tariffs[{pos}]"),
                "give sectors or hs_chapters, not both",
            ))
        }
        Some(chapters) => {
            chapter_sectors(ctx, sources.crosswalk, &key("hs_chapters"), chapters, notes)?
        }
    };
    let source = source(
        ctx,
        cal,
        sources.policy,
        pos,
        layer,
        &importers.members,
        notes,
    )?;
    let floor = match layer.floor {
        Some(f) => Some(check_rate(ctx, &key("floor"), f)?),
        None => None,
    };
    let add = match layer.mode.as_deref().unwrap_or("set") {
        "set" => false,
        "add" => true,
        other => {
            return Err(ctx.invalid(
                key("mode"),
                format!("expected \"set\" or \"add\", found \"{other}\""),
            ))
        }
    };
    let mut table = cal.pairs_mut(tariffs);
    for &i in &importers.members {
        for &j in exporters.members.iter().filter(|&&j| j != i) {
            for &k in &sectors {
                let mut rate = source.rate(k, j, i, n);
                if let Some(f) = floor {
                    rate = rate.max(f);
                }
                let cell = table.get_mut(k, j, i);
                *cell = if add { *cell + rate } else { rate };
            }
        }
    }
    Ok(())
}

/// `hs_chapters`: the world's sectors the chapters fall in (sorted, each once).
fn chapter_sectors(
    ctx: &Ctx,
    crosswalk: Option<&dyn HsSectors>,
    key: &str,
    chapters: &[String],
    notes: &mut Vec<String>,
) -> Result<Vec<usize>, ScenarioError> {
    let crosswalk =
        crosswalk.ok_or_else(|| ctx.invalid(key, "no HS crosswalk is available here"))?;
    let every = || (1..=97u16).filter(|c| *c != 77);
    let mut sectors = Vec::new();
    let mut outside = Vec::new();
    for (pos, text) in chapters.iter().enumerate() {
        let t = text.trim();
        let (list, all): (Vec<u16>, bool) = if t.eq_ignore_ascii_case("all") {
            (every().collect(), true)
        } else {
            match t.parse::<u16>() {
                Ok(c) if (1..=2).contains(&t.len()) && every().any(|x| x == c) => (vec![c], false),
                _ => {
                    return Err(ctx.invalid(
                        format!("{key}[{pos}]"),
                        format!("expected an HS chapter 01-97 (not 77) or \"all\", found \"{t}\""),
                    ))
                }
            }
        };
        for c in list {
            match crosswalk
                .sector_of_chapter(c)
                .map_err(|m| ctx.invalid(key, m))?
            {
                Some(k) => sectors.push(k),
                None if !all => outside.push(format!("{c:02}")),
                None => {}
            }
        }
    }
    if !outside.is_empty() {
        notes.push(format!(
            "{key}: chapters in no sector of the world, skipped: {}",
            outside.join(" ")
        ));
    }
    sectors.sort_unstable();
    sectors.dedup();
    Ok(sectors)
}

/// The layer's one source of rates, checked.
fn source(
    ctx: &Ctx,
    cal: &Calibration,
    policy: Option<&dyn PolicyRates>,
    pos: usize,
    layer: &TariffLayer,
    importers: &[usize],
    notes: &mut Vec<String>,
) -> Result<Source, ScenarioError> {
    let key = |field: &str| format!("tariffs[{pos}].{field}");
    let sources = [
        layer.rate.is_some(),
        layer.column.is_some(),
        layer.official.is_some(),
        layer.optimal.is_some(),
        layer.tariffs_at.is_some(),
    ];
    if sources.iter().filter(|s| **s).count() != 1 {
        return Err(ctx.invalid(
            format!("tariffs[{pos}]"),
            "expected exactly one of rate, column, official, optimal, tariffs_at",
        ));
    }
    let data = ctx.data;
    if let Some(r) = layer.rate {
        Ok(Source::Flat(check_rate(ctx, &key("rate"), r)?))
    } else if let Some(name) = &layer.column {
        let column = data.columns.get(name).ok_or_else(|| {
            let known: Vec<&str> = data.columns.keys().map(String::as_str).collect();
            ctx.invalid(
                key("column"),
                format!(
                    "the dataset has no column \"{name}\" (it has: {})",
                    known.join(", ")
                ),
            )
        })?;
        Ok(Source::PerExporter(column.clone()))
    } else if let Some(which) = &layer.official {
        Ok(Source::PerExporter(official_rates(
            ctx,
            &key("official"),
            which,
            notes,
        )?))
    } else if let Some(which) = &layer.optimal {
        optimal_rates(ctx, cal, &key("optimal"), which, importers).map(Source::PerImporter)
    } else if let Some(date) = &layer.tariffs_at {
        let rates = policy_rates(ctx, cal, policy, pos, date, importers)?;
        notes.push(format!(
            "tariffs[{pos}].tariffs_at: the US tariffs in force on {date}, from the policy timeline"
        ));
        Ok(Source::PerSectorExporter(rates))
    } else {
        unreachable!("exactly one source was checked above")
    }
}

/// `optimal = "expenditure" | "income"`: each importer's closed-form optimal tariff.
fn optimal_rates(
    ctx: &Ctx,
    cal: &Calibration,
    key: &str,
    which: &str,
    importers: &[usize],
) -> Result<Vec<f64>, ScenarioError> {
    let denominator = match which {
        "expenditure" | "E" => Denominator::Expenditure,
        "income" | "Y" => Denominator::Income,
        other => {
            return Err(ctx.invalid(
                key,
                format!("expected \"expenditure\" or \"income\", found \"{other}\""),
            ))
        }
    };
    let mut rates = vec![0.0; ctx.data.n_countries()];
    for &i in importers {
        rates[i] = strategy::optimal_tariff_closed_form(cal, i, denominator).map_err(|e| {
            ScenarioError::Model {
                origin: ctx.origin.to_string(),
                cause: e,
            }
        })?;
    }
    Ok(rates)
}

/// `tariffs_at = "YYYY-MM-DD"`: the US rates in force on the date, from the policy timeline.
fn policy_rates(
    ctx: &Ctx,
    cal: &Calibration,
    policy: Option<&dyn PolicyRates>,
    pos: usize,
    date: &str,
    importers: &[usize],
) -> Result<Vec<f64>, ScenarioError> {
    let key = |field: &str| format!("tariffs[{pos}].{field}");
    let anchor = cal.anchor.ok_or_else(|| {
        ctx.invalid(
            key("tariffs_at"),
            "the data have no US (anchor) to levy US tariffs",
        )
    })?;
    if importers != [anchor] {
        return Err(ctx.invalid(
            key("importers"),
            format!(
                "tariffs_at gives US tariffs: importers must be [\"{}\"]",
                cal.params.anchor
            ),
        ));
    }
    let policy = policy
        .ok_or_else(|| ctx.invalid(key("tariffs_at"), "no policy timeline is available here"))?;
    let rates = policy
        .us_additional_rates(date, ctx.data)
        .map_err(|m| ctx.invalid(key("tariffs_at"), m))?;
    if rates.len() != ctx.data.n_sectors() * ctx.data.n_countries() {
        return Err(ctx.invalid(
            key("tariffs_at"),
            "the policy timeline returned the wrong shape",
        ));
    }
    Ok(rates)
}

/// Apply one `[[retaliation]]` rule (number `pos`) to `tariffs`.
pub(crate) fn apply_retaliation(
    ctx: &Ctx,
    cal: &Calibration,
    pos: usize,
    rule: &RetaliationRule,
    tariffs: &mut [f64],
    notes: &mut Vec<String>,
) -> Result<(), ScenarioError> {
    let (data, origin) = (ctx.data, ctx.origin);
    let key = |field: &str| format!("retaliation[{pos}].{field}");
    let target_name = rule
        .target
        .clone()
        .unwrap_or_else(|| cal.params.anchor.clone());
    let target = data.country_index(&target_name).ok_or_else(|| {
        ctx.invalid(
            key("target"),
            format!("\"{target_name}\" is not in the data"),
        )
    })?;
    let by_names = if rule.by.is_empty() {
        vec!["all".to_string()]
    } else {
        rule.by.clone()
    };
    let by = ctx.select(&key("by"), &by_names, &rule.exclude)?;
    if !by.missing.is_empty() {
        notes.push(format!(
            "retaliation[{pos}].by: not in the data, skipped: {}",
            by.missing.join(" ")
        ));
    }
    let sectors = ctx.sectors(&key("sectors"), &rule.sectors)?;
    let explicit = match (rule.rule.as_str(), rule.rate) {
        ("explicit", Some(r)) => Some(check_rate(ctx, &key("rate"), r)?),
        ("explicit", None) => {
            return Err(ctx.invalid(key("rate"), "an explicit retaliation needs a rate"))
        }
        (_, Some(_)) => {
            return Err(ctx.invalid(key("rate"), "only an explicit retaliation takes a rate"))
        }
        _ => None,
    };
    let optimal = match rule.rule.as_str() {
        "optimal" => Some(
            strategy::optimal_retaliation_rate(cal, target).map_err(|e| ScenarioError::Model {
                origin: origin.to_string(),
                cause: e,
            })?,
        ),
        "reciprocal" | "explicit" => None,
        other => {
            return Err(ctx.invalid(
                key("rule"),
                format!("expected reciprocal, optimal or explicit, found \"{other}\""),
            ))
        }
    };
    let rule = match (explicit, optimal) {
        (Some(r), _) | (None, Some(r)) => Rule::Rate(r),
        (None, None) => Rule::Mirror,
    };
    retaliation::retaliate(cal, tariffs, target, &by.members, &sectors, rule);
    Ok(())
}

/// Per-exporter official US rates (fractions) for a dataset, from the embedded tables.
fn official_rates(
    ctx: &Ctx,
    key: &str,
    which: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<f64>, ScenarioError> {
    let n = ctx.data.n_countries();
    let baseline = 0.10;
    let eu = registry::group("EU27").unwrap_or_default();
    let mut rates = vec![baseline; n];
    match which {
        "2025-04-02" | "2025-04-02-annex" => {
            let table = embedded::official_rates_2025_04_02();
            let eu_row = table.iter().find(|r| r.iso3 == "EUU");
            for (i, code) in ctx.data.countries.iter().enumerate() {
                let row = table.iter().find(|r| &r.iso3 == code).or_else(|| {
                    if eu.iter().any(|m| m == code) {
                        eu_row
                    } else {
                        None
                    }
                });
                if let Some(row) = row {
                    let pct = if which == "2025-04-02" { row.reciprocal_pct } else { row.as_implemented_pct };
                    rates[i] = pct / 100.0;
                }
            }
            notes.push(format!("{key}: partners not on the April 2 chart get the 10% baseline (Canada, Mexico: separate fentanyl orders, not included)"));
        }
        "2025-08-07" => {
            let table = embedded::eo14326_rates();
            for (i, code) in ctx.data.countries.iter().enumerate() {
                if let Some(row) = table.iter().find(|r| &r.iso3 == code) {
                    rates[i] = match row.rate_pct {
                        Some(pct) => pct / 100.0,
                        None => 0.15, // the EU's "15% all-in" rule: taken as 15% over a zero factual tariff
                    };
                } else if eu.iter().any(|m| m == code) {
                    rates[i] = 0.15;
                }
            }
            notes.push(format!("{key}: EO 14326 rates; unlisted partners 10%; the EU's 15% all-in rule is applied as 15% over the factual tariff"));
        }
        other => {
            return Err(ctx.invalid(key, format!("expected \"2025-04-02\", \"2025-04-02-annex\" or \"2025-08-07\", found \"{other}\"")))
        }
    }
    Ok(rates)
}
