//! `reciprocity`: the command-line edge. `main` calls `try_main` and maps the error to an exit code:
//! 0 success, 2 bad input (a file, a flag or a scenario the user can fix), 1 anything else.

mod chart;
mod cmd;
mod output;
mod render;
mod report;

use clap::Parser;

/// An error the user can fix: bad input data, a bad flag, a bad scenario. Exit code 2.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct BadInput(pub String);

fn main() {
    // plotters draws text with the compiled-in font (no system fonts): register it before any chart.
    chart::ensure_fonts();
    let cli = cmd::Cli::parse();
    if let Err(err) = cmd::run(cli) {
        eprintln!("error: {err:#}");
        std::process::exit(exit_code(&err));
    }
}

/// 2 when the cause is input the user can fix, 1 otherwise.
fn exit_code(err: &anyhow::Error) -> i32 {
    let is_input = err.chain().any(|cause| {
        cause.is::<BadInput>()
            || cause.is::<reciprocity_data::Error>()
            || cause.is::<toml::de::Error>()
            || cause
                .downcast_ref::<reciprocity_service::ServiceError>()
                .is_some_and(|e| e.is_user_error())
    });
    if is_input {
        2
    } else {
        1
    }
}
