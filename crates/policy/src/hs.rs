//! HS product scopes: chapters (`"72"`), headings (`"8703"`), heading ranges (`"7206-7229"`) and
//! `"ALL"`. A scope is kept as a sorted list of closed heading intervals (`0101..=9799`), so that
//! unions, differences and intersections are exact.

use std::fmt;

/// The first and last 4-digit headings of the tariff schedule proper (chapters 01 to 97).
const FIRST_HEADING: u16 = 101;
const LAST_HEADING: u16 = 9799;

/// Whether `chapter` is a chapter of the Harmonized System (01–97; 77 is reserved).
pub fn is_valid_chapter(chapter: u16) -> bool {
    (1..=97).contains(&chapter) && chapter != 77
}

/// A product to price: goods covered by no product-specific measure, a whole chapter, or a heading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Product {
    /// Goods outside every product-specific scope and exemption: the partner's headline rate.
    General,
    /// A 2-digit HS chapter, priced as its typical heading (one not named by any narrower scope).
    Chapter(u16),
    /// A 4-digit HS heading.
    Heading(u16),
}

impl Product {
    /// Parse `"72"` (chapter) or `"8703"` (heading); more digits are cut to the heading.
    pub fn parse(code: &str) -> Result<Product, String> {
        let code = code.trim().replace('.', "");
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!(
                "expected an HS chapter (2 digits) or heading (4+ digits), found {code:?}"
            ));
        }
        match code.len() {
            1 | 2 => {
                let ch: u16 = code
                    .parse()
                    .map_err(|_| format!("bad HS chapter {code:?}"))?;
                if !is_valid_chapter(ch) {
                    return Err(format!("unknown HS chapter {code:?} (01-97, 77 reserved)"));
                }
                Ok(Product::Chapter(ch))
            }
            3 => Err(format!(
                "expected an HS chapter (2 digits) or heading (4+ digits), found {code:?}"
            )),
            _ => {
                let h: u16 = code[..4]
                    .parse()
                    .map_err(|_| format!("bad HS heading {code:?}"))?;
                check_heading(h).map_err(|e| format!("{e} in {code:?}"))?;
                Ok(Product::Heading(h))
            }
        }
    }

    /// The chapter of a chapter or heading.
    pub fn chapter(&self) -> Option<u16> {
        match self {
            Product::General => None,
            Product::Chapter(c) => Some(*c),
            Product::Heading(h) => Some(h / 100),
        }
    }
}

impl fmt::Display for Product {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Product::General => write!(f, "all goods"),
            Product::Chapter(c) => write!(f, "{c:02}"),
            Product::Heading(h) => write!(f, "{h:04}"),
        }
    }
}

fn check_heading(h: u16) -> Result<(), String> {
    let (ch, sub) = (h / 100, h % 100);
    if !is_valid_chapter(ch) {
        return Err(format!("unknown HS chapter {ch:02}"));
    }
    if sub == 0 {
        return Err(format!(
            "heading {h:04} does not exist (headings run 01-99 within a chapter)"
        ));
    }
    Ok(())
}

/// A set of HS headings as sorted, disjoint, closed intervals; `ALL` is `0101..=9799`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HsScope {
    intervals: Vec<(u16, u16)>,
    /// Whether the scope was written as `ALL` (and so also covers [`Product::General`]).
    all: bool,
}

impl HsScope {
    /// The empty scope.
    pub fn empty() -> HsScope {
        HsScope::default()
    }

    /// Every good.
    pub fn all() -> HsScope {
        HsScope {
            intervals: vec![(FIRST_HEADING, LAST_HEADING)],
            all: true,
        }
    }

    /// Parse a list such as `["72", "7301-7326", "8703"]` or `["ALL"]`.
    pub fn parse(codes: &[String]) -> Result<HsScope, String> {
        let mut scope = HsScope::empty();
        for code in codes {
            let code = code.trim();
            if code.eq_ignore_ascii_case("ALL") {
                return if codes.len() == 1 {
                    Ok(HsScope::all())
                } else {
                    Err("\"ALL\" must stand alone".into())
                };
            }
            let (lo, hi) = parse_pattern(code)?;
            scope.intervals.push((lo, hi));
        }
        scope.normalize();
        Ok(scope)
    }

    fn normalize(&mut self) {
        self.intervals.sort_unstable();
        let mut merged: Vec<(u16, u16)> = Vec::with_capacity(self.intervals.len());
        for &(lo, hi) in &self.intervals {
            match merged.last_mut() {
                Some(last) if lo <= last.1.saturating_add(1) => last.1 = last.1.max(hi),
                _ => merged.push((lo, hi)),
            }
        }
        self.intervals = merged;
    }

    /// Whether the scope is empty.
    pub fn is_empty(&self) -> bool {
        self.intervals.is_empty()
    }

    /// Whether the scope was `ALL`.
    pub fn is_all(&self) -> bool {
        self.all
    }

    /// Whether the scope covers `product`. `General` is covered only by `ALL`; a chapter is covered
    /// when every heading of it is.
    pub fn covers(&self, product: Product) -> bool {
        match product {
            Product::General => self.all,
            Product::Heading(h) => self.intervals.iter().any(|&(lo, hi)| lo <= h && h <= hi),
            Product::Chapter(c) => {
                let (first, last) = (c * 100 + 1, c * 100 + 99);
                self.intervals
                    .iter()
                    .any(|&(lo, hi)| lo <= first && last <= hi)
            }
        }
    }

    /// Whether the scope touches `product`: for a chapter, whether any heading of it is in scope.
    pub fn touches(&self, product: Product) -> bool {
        match product {
            Product::Chapter(c) => {
                let (first, last) = (c * 100 + 1, c * 100 + 99);
                self.intervals
                    .iter()
                    .any(|&(lo, hi)| lo <= last && first <= hi)
            }
            _ => self.covers(product),
        }
    }

