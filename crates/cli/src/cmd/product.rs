//! `reciprocity tariffs --hts CODE --partner ISO3 --date D`: the total duty on one HTS line, and
//! `reciprocity tariffs --search WORDS`: HTS lines by Census description. Flags shared with
//! `reciprocity etr` (the product tables and the named assumptions).

use std::path::PathBuf;

use chrono::NaiveDate;
use reciprocity_policy::product::{Assumptions, ProductDuty, ProductEngine, UsmcaShares};
use reciprocity_policy::Registry;
use reciprocity_service::product::{lookup, search, Tables};

use crate::output::Format;
use crate::BadInput;

/// Product-level flags of `tariffs` and `etr`.
#[derive(Debug, Clone, clap::Args, Default)]
pub struct ProductArgs {
    /// An HTS-8 or HTS-10 line (dots allowed): its total duty from `--partner` on `--date`.
    #[arg(long, value_name = "CODE")]
    pub hts: Option<String>,
    /// Find HTS-10 lines whose Census 2024 description holds these words (or a code prefix).
    #[arg(long, value_name = "WORDS")]
    pub search: Option<String>,
    /// At most this many search results.
    #[arg(long, default_value_t = 40)]
    pub limit: usize,
    #[command(flatten)]
    pub tables: TableArgs,
}

/// Where the product tables come from, and the named assumptions.
#[derive(Debug, Clone, clap::Args, Default)]
pub struct TableArgs {
    /// Product tables from this shared data folder (default: $RECIPROCITY_SHARED_DATA, else
    /// ../shared/data if present, else the embedded copy).
    #[arg(long, value_name = "DIR")]
    pub product_data: Option<PathBuf>,
    /// Use the embedded product tables even when the shared folder is there.
    #[arg(long)]
    pub embedded_tables: bool,
    /// Assumption usmca-us-content: US-content share of USMCA-qualifying vehicles (0..1, default 1).
    #[arg(long, value_name = "SHARE")]
    pub usmca_us_content: Option<f64>,
    /// Assumption semi-qualifying-share: share of each note 39 line that qualifies (default: the
    /// per-line calibration in semi_qualifying_shares.csv).
    #[arg(long, value_name = "SHARE")]
    pub semi_share: Option<f64>,
    /// Assumption partial-threshold: an HTS-8 counts as on an HTS-10 list from this share of its lines.
    #[arg(long, value_name = "SHARE")]
    pub partial_threshold: Option<f64>,
    /// Assumption auto-parts-8471: count heading 8471 of the transcribed auto-parts list.
    #[arg(long)]
    pub auto_parts_8471: bool,
    /// Assumption usmca-shares: the year of the USMCA-claim shares (USITC DataWeb) taken as the
    /// qualifying share of Canadian and Mexican goods: 2024 (before the 2025 duties) or 2025
    /// (default).
    #[arg(long, value_name = "YEAR")]
    pub usmca_shares: Option<String>,
}

fn share(flag: &str, v: Option<f64>, default: f64) -> anyhow::Result<f64> {
    match v {
        Some(x) if !(0.0..=1.0).contains(&x) => Err(BadInput(format!(
            "--{flag}: expected a share between 0 and 1, found {x}"
        ))
        .into()),
        Some(x) => Ok(x),
        None => Ok(default),
    }
}

/// The named assumptions from the flags.
pub fn assumptions(a: &TableArgs) -> anyhow::Result<Assumptions> {
    let d = Assumptions::default();
    Ok(Assumptions {
        usmca_us_content: share("usmca-us-content", a.usmca_us_content, d.usmca_us_content)?,
        semi_share: match a.semi_share {
            Some(_) => Some(share("semi-share", a.semi_share, 0.0)?),
            None => None,
        },
        partial_threshold: share(
            "partial-threshold",
            a.partial_threshold,
            d.partial_threshold,
        )?,
        auto_parts_8471: a.auto_parts_8471,
        usmca_shares: match &a.usmca_shares {
            Some(y) => UsmcaShares::parse(y).map_err(|e| BadInput(format!("--{e}")))?,
            None => d.usmca_shares,
        },
        ..d
    })
}

/// The shared data folder the flags name (none with `--embedded-tables`).
fn table_dir(a: &TableArgs) -> Option<PathBuf> {
    if a.embedded_tables {
        None
    } else {
        a.product_data
            .clone()
            .or_else(reciprocity_service::policy::find_shared_dir)
    }
}

/// The registry, engine and effective-rate weights the flags name (`etr`, `costs`).
pub fn load_context(
    a: &TableArgs,
    registry: reciprocity_policy::Registry,
) -> anyhow::Result<reciprocity_service::etr::RateContext> {
    Ok(reciprocity_service::etr::RateContext::load(
        table_dir(a).as_deref(),
        registry,
        assumptions(a)?,
    )?)
}

/// The tables (shared folder or embedded) and the engine over them.
pub fn load_engine(a: &TableArgs) -> anyhow::Result<(ProductEngine, String, Option<PathBuf>)> {
    let dir = table_dir(a);
    let assumptions = assumptions(a)?;
    let tables = Tables::load(dir.as_deref(), assumptions.usmca_shares)?;
    let engine = tables.engine(assumptions)?;
    Ok((engine, tables.origin.clone(), dir))
}

