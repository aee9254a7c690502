//! `reciprocity tariffs` (not yet implemented).

/// Flags of `reciprocity tariffs`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity tariffs` is not implemented yet")
}
