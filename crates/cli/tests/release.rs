//! What a packager ships besides the binary: `--version` with the commit, shell completions and the
//! man page, all generated from the clap definitions. The scripts are checked by the shells
//! themselves (bash always; zsh and fish where installed) and the bash one is run.

mod common;

use std::path::Path;
use std::process::{Command, Output};

fn reciprocity(args: &[&str]) -> Output {
    common::bin().args(args).output().expect("the binary runs")
}

/// stdout of a successful run of `cmd` (fails the test with stderr otherwise).
fn success_stdout(cmd: &mut Command) -> String {
    let out = cmd.output().expect("the command runs");
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// stdout of a successful `reciprocity ARGS...`.
fn stdout_of(args: &[&str]) -> String {
    success_stdout(common::bin().args(args))
}

/// The subcommands as `--help` lists them (without clap's own `help`), so a subcommand added
/// later is checked too.
fn subcommands() -> Vec<String> {
    let help = stdout_of(&["--help"]);
    let names: Vec<String> = help
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    for expected in [
        "formula",
        "simulate",
        "negotiate",
        "serve",
        "completions",
        "man",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} not in {names:?}"
        );
    }
    names
}

fn has(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok()
}

/// Runs `program args... file` on `text` written to a temporary file; returns (success, stderr).
fn check_with(program: &str, args: &[&str], text: &str) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("script");
    std::fs::write(&file, text).unwrap();
    let out = Command::new(program)
        .args(args)
        .arg(&file)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn version_names_the_package_version_and_the_commit() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let commit = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string());
    let expected = format!(
        "reciprocity {} (commit {commit})",
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(stdout_of(&["--version"]).trim(), expected);
    assert_eq!(stdout_of(&["-V"]).trim(), expected);
}

#[test]
fn bash_completion_parses_and_completes_subcommands_and_flags() {
    let script = stdout_of(&["completions", "bash"]);
    let (ok, err) = check_with("bash", &["-n"], &script);
    assert!(ok, "bash -n: {err}");

    // Ask the completion function what it offers, as bash would on TAB.
    let complete = |words: &str| -> Vec<String> {
        let driver = format!(
            "{script}\nCOMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             COMP_LINE=\"${{COMP_WORDS[*]}}\"; COMP_POINT=${{#COMP_LINE}}; \
             _reciprocity reciprocity \"${{COMP_WORDS[COMP_CWORD]}}\" \"${{COMP_WORDS[COMP_CWORD-1]}}\"; \
             printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
        );
        success_stdout(Command::new("bash").arg("-c").arg(&driver))
            .lines()
            .map(str::to_string)
            .collect()
    };
    let top = complete("reciprocity ''");
    for name in subcommands() {
        assert!(
            top.contains(&name),
            "TAB after `reciprocity` misses {name}: {top:?}"
        );
    }
    let flags = complete("reciprocity simulate --sc");
    assert_eq!(flags, vec!["--scenario".to_string()]);
    let shells = complete("reciprocity completions ''");
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.contains(&shell.to_string()), "{shells:?}");
    }
}

#[test]
fn zsh_and_fish_completions_name_every_subcommand_and_parse() {
    let zsh = stdout_of(&["completions", "zsh"]);
    assert!(
        zsh.starts_with("#compdef reciprocity"),
        "{}",
        &zsh[..zsh.len().min(80)]
    );
    let fish = stdout_of(&["completions", "fish"]);
    for name in subcommands() {
        assert!(
            zsh.contains(&format!("'{name}:")),
            "zsh script misses {name}"
        );
        assert!(
            fish.contains(&format!("-a \"{name}\"")),
            "fish script misses {name}"
        );
    }
    // The shells' own syntax checks, where the shell is installed (CI: bash only is certain).
    if has("zsh") {
        let (ok, err) = check_with("zsh", &["-n"], &zsh);
        assert!(ok, "zsh -n: {err}");
    }
    if has("fish") {
        let (ok, err) = check_with("fish", &["--no-execute"], &fish);
        assert!(ok, "fish --no-execute: {err}");
    }
}

#[test]
fn an_unknown_shell_is_refused_with_the_choices() {
    let out = reciprocity(&["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("tcsh") && err.contains("bash"), "{err}");
}

#[test]
fn man_page_has_the_sections_and_every_subcommand() {
    let page = stdout_of(&["man"]);
    assert!(page.contains(".TH reciprocity 1"), "no title line");
    assert!(
        page.contains(".SH NAME\nreciprocity \\-"),
        "no NAME section"
    );
    for section in [
        ".SH SYNOPSIS",
        ".SH DESCRIPTION",
        ".SH OPTIONS",
        ".SH SUBCOMMANDS",
        ".SH VERSION",
    ] {
        assert!(page.contains(section), "no {section}");
    }
    let version = format!("v{}", env!("CARGO_PKG_VERSION"));
    assert!(page.contains(&version), "no {version}");
    for name in subcommands() {
        assert!(
            page.contains(&format!("reciprocity\\-{name}(1)")),
            "SUBCOMMANDS misses {name}"
        );
    }
    // groff renders it without a warning, where groff is installed.
    if has("groff") {
        let (ok, err) = check_with("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
        assert!(ok && err.is_empty(), "groff: {err}");
    }
}

#[test]
fn man_out_writes_a_page_per_subcommand() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = dir.path().join("man1");
    let out = reciprocity(&["man", "--out", out_dir.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut pages = vec!["reciprocity.1".to_string()];
    pages.extend(
        subcommands()
            .iter()
            .map(|name| format!("reciprocity-{name}.1")),
    );
    // Nested subcommands get their own pages too.
    pages.push("reciprocity-negotiate-open.1".to_string());
    pages.push("reciprocity-strategy-nash.1".to_string());
    for page in pages {
        let text =
            std::fs::read_to_string(out_dir.join(&page)).unwrap_or_else(|e| panic!("{page}: {e}"));
        assert!(text.contains(".SH NAME"), "{page} has no NAME section");
    }
}

#[test]
fn citation_and_changelog_carry_the_package_version() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let version = env!("CARGO_PKG_VERSION");
    let cff = std::fs::read_to_string(root.join("CITATION.cff")).expect("CITATION.cff at the root");
    let cff_version: Vec<&str> = cff
        .lines()
        .filter_map(|line| line.strip_prefix("version: "))
        .collect();
    assert_eq!(
        cff_version,
        vec![version],
        "CITATION.cff version vs Cargo.toml"
    );
    let changelog = std::fs::read_to_string(root.join("CHANGELOG.md")).expect("CHANGELOG.md");
    assert!(
        changelog.contains("## [Unreleased]"),
        "no Unreleased section"
    );
    assert!(
        changelog.contains(&format!("## [{version}] - ")),
        "CHANGELOG.md has no section for {version}"
    );
}

#[test]
fn a_reader_that_closes_the_pipe_early_is_not_an_error() {
    for args in [&["completions", "bash"][..], &["man"][..]] {
        let mut child = common::bin()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        // Close the read end before anything is read, like `| head -c 0`.
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "reciprocity {args:?}: {:?}",
            out.status
        );
        assert_eq!(
            String::from_utf8_lossy(&out.stderr),
            "",
            "reciprocity {args:?}"
        );
    }
}