/// The named assumptions as a JSON object (name -> value).
pub fn assumptions_json(a: &Assumptions) -> serde_json::Value {
    a.describe()
        .into_iter()
        .map(|(k, v, _)| (k.to_string(), serde_json::Value::String(v)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn table(r: &ProductDuty, origin: &str, a: &Assumptions) -> String {
    let mut s = format!(
        "HTS {} ({}) from {} on {}\nTotal duty {:.2}% = MFN {:.2}% + additional {:.2}%\nMFN: {}\n\n",
        r.hts, r.description, r.partner, r.date, r.total_pct, r.mfn_pct, r.additional_pct, r.mfn_note
    );
    s.push_str(&format!(
        "{:<32} {:<28} {:<9} {:>7} {:>6} {:>7}  {}\n",
        "authority", "measure", "status", "rate%", "share", "adds%", "instrument / reason"
    ));
    for m in &r.measures {
        let why = if m.reason.is_empty() {
            m.instrument.clone()
        } else {
            format!("{} — {}", m.instrument, m.reason)
        };
        s.push_str(&format!(
            "{:<32} {:<28} {:<9} {:>7.2} {:>6.3} {:>7.2}  {}\n",
            m.authority, m.measure, m.status, m.rate_pct, m.share, m.applied_pct, why
        ));
    }
    if let Some(u) = &r.usmca {
        s.push_str(&format!(
            "\nUSMCA-qualifying goods: {:.2}%",
            u.qualifying_total_pct
        ));
        if let (Some(sh), Some(e)) = (u.claim_share, u.expected_total_pct) {
            s.push_str(&format!(
                " ({} USMCA claim share {:.0}%: expected {:.2}%; assumption usmca-shares)",
                u.claim_year,
                100.0 * sh,
                e
            ));
        }
        s.push('\n');
    }
    s.push_str("\nSources:\n");
    for m in r.measures.iter().filter(|m| m.status == "applied") {
        let cite = if m.citation.is_empty() {
            String::new()
        } else {
            format!(" ({})", m.citation)
        };
        s.push_str(&format!("  {}{}: {}\n", m.measure, cite, m.source));
        if !m.provisional.is_empty() {
            s.push_str(&format!("    provisional: {}\n", m.provisional));
        }
    }
    for n in &r.notes {
        s.push_str(&format!("Note: {n}\n"));
    }
    s.push_str(&format!(
        "Assumptions: {}.\nRegistry cut-off: {}. Tables: {origin}.\n{}\n",
        a.summary(),
        r.cutoff,
        r.excluded
    ));
    s
}

fn csv_of(r: &ProductDuty) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "hts",
        "partner",
        "date",
        "authority",
        "measure",
        "status",
        "reason",
        "rate_pct",
        "share",
        "applied_pct",
        "total_pct",
        "instrument",
        "citation",
        "source",
        "provisional",
    ])?;
    for m in &r.measures {
        w.write_record([
            r.hts.as_str(),
            &r.partner,
            &r.date.to_string(),
            &m.authority,
            &m.measure,
            &m.status,
            &m.reason,
            &format!("{:.4}", m.rate_pct),
            &format!("{:.4}", m.share),
            &format!("{:.4}", m.applied_pct),
            &format!("{:.4}", r.total_pct),
            &m.instrument,
            &m.citation,
            &m.source,
            &m.provisional,
        ])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// `--hts`: the total duty, rendered.
pub fn run_hts(
    a: &ProductArgs,
    reg: &Registry,
    hts: &str,
    partner: &str,
    date: NaiveDate,
    format: Format,
) -> anyhow::Result<String> {
    let (engine, origin, _) = load_engine(&a.tables)?;
    let r = lookup(&engine, reg, hts, partner, date)?;
    Ok(match format {
        Format::Table => table(&r, &origin, &engine.assumptions),
        Format::Csv => csv_of(&r)?,
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "tables": origin, "assumptions": assumptions_json(&engine.assumptions), "duty": r
            }))? + "\n"
        }
    })
}

/// `--search`: matching lines, rendered.
pub fn run_search(a: &ProductArgs, query: &str, format: Format) -> anyhow::Result<String> {
    let (engine, _, _) = load_engine(&a.tables)?;
    let hits = search(&engine, query, a.limit)?;
    Ok(match format {
        Format::Json => {
            serde_json::to_string_pretty(
                &hits
                    .iter()
                    .map(|(c, d)| serde_json::json!({"hts10": c, "description": d}))
                    .collect::<Vec<_>>(),
            )? + "\n"
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record(["hts10", "description"])?;
            for (c, d) in &hits {
                w.write_record([c, d])?;
            }
            String::from_utf8(w.into_inner()?)?
        }
        Format::Table => {
            let mut s = format!(
                "{} HTS-10 lines match {query:?} (Census 2024 descriptions)\n",
                hits.len()
            );
            for (c, d) in &hits {
                s.push_str(&format!("{}.{}.{}  {d}\n", &c[..4], &c[4..6], &c[6..]));
            }
            s
        }
    })
}
