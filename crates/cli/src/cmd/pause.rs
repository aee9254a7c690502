//! `reciprocity pause` (not yet implemented).

/// Flags of `reciprocity pause`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity pause` is not implemented yet")
}
