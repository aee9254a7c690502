//! `reciprocity data ...` (not yet implemented).

/// Dataset subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DataCommand {
    /// Validate a dataset folder or file and report every problem.
    Check {
        /// A dataset folder (e.g. ../shared/data/ilms2025) or CSV file.
        path: std::path::PathBuf,
    },
}

/// Run the subcommand.
pub fn run(_cmd: DataCommand) -> anyhow::Result<()> {
    anyhow::bail!("`reciprocity data check` is not implemented yet")
}
