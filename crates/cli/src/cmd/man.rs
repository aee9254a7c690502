//! `reciprocity man`: the man page, generated from the clap definitions of this very binary.
//! Without `--out` it prints `reciprocity(1)` (every subcommand listed) on stdout, for
//! `reciprocity man | man -l -`; with `--out DIR` it writes one page per command and subcommand
//! (`reciprocity.1`, `reciprocity-simulate.1`, `reciprocity-negotiate-open.1`, ...).

use std::path::PathBuf;

use anyhow::Context;
use clap::CommandFactory;

use super::Cli;
use crate::output::emit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Write every page (one per command and subcommand) into this directory instead.
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let cmd = Cli::command();
    match args.out {
        None => {
            let mut page = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut page)
                .context("rendering the man page")?;
            emit(
                None,
                &String::from_utf8(page).context("the man page is not UTF-8")?,
            )
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            clap_mangen::generate_to(cmd, &dir)
                .with_context(|| format!("writing the man pages into {}", dir.display()))?;
            eprintln!("wrote the man pages into {}", dir.display());
            Ok(())
        }
    }
}
