//! `reciprocity completions SHELL`: the shell completion script, generated from the clap
//! definitions of this very binary (so it never lags a flag). Printed on stdout; install with e.g.
//! `reciprocity completions bash > ~/.local/share/bash-completion/completions/reciprocity`.

use anyhow::Context;
use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;
use crate::output::emit;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The shell: bash, zsh, fish (also elvish, powershell).
    #[arg(value_enum)]
    shell: Shell,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    // Generated into memory, then printed in one piece: a closed pipe is handled like every other
    // command's output, not a panic inside the generator.
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "reciprocity", &mut script);
    let script = String::from_utf8(script).context("the completion script is not UTF-8")?;
    emit(None, &script)
}
