//! `reciprocity formula` (not yet implemented).

/// Flags of `reciprocity formula`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity formula` is not implemented yet")
}
