//! Rendering and writing results: aligned text tables, CSV and Markdown for every command and the
//! report; files written atomically (temp file + rename), so a failure never leaves a partial file.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

/// Output formats shared by every listing subcommand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum Format {
    /// An aligned text table for people.
    #[default]
    Table,
    /// RFC 4180 CSV with a header row.
    Csv,
    /// A JSON document.
    Json,
}

/// Write `bytes` to `path` atomically: into a temporary sibling, then rename.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{file_name}.{}.tmp", std::process::id()));
    let result = (|| -> anyhow::Result<()> {
        let mut f =
            std::fs::File::create(&tmp).with_context(|| format!("creating {}", tmp.display()))?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path).with_context(|| format!("writing {}", path.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Print to stdout, or write atomically to `out` when given.
pub fn emit(out: Option<&Path>, text: &str) -> anyhow::Result<()> {
    match out {
        Some(path) => write_atomic(path, text.as_bytes()),
        None => {
            let mut stdout = std::io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                // `reciprocity ... | head` closes the pipe early: that is the reader's choice, not an error.
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                other => Ok(other?),
            }
        }
    }
}

/// Render rows as an aligned table (numbers right-aligned).
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    // Cells carry text other teams typed (reasons, terms): never let it drive the terminal.
    let rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| r.iter().map(|c| printable(c)).collect())
        .collect();
    let rows = &rows[..];
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, c) in r.iter().enumerate() {
            widths[i] = widths[i].max(c.chars().count());
        }
    }
    let numeric: Vec<bool> = (0..headers.len())
        .map(|i| {
            rows.iter().all(|r| {
                let c = r[i]
                    .trim_start_matches(['+', '-', '−'])
                    .trim_end_matches('%');
                c.is_empty()
                    || c == "-"
                    || c.replace([',', '.'], "")
                        .chars()
                        .all(|ch| ch.is_ascii_digit())
            })
        })
        .collect();
    let mut out = String::new();
    let line = |cells: Vec<&str>, out: &mut String| {
        let parts: Vec<String> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if numeric[i] {
                    format!("{c:>w$}", w = widths[i])
                } else {
                    format!("{c:<w$}", w = widths[i])
                }
            })
            .collect();
        out.push_str(parts.join("  ").trim_end());
        out.push('\n');
    };
    line(headers.to_vec(), &mut out);
    line(
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .iter()
            .map(String::as_str)
            .collect(),
        &mut out,
    );
    for r in rows {
        line(r.iter().map(String::as_str).collect(), &mut out);
    }
    out
}

/// Rows as CSV.
pub fn csv_text(headers: &[&str], rows: &[Vec<String>]) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(headers)?;
    for r in rows {
        w.write_record(r)?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// `text` safe to print on a terminal: control characters (escape sequences, carriage returns,
/// newlines that would forge rows) are shown as `\u{..}` escapes instead of acting.
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Rows as a Markdown table (`(none)` without rows; `|` in a cell becomes `/`).
pub fn md_table(headers: &[&str], rows: &[Vec<String>]) -> String {
    if rows.is_empty() {
        return "(none)\n".into();
    }
    let mut s = format!(
        "| {} |\n|{}|\n",
        headers.join(" | "),
        headers.iter().map(|_| "---").collect::<Vec<_>>().join("|")
    );
    for r in rows {
        s.push_str(&format!(
            "| {} |\n",
            r.iter()
                .map(|c| c.replace('|', "/"))
                .collect::<Vec<_>>()
                .join(" | ")
        ));
    }
    s
}

/// `+0.123` / `-` for a missing value.
pub fn signed(v: Option<f64>, decimals: usize) -> String {
    v.map_or("-".into(), |x| format!("{x:+.decimals$}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reason with an escape sequence and a newline would clear the screen and forge a row of
    /// the log (issue 15): printed, it is inert text on one line.
    #[test]
    fn control_characters_are_shown_not_obeyed() {
        let hostile = "ok\u{1b}[2J\nseq 99 forged\r";
        assert_eq!(printable(hostile), "ok\\u{1b}[2J\\u{a}seq 99 forged\\u{d}");
        assert_eq!(printable("Zoll 15 % — ok"), "Zoll 15 % — ok");
        let t = table(&["detail"], &[vec![hostile.to_string()]]);
        assert_eq!(t.lines().count(), 3, "{t}");
        assert!(!t.contains('\u{1b}'));
    }
}
