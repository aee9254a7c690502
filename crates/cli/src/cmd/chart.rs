//! `reciprocity chart`: the tariff-gap chart (SVG or PNG): the formula's charged and reciprocal rates
//! for the largest US suppliers, next to the tariffs those partners really apply to US goods.

use std::path::PathBuf;

use super::flags::ParamArgs;
use crate::chart::gap::{build, PartnerSource};
use crate::chart::Chart;

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
