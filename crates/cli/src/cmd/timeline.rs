//! `reciprocity timeline` (not yet implemented).

/// Flags of `reciprocity timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity timeline` is not implemented yet")
}
