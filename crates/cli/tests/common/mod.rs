//! The one binary runner of the CLI's integration tests (`mod common;` in each test file).
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

pub mod figures;
pub mod server;

/// The `reciprocity` binary under test.
pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_reciprocity"))
}

/// The binary with no database or clock from the environment (the test names them).
pub fn clean_bin() -> Command {
    let mut c = bin();
    c.env_remove("RECIPROCITY_DB")
        .env_remove("RECIPROCITY_TODAY");
    c
}

/// Exit code (-1 when killed), stdout, stderr.
pub fn outcome(out: Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `args` then `--db DB`, with [`clean_bin`]: exit code, stdout, stderr.
pub fn run_on(db: &Path, args: &[&str]) -> (i32, String, String) {
    outcome(
        clean_bin()
            .args(args)
            .arg("--db")
            .arg(db)
            .output()
            .expect("runs"),
    )
}

/// `negotiate --db DB ARGS`, with [`clean_bin`]: exit code, stdout, stderr.
pub fn negotiate_on(db: &Path, args: &[&str]) -> (i32, String, String) {
    let mut c = clean_bin();
    c.arg("negotiate").arg("--db").arg(db).args(args);
    outcome(c.output().expect("runs"))
}

/// Run it with `args` and the variables `env`: exit code (-1 when killed), stdout, stderr.
pub fn run_env(args: &[&str], env: &[(&str, &str)]) -> (i32, String, String) {
    outcome(
        bin()
            .args(args)
            .envs(env.iter().copied())
            .output()
            .expect("runs"),
    )
}

/// Run it with `args`: exit code, stdout, stderr.
pub fn run(args: &[&str]) -> (i32, String, String) {
    run_env(args, &[])
}

/// `reciprocity report --out DIR ARGS…` without ../shared: the folder (kept alive),
/// the report's folder and its REPORT.md.
pub fn report_with(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report");
    let res = bin()
        .args(["report", "--out", out.to_str().unwrap()])
        .args(args)
        .env("RECIPROCITY_SHARED_DATA", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(
        res.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&res.stderr)
    );
    let md = std::fs::read_to_string(out.join("REPORT.md")).unwrap();
    (dir, out, md)
}
