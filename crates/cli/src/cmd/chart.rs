//! `reciprocity chart` (not yet implemented).

/// Flags of `reciprocity chart`.
#[derive(Debug, clap::Args)]
pub struct Args {}

/// Run the subcommand.
pub fn run(_args: Args) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity chart` is not implemented yet")
}
