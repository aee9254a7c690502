//! HTS codes and code lists: prefix membership (an HTS-8 query against an HTS-10 list is
//! *partial*) and a small CSV reader whose errors name the file, line and field.

use crate::Error;

/// Digits of an HTS code: `"8703.23.01"` -> `"87032301"`; 2 to 10 digits, else an error.
pub fn normalize(code: &str) -> Result<String, Error> {
    let digits: String = code.trim().chars().filter(|c| *c != '.').collect();
    if digits.len() < 2 || digits.len() > 10 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(Error::Query(format!(
            "expected an HTS code of 2 to 10 digits (dots allowed), found {code:?}"
        )));
    }
    Ok(digits)
}

/// How a code belongs to a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    /// The code or one of its prefixes is listed: every line under the code is covered.
    Full,
    /// Only some longer codes under it are listed (an HTS-8 query, an HTS-10 list).
    Partial,
    /// Not listed.
    No,
}

impl Member {
    /// Whether the code counts as listed: full, or partial when `partial_counts`.
    pub fn counts(self, partial_counts: bool) -> bool {
        matches!(self, Member::Full) || (partial_counts && self == Member::Partial)
    }
}

/// A sorted list of HTS prefixes (2 to 10 digits).
#[derive(Debug, Clone, Default)]
pub struct CodeSet {
    codes: Vec<String>,
}

impl CodeSet {
    /// A set of the given codes (deduplicated).
    pub fn new(mut codes: Vec<String>) -> CodeSet {
        codes.sort();
        codes.dedup();
        CodeSet { codes }
    }

    /// The codes, sorted.
    pub fn into_codes(self) -> Vec<String> {
        self.codes
    }

    /// Number of codes.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }

    /// Membership of `code` (digits only).
    pub fn member(&self, code: &str) -> Member {
        for n in 2..=code.len() {
            if self
                .codes
                .binary_search_by(|c| c.as_str().cmp(&code[..n]))
                .is_ok()
            {
                return Member::Full;
            }
        }
        let i = self.codes.partition_point(|c| c.as_str() < code);
        if self.codes.get(i).is_some_and(|c| c.starts_with(code)) {
            Member::Partial
        } else {
            Member::No
        }
    }

    /// Number of listed codes strictly under `code`.
    pub fn count_under(&self, code: &str) -> usize {
        let i = self.codes.partition_point(|c| c.as_str() < code);
        self.codes[i..]
            .iter()
            .take_while(|c| c.starts_with(code))
            .count()
    }
}

/// One parsed CSV file: header and records, comment lines (`#`) and blank lines skipped.
pub struct Csv<'a> {
    /// The file name, for errors.
    pub file: &'a str,
    header: Vec<String>,
    /// (line number, fields).
    pub rows: Vec<(usize, Vec<String>)>,
}

/// Split one CSV line (double quotes, doubled quotes inside).
pub fn split_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

impl<'a> Csv<'a> {
    /// Parse `text`; the first non-comment line is the header.
    pub fn parse(file: &'a str, text: &str) -> Result<Csv<'a>, Error> {
        let mut header = None;
        let mut rows = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let fields = split_line(line);
            if header.is_none() {
                header = Some(fields.iter().map(|f| f.trim().to_string()).collect());
            } else {
                rows.push((n + 1, fields));
            }
        }
        let header = header.ok_or_else(|| Error::Query(format!("{file}: no header line")))?;
        Ok(Csv { file, header, rows })
    }

    /// The position of a required column.
    pub fn col(&self, name: &str) -> Result<usize, Error> {
        self.header.iter().position(|h| h == name).ok_or_else(|| {
            Error::Query(format!(
                "{}: line 1: expected a column `{name}`, found {:?}",
                self.file, self.header
            ))
        })
    }

    /// Field `i` of a row, or an error naming file, line and column.
    pub fn field<'r>(&self, row: &'r (usize, Vec<String>), i: usize) -> Result<&'r str, Error> {
        row.1.get(i).map(|s| s.trim()).ok_or_else(|| {
            Error::Query(format!(
                "{}: line {}: missing field `{}`",
                self.file, row.0, self.header[i]
            ))
        })
    }

    /// Field `i` as a number, or an error naming file, line, column and text.
    pub fn num(&self, row: &(usize, Vec<String>), i: usize) -> Result<f64, Error> {
        let text = self.field(row, i)?;
        text.parse::<f64>().map_err(|_| {
            Error::Query(format!(
                "{}: line {}: field `{}`: expected a number, found {text:?}",
                self.file, row.0, self.header[i]
            ))
        })
    }

    /// Field `i` as an HTS code (digits, dots removed).
    pub fn code(&self, row: &(usize, Vec<String>), i: usize) -> Result<String, Error> {
        let text = self.field(row, i)?;
        normalize(text).map_err(|_| {
            Error::Query(format!(
                "{}: line {}: field `{}`: expected an HTS code, found {text:?}",
                self.file, row.0, self.header[i]
            ))
        })
    }

    /// Every value of column `name` as HTS codes. A code of more than 10 digits is cut to its
    /// HTS-10 with a warning pushed to `warnings` (the lists hold a few statistical suffixes).
    pub fn codes(&self, name: &str, warnings: &mut Vec<String>) -> Result<CodeSet, Error> {
        let i = self.col(name)?;
        let mut codes = Vec::with_capacity(self.rows.len());
        for r in &self.rows {
            let text = self.field(r, i)?;
            let digits: String = text.chars().filter(|c| *c != '.').collect();
            if digits.len() > 10 && digits.chars().all(|c| c.is_ascii_digit()) {
                warnings.push(format!(
                    "{}: line {}: code {text} has {} digits; read as {}",
                    self.file,
                    r.0,
                    digits.len(),
                    &digits[..10]
                ));
                codes.push(digits[..10].to_string());
            } else {
                codes.push(self.code(r, i)?);
            }
        }
        Ok(CodeSet::new(codes))
    }
}

/// Codes of a one-code-a-line text file (`s232_auto_parts.txt`).
pub fn code_lines(file: &str, text: &str) -> Result<CodeSet, Error> {
    let mut codes = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        codes.push(normalize(t).map_err(|_| {
            Error::Query(format!(
                "{file}: line {}: expected an HTS code, found {t:?}",
                n + 1
            ))
        })?);
    }
    Ok(CodeSet::new(codes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_full_partial_none() {
        let s = CodeSet::new(vec!["8703".into(), "9401614011".into()]);
        assert_eq!(s.member("87032301"), Member::Full);
        assert_eq!(s.member("94016140"), Member::Partial);
        assert_eq!(s.member("9401614011"), Member::Full);
        assert_eq!(s.member("94016160"), Member::No);
        assert_eq!(s.count_under("9401"), 1);
    }

    #[test]
    fn csv_quotes_and_errors() {
        assert_eq!(split_line(r#"a,"b, c","d""e""#), vec!["a", "b, c", "d\"e"]);
        let csv = Csv::parse("x.csv", "# c\nhts8,rate\n0101,abc\n").unwrap();
        let err = csv.num(&csv.rows[0], 1).unwrap_err().to_string();
        assert!(err.contains("x.csv: line 3: field `rate`"), "{err}");
        assert!(normalize("8703.23.01").is_ok() && normalize("87a").is_err());
    }
}
