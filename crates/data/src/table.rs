//! Reading CSV files into rows of strings, with every error naming file, line and field.

use std::path::Path;

use crate::Error;

/// A CSV file read whole: its header and its data rows with their 1-based line numbers.
#[derive(Debug)]
pub(crate) struct Table {
    /// The path as shown in messages.
    pub file: String,
    /// Header cells, trimmed (a UTF-8 byte-order mark is removed).
    pub headers: Vec<String>,
    /// (line, cells) for every data row; blank lines are skipped.
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Build an `Error::At`.
pub(crate) fn at(file: &str, line: usize, field: &str, message: impl Into<String>) -> Error {
    Error::At {
        file: file.to_string(),
        line,
        field: field.to_string(),
        message: message.into(),
    }
}

impl Table {
    /// Read a CSV file. Fails on an unreadable or empty file, bad UTF-8, broken quoting, or a row
    /// whose number of fields differs from the header's.
    pub fn read(path: &Path) -> Result<Table, Error> {
        let file = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|cause| Error::Io {
            file: file.clone(),
            cause,
        })?;
        Self::parse(&file, &bytes)
    }

    /// Parse CSV bytes (for files and tests).
    pub fn parse(file: &str, bytes: &[u8]) -> Result<Table, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        if bytes.iter().all(|b| b.is_ascii_whitespace()) {
            return Err(at(
                file,
                1,
                "header",
                "expected a CSV header row, found an empty file",
            ));
        }
        // Line numbers from byte offsets: the csv crate does not count blank lines.
        let newlines: Vec<usize> = bytes
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(i, _)| i)
            .collect();
        let line_of = |byte: u64| {
            // A record's recorded start can sit on the blank lines before it: skip them.
            let mut b = byte as usize;
            while b < bytes.len() && (bytes[b] == b'\n' || bytes[b] == b'\r') {
                b += 1;
            }
            newlines.partition_point(|&nl| nl < b) + 1
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        let mut headers: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line_guess = line_of(reader.position().byte());
            match reader.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(err) => {
                    let line = err
                        .position()
                        .map(|p| line_of(p.byte()))
                        .unwrap_or(line_guess);
                    let message = match err.kind() {
                        csv::ErrorKind::Utf8 { .. } => {
                            "expected UTF-8 text, found invalid bytes".to_string()
                        }
                        _ => format!("expected well-formed CSV, found: {err}"),
                    };
                    return Err(at(file, line, "row", message));
                }
            }
            let line = record
                .position()
                .map(|p| line_of(p.byte()))
                .unwrap_or(line_guess);
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let cells: Vec<String> = record.iter().map(|c| c.trim().to_string()).collect();
            match &headers {
                None => {
                    for (i, h) in cells.iter().enumerate() {
                        if h.is_empty() {
                            return Err(at(
                                file,
                                line,
                                "header",
                                format!(
                                    "expected a name for column {}, found an empty cell",
                                    i + 1
                                ),
                            ));
                        }
                    }
                    headers = Some(cells);
                }
                Some(h) => {
                    if cells.len() != h.len() {
                        return Err(at(
                            file,
                            line,
                            "row",
                            format!(
                                "expected {} fields (as in the header), found {}",
                                h.len(),
                                cells.len()
                            ),
                        ));
                    }
                    rows.push((line, cells));
                }
            }
        }
        let headers = headers.ok_or_else(|| {
            at(
                file,
                1,
                "header",
                "expected a CSV header row, found an empty file",
            )
        })?;
        Ok(Table {
            file: file.to_string(),
            headers,
            rows,
        })
    }

    /// The position of a column, if present (case-insensitive).
    pub fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| h.eq_ignore_ascii_case(name))
    }

    /// The position of a required column; the error lists the columns that were found.
    pub fn col(&self, name: &str) -> Result<usize, Error> {
        self.find(name).ok_or_else(|| {
            at(
                &self.file,
                1,
                name,
                format!(
                    "expected a column `{name}`, found columns: {}",
                    self.headers.join(", ")
                ),
            )
        })
    }

    /// Fail unless the file has at least one data row.
    pub fn require_rows(&self) -> Result<(), Error> {
        if self.rows.is_empty() {
            return Err(at(
                &self.file,
                2,
                "row",
                "expected data rows after the header, found none",
            ));
        }
        Ok(())
    }
}

/// Parse a number cell. Empty → `Ok(None)`; anything else that is not a finite number is an error.
pub(crate) fn number(
    file: &str,
    line: usize,
    field: &str,
    cell: &str,
) -> Result<Option<f64>, Error> {
    let s = cell.trim();
    if s.is_empty() || s.eq_ignore_ascii_case("na") || s.eq_ignore_ascii_case("nan") {
        return Ok(None);
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(Some(v)),
        _ => Err(at(
            file,
            line,
            field,
            format!("expected a number, found {s:?}"),
        )),
    }
}

/// Parse an embedded CSV into rows; a failure names the table and the line.
pub(crate) fn parse_table<T: for<'de> serde::Deserialize<'de>>(
    name: &str,
    text: &str,
) -> Result<Vec<T>, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for (i, rec) in reader.deserialize::<T>().enumerate() {
        match rec {
            Ok(row) => rows.push(row),
            // Line i + 2: the header is line 1.
            Err(err) => return Err(format!("embedded/{name}:{}: {err}", i + 2)),
        }
    }
    if rows.is_empty() {
        return Err(format!("embedded/{name}: no rows"));
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_header_rows_and_lines() {
        let t = Table::parse("f.csv", b"\xEF\xBB\xBFa,b\n1,2\n\n3,4\n").unwrap();
        assert_eq!(t.headers, ["a", "b"]);
        assert_eq!(
            t.rows,
            vec![
                (2, vec!["1".into(), "2".into()]),
                (4, vec!["3".into(), "4".into()])
            ]
        );
        assert_eq!(t.col("B").unwrap(), 1);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = Table::parse("f.csv", b"").unwrap_err().to_string();
        assert_eq!(
            e,
            "f.csv:1: header: expected a CSV header row, found an empty file"
        );
        let e = Table::parse("f.csv", b"a,b\n1,2\n1,2,3\n")
            .unwrap_err()
            .to_string();
        assert_eq!(
            e,
            "f.csv:3: row: expected 2 fields (as in the header), found 3"
        );
        let t = Table::parse("f.csv", b"a,b\n1,2\n").unwrap();
        let e = t.col("value").unwrap_err().to_string();
        assert_eq!(
            e,
            "f.csv:1: value: expected a column `value`, found columns: a, b"
        );
        let e = number("f.csv", 7, "value", "12x").unwrap_err().to_string();
        assert_eq!(e, "f.csv:7: value: expected a number, found \"12x\"");
        assert_eq!(number("f.csv", 7, "value", " ").unwrap(), None);
        let e = Table::parse("f.csv", b"a,b\n\"1,2\n")
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("f.csv:"), "{e}");
    }
}
