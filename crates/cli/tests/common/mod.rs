//! The one binary runner of the CLI's integration tests (`mod common;` in each test file).
#![allow(dead_code)]

use std::process::Command;

pub mod server;

/// The `reciprocity` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reciprocity"))
}

/// Run it with `args` and the variables `env`: exit code (-1 when killed), stdout, stderr.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    let out = bin()
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run it with `args`: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}
