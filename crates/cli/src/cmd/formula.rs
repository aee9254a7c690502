//! `reciprocity formula`: the official April 2025 reciprocal-tariff formula for every partner of the
//! embedded 2024 Census data, next to the published chart values, with the reason for every difference.

use std::path::PathBuf;

use reciprocity_service::formula::table;

use super::flags::{ParamArgs, Partners};

use crate::output::{emit, Format};
use crate::render::formula::{to_csv, to_table};

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

/// Run the subcommand.
pub fn run(args: Args) -> anyhow::Result<()> {
    let p = args.params.params()?;
    let mut table = table(&p, args.partners.into())?;
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
