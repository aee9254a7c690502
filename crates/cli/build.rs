//! Stamps the binary with the commit it was built from: `reciprocity --version` prints
//! `reciprocity 0.1.0 (commit abc1234)`. Outside a git checkout (a source archive, a crates.io
//! package) or without git, the commit is `unknown`. Nothing here can fail the build.

use std::path::Path;
use std::process::Command;

/// `git -C dir ARGS...`, trimmed, or None when git is missing, fails or prints nothing.
fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    if !out.status.success() {
        return None;
    }
    let text = String::from_utf8(out.stdout).ok()?.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_string());
    let dir = Path::new(&dir);
    let commit = git(dir, &["rev-parse", "--short", "HEAD"]);
    if commit.is_some() {
        // Re-run when HEAD moves: HEAD itself (a checkout), the branch's ref (a commit) and
        // packed-refs (a gc). `--git-path` resolves them in worktrees too. A file that does not
        // exist is not watched (cargo would re-run the script on every build).
        let mut watched = vec!["HEAD".to_string(), "packed-refs".to_string()];
        if let Some(branch) = git(dir, &["symbolic-ref", "-q", "HEAD"]) {
            watched.push(branch);
        }
        for name in watched {
            if let Some(path) = git(
                dir,
                &["rev-parse", "--path-format=absolute", "--git-path", &name],
            ) {
                if Path::new(&path).exists() {
                    println!("cargo:rerun-if-changed={path}");
                }
            }
        }
    }
    let commit = commit.unwrap_or_else(|| "unknown".to_string());
    println!("cargo:rustc-env=RECIPROCITY_GIT_COMMIT={commit}");
}
