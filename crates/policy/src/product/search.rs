//! Product search: HTS-10 lines by the words of their Census 2024 description or by a code prefix.

use super::data::ProductData;

impl ProductData {
    /// Lines whose description contains every word of `query` (case-insensitive), at most `limit`.
    pub fn search(&self, query: &str, limit: usize) -> Vec<(String, String)> {
        let words: Vec<[String; 3]> = query.split_whitespace().map(word_forms).collect();
        let code = query.trim().replace('.', "");
        self.descriptions
            .iter()
            .filter(|(c, d)| {
                (!code.is_empty()
                    && code.chars().all(|ch| ch.is_ascii_digit())
                    && c.starts_with(&code))
                    || (!words.is_empty()
                        && words
                            .iter()
                            .all(|forms| forms.iter().any(|f| d.contains(f.as_str()))))
            })
            .take(limit)
            .cloned()
            .collect()
    }
}

/// A search word as the Census descriptions may spell it: as typed, without a plural ending
/// (`WATCHES` -> `WATCH`), and without its vowels after the first letter (`WRIST` -> `WRST`, the
/// descriptions' abbreviation).
fn word_forms(word: &str) -> [String; 3] {
    let w = word.to_uppercase();
    let singular = w
        .strip_suffix("ES")
        .filter(|s| s.ends_with("CH") || s.ends_with("SH") || s.ends_with('X'))
        .or_else(|| w.strip_suffix('S'))
        .filter(|s| s.len() >= 3)
        .unwrap_or(&w)
        .to_string();
    let mut chars = singular.chars();
    let first: String = chars.next().into_iter().collect();
    let short = first + &chars.filter(|c| !"AEIOU".contains(*c)).collect::<String>();
    let short = if short.len() >= 3 { short } else { w.clone() };
    [w, singular, short]
}

#[cfg(test)]
mod tests {
    use super::word_forms;

    #[test]
    fn a_word_matches_its_singular_and_the_census_abbreviation() {
        assert_eq!(word_forms("watches"), ["WATCHES", "WATCH", "WTCH"]);
        assert_eq!(word_forms("Wrist"), ["WRIST", "WRIST", "WRST"]);
        assert_eq!(word_forms("cars"), ["CARS", "CAR", "CARS"]);
        assert_eq!(word_forms("bus"), ["BUS", "BUS", "BUS"]);
    }
}
