//! `reciprocity report` (not yet implemented).

/// Flags of `reciprocity report`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity report` is not implemented yet")
}
