//! `reciprocity simulate` (not yet implemented).

/// Flags of `reciprocity simulate`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity simulate` is not implemented yet")
}