    /// The headings in `self` but not in `other`.
    pub fn minus(&self, other: &HsScope) -> HsScope {
        let mut out = Vec::new();
        for &(lo, hi) in &self.intervals {
            let mut pieces = vec![(lo, hi)];
            for &(olo, ohi) in &other.intervals {
                let mut next = Vec::new();
                for (plo, phi) in pieces {
                    if ohi < plo || phi < olo {
                        next.push((plo, phi));
                        continue;
                    }
                    if plo < olo {
                        next.push((plo, olo - 1));
                    }
                    if ohi < phi {
                        next.push((ohi + 1, phi));
                    }
                }
                pieces = next;
            }
            out.extend(pieces);
        }
        // What remains of ALL still prices General goods unless the whole schedule was removed.
        let all = self.all && !out.is_empty();
        let mut scope = HsScope {
            intervals: out,
            all,
        };
        scope.normalize();
        scope
    }

    /// Whether two scopes share a heading (or both price General goods).
    pub fn intersects(&self, other: &HsScope) -> bool {
        if self.all && other.all {
            return true;
        }
        self.intervals
            .iter()
            .any(|&(a, b)| other.intervals.iter().any(|&(c, d)| a <= d && c <= b))
    }

    /// The 4-digit headings named at the edges of the scope's intervals (for listing sub-scopes).
    pub fn intervals(&self) -> &[(u16, u16)] {
        &self.intervals
    }
}

impl fmt::Display for HsScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.all && self.intervals == [(FIRST_HEADING, LAST_HEADING)] {
            return write!(f, "all goods");
        }
        let parts: Vec<String> = self
            .intervals
            .iter()
            .map(|&(lo, hi)| {
                if lo % 100 == 1 && hi % 100 == 99 && lo / 100 == hi / 100 {
                    format!("ch.{:02}", lo / 100)
                } else if lo % 100 == 1 && hi % 100 == 99 {
                    format!("ch.{:02}-{:02}", lo / 100, hi / 100)
                } else if lo == hi {
                    format!("{lo:04}")
                } else {
                    format!("{lo:04}-{hi:04}")
                }
            })
            .collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Parse one pattern into a closed heading interval.
fn parse_pattern(code: &str) -> Result<(u16, u16), String> {
    if let Some((a, b)) = code.split_once('-') {
        let lo = parse_heading(a.trim())?;
        let hi = parse_heading(b.trim())?;
        if lo > hi {
            return Err(format!("range {code:?} runs backwards"));
        }
        return Ok((lo, hi));
    }
    match code.len() {
        2 if code.chars().all(|c| c.is_ascii_digit()) => {
            let ch: u16 = code.parse().map_err(|_| format!("bad HS chapter {code:?}"))?;
            if !is_valid_chapter(ch) {
                return Err(format!("unknown HS chapter {code:?} (01-97, 77 reserved)"));
            }
            Ok((ch * 100 + 1, ch * 100 + 99))
        }
        4 => {
            let h = parse_heading(code)?;
            Ok((h, h))
        }
        _ => Err(format!(
            "expected \"ALL\", a chapter (\"72\"), a heading (\"8703\") or a range (\"7206-7229\"), found {code:?}"
        )),
    }
}

fn parse_heading(code: &str) -> Result<u16, String> {
    if code.len() != 4 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!("expected a 4-digit HS heading, found {code:?}"));
    }
    let h: u16 = code
        .parse()
        .map_err(|_| format!("bad HS heading {code:?}"))?;
    check_heading(h).map_err(|e| format!("{e} (in {code:?})"))?;
    Ok(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(codes: &[&str]) -> HsScope {
        HsScope::parse(&codes.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn parses_and_covers() {
        let s = scope(&["72", "7301-7326", "8703"]);
        assert!(s.covers(Product::Heading(7208)));
        assert!(s.covers(Product::Heading(7326)));
        assert!(!s.covers(Product::Heading(7327)));
        assert!(s.covers(Product::Chapter(72)));
        assert!(
            !s.covers(Product::Chapter(73)),
            "7301-7326 is not all of chapter 73"
        );
        assert!(s.touches(Product::Chapter(73)));
        assert!(!s.covers(Product::General));
        assert_eq!(s.to_string(), "ch.72, 7301-7326, 8703");
    }

    #[test]
    fn all_minus_exceptions() {
        let s = scope(&["ALL"]).minus(&scope(&["27", "3104"]));
        assert!(s.covers(Product::General));
        assert!(!s.covers(Product::Heading(2709)));
        assert!(!s.covers(Product::Heading(3104)));
        assert!(s.covers(Product::Heading(3105)));
        assert!(s.covers(Product::Heading(2601)));
        assert!(!s.intersects(&scope(&["2701-2716"])));
        assert!(s.intersects(&scope(&["2601-2799"])));
    }

    #[test]
    fn rejects_unknown_codes() {
        for bad in [
            "77",
            "7700",
            "0000",
            "98",
            "9801",
            "7229-7206",
            "ALLX",
            "123",
            "72a1",
        ] {
            let r = HsScope::parse(&[bad.to_string()]);
            assert!(r.is_err(), "{bad} should be rejected");
        }
        assert!(HsScope::parse(&["ALL".into(), "72".into()]).is_err());
        assert_eq!(Product::parse("870323").unwrap(), Product::Heading(8703));
        assert_eq!(Product::parse("72").unwrap(), Product::Chapter(72));
        assert!(Product::parse("99").is_err());
    }
}
