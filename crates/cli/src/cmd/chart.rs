//! `reciprocity chart`: the tariff-gap chart (SVG or PNG): the formula's charged and reciprocal rates
//! for the largest US suppliers, next to the tariffs those partners really apply to US goods.

use std::path::{Path, PathBuf};

use reciprocity_data::partner_tariffs::{self, PartnerHeadline};
use reciprocity_model::formula::FormulaParams;

use super::flags::ParamArgs;
use crate::chart::gap::{GapChart, GapRow};
use crate::chart::Chart;
use crate::BadInput;
use reciprocity_service::formula::{table, Partners};

/// Flags of `reciprocity chart`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The output file: .svg or .png.
    #[arg(long)]
    out: PathBuf,
    /// How many partners (the largest by 2024 US imports).
    #[arg(long, default_value_t = 30)]
    top: usize,
    /// A partner_tariffs/ folder to read (default: ../shared/data/partner_tariffs when present, else
    /// the embedded headline figures, which are the same numbers).
    #[arg(long)]
    partner_tariffs: Option<PathBuf>,
    #[command(flatten)]
    params: ParamArgs,
}

/// Where the partner tariffs come from.
pub enum PartnerSource<'a> {
    /// The embedded headline table.
    Embedded,
    /// A `partner_tariffs/` folder.
    Folder(&'a Path),
}

/// Build the chart for the `top` largest chart partners.
pub fn build(p: &FormulaParams, top: usize, source: PartnerSource) -> anyhow::Result<GapChart> {
    if top == 0 {
        return Err(BadInput("--top: expected at least 1 partner, found 0".into()).into());
    }
    let loaded;
    let (headline, source_note): (&[PartnerHeadline], String) = match source {
        PartnerSource::Embedded => (
            partner_tariffs::embedded_headline(),
            "embedded copy".to_string(),
        ),
        PartnerSource::Folder(dir) => {
            loaded = partner_tariffs::load_headline(dir)?;
            let name = dir.file_name().map_or_else(
                || dir.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            (&loaded, format!("read from {name}/"))
        }
    };
    let table = table(p, Partners::Chart)?;
    let rows: Vec<GapRow> = table
        .rows
        .iter()
        .take(top)
        .map(|r| {
            let h = headline.iter().find(|h| h.iso3 == r.iso3);
            GapRow {
                label: r.country.clone(),
                imports_usd: r.us_imports_usd,
                charged_pct: r.charged_pct,
                reciprocal_pct: r.reciprocal_pct,
                simple_on_us: h.and_then(|h| h.simple_on_us_pct.zip(h.simple_year)),
                weighted_all: h.and_then(|h| h.weighted_all_pct.zip(h.weighted_year)),
            }
        })
        .collect();
    let official = *p == FormulaParams::default();
    let subtitle = format!(
        "The {} largest US suppliers of 2024, by US goods imports. Formula: ε = {}, φ = {}, floor {} %, discount {}, rounding {}{}. Both panels use the same scale.",
        rows.len(),
        p.trade_elasticity,
        p.pass_through,
        p.floor_pct,
        p.discount,
        table.rounding,
        if official { " (the official parameters)" } else { " (NOT the official parameters)" },
    );
    let sources = vec![
        "Formula: USTR, April 2025: 100·(imports − exports)/(ε·φ·imports), on US Census 2024 goods trade; chart and Annex I of EO 14257 (2025-04-02).".to_string(),
        format!("Partners' tariffs ({source_note}): WITS/UNCTAD TRAINS, effectively applied tariff on US-origin goods, simple average of HS6 lines; World Bank WDI TM.TAX.MRCH.WM.AR.ZS (CC BY 4.0)."),
        "Year 2022 unless shown. Schedule rates only: retaliatory duties (e.g. China's since 2018, 2025 counter-tariffs) are not included.".to_string(),
    ];
    Ok(GapChart {
        rows,
        subtitle,
        sources,
    })
}

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    crate::chart::ImageFormat::from_path(&args.out)?;
    let p = args.params.params()?;
    let shared = reciprocity_data::shared_data_dir()
        .map(|d| d.join("partner_tariffs"))
        .filter(|d| d.is_dir());
    let folder = args.partner_tariffs.clone().or(shared);
    let source = match &folder {
        Some(dir) => PartnerSource::Folder(dir),
        None => PartnerSource::Embedded,
    };
    let chart = build(&p, args.top, source)?;
    chart.write(&args.out)?;
    println!(
        "wrote {} ({} partners)",
        args.out.display(),
        chart.rows.len()
    );
    Ok(())
}
