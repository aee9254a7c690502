//! The country registry: ISO3 codes, display names, aliases (Census, chart, CEPII, ILMS spellings) and
//! groups such as `EU27`. Embedded (`crates/data/embedded/countries.csv`, `groups.csv`), parsed once.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::table::parse_table;

const COUNTRIES_CSV: &str = include_str!("../embedded/countries.csv");
const GROUPS_CSV: &str = include_str!("../embedded/groups.csv");

/// A country, territory or (for `EUU`) a group that trades as one partner.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-3 (`XKX` Kosovo, `EUU` European Union).
    pub iso3: String,
    /// ISO 3166-1 alpha-2, when known.
    pub iso2: Option<String>,
    /// Display name (the April 2025 chart's spelling when the partner is on it).
    pub name: String,
    /// Census Schedule C code(s), "+"-joined when several rows map to one ISO3.
    pub census_code: Option<String>,
    /// Whether this entry stands for a group of countries (`EUU`).
    pub is_group: bool,
    /// Other spellings: Census (`Korea, South`), CEPII, ILMS, common names.
    pub aliases: Vec<String>,
}

#[derive(Deserialize)]
struct CountryRow {
    iso3: String,
    iso2: Option<String>,
    name: String,
    census_code: Option<String>,
    kind: String,
    aliases: String,
}

#[derive(Deserialize)]
struct GroupRow {
    group: String,
    iso3: String,
}

struct Registry {
    countries: Vec<Country>,
    by_key: HashMap<String, usize>,
    groups: Vec<(String, Vec<&'static str>)>,
}

/// The lookup key of a name or code: lower case, letters and digits only
/// ("Korea, South" → "koreasouth"; "Côte d’Ivoire" → "côtedivoire").
pub fn normalize(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn registry() -> &'static Registry {
    static CELL: OnceLock<Registry> = OnceLock::new();
    CELL.get_or_init(|| {
        let rows: Vec<CountryRow> = parse_table("countries.csv", COUNTRIES_CSV)
            .unwrap_or_else(|e| panic!("bug in embedded table: {e}"));
        let countries: Vec<Country> = rows
            .into_iter()
            .map(|r| Country {
                iso3: r.iso3,
                iso2: r.iso2,
                name: r.name,
                census_code: r.census_code,
                is_group: r.kind == "group",
                aliases: r
                    .aliases
                    .split('|')
                    .filter(|a| !a.is_empty())
                    .map(str::to_string)
                    .collect(),
            })
            .collect();
        let mut by_key = HashMap::new();
        // Codes first, so that a code always wins over a name that happens to normalise the same.
        for (i, c) in countries.iter().enumerate() {
            by_key.insert(normalize(&c.iso3), i);
        }
        for (i, c) in countries.iter().enumerate() {
            if let Some(iso2) = &c.iso2 {
                by_key.entry(normalize(iso2)).or_insert(i);
            }
            for name in std::iter::once(&c.name).chain(&c.aliases) {
                by_key.entry(normalize(name)).or_insert(i);
            }
        }
        let group_rows: Vec<GroupRow> = parse_table("groups.csv", GROUPS_CSV)
            .unwrap_or_else(|e| panic!("bug in embedded table: {e}"));
        let mut groups: Vec<(String, Vec<&'static str>)> = Vec::new();
        for g in group_rows {
            // Leak once per member: the registry lives for the whole program.
            let iso: &'static str = Box::leak(g.iso3.into_boxed_str());
            match groups.iter_mut().find(|(name, _)| *name == g.group) {
                Some((_, members)) => members.push(iso),
                None => groups.push((g.group, vec![iso])),
            }
        }
        Registry {
            countries,
            by_key,
            groups,
        }
    })
}

/// Every country, territory and group entry, sorted by ISO3.
pub fn all() -> &'static [Country] {
    &registry().countries
}

/// Look a country up by ISO3, ISO2, display name or any alias, ignoring case, spaces and punctuation.
///
/// ```
/// let kor = reciprocity_data::registry::country("Korea, South").unwrap();
/// assert_eq!(kor.iso3, "KOR");
/// assert_eq!(reciprocity_data::registry::country("vnm").unwrap().name, "Vietnam");
/// ```
pub fn country(code_or_name: &str) -> Option<&'static Country> {
    let reg = registry();
    reg.by_key
        .get(&normalize(code_or_name))
        .map(|&i| &reg.countries[i])
}

/// The ISO3 members of a group (`EU27`; `EU` and `EUU` are accepted for it), sorted.
pub fn group(name: &str) -> Option<Vec<&'static str>> {
    let key = normalize(name);
    let key = match key.as_str() {
        "eu" | "euu" | "europeanunion" => "eu27".to_string(),
        _ => key,
    };
    registry()
        .groups
        .iter()
        .find(|(g, _)| normalize(g) == key)
        .map(|(_, members)| members.clone())
}

/// Names of the groups the registry knows.
pub fn group_names() -> Vec<&'static str> {
    registry().groups.iter().map(|(g, _)| g.as_str()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(query: &str, iso3: &str) {
        assert_eq!(
            country(query).map(|c| c.iso3.as_str()),
            Some(iso3),
            "{query}"
        );
    }

    #[test]
    fn lookups_by_code_name_and_alias() {
        check("USA", "USA");
        check("us", "USA");
        check("United States", "USA");
        check("Korea, South", "KOR");
        check("South Korea", "KOR");
        check("KR", "KOR");
        check("Burma", "MMR");
        check("Myanmar (Burma)", "MMR");
        check("Falkland Islands(Islas Malvin", "FLK"); // the Census spelling, truncated
        check("Gaza Strip admin. by Israel", "PSE");
        check("West Bank admin. by Israel", "PSE");
        check("Cote d'Ivoire", "CIV");
        check("Côte d’Ivoire", "CIV");
        check("Türkiye", "TUR");
        check("european union", "EUU");
        check("Taiwan", "TWN");
        check("Kosovo", "XKX");
        assert!(country("Atlantis").is_none());
        assert!(country("").is_none());
    }

    #[test]
    fn census_spellings_all_resolve_to_their_iso3() {
        for p in crate::embedded::census_2024() {
            for name in p.name.split(" + ") {
                check(name, &p.iso3);
            }
        }
    }

    #[test]
    fn chart_spellings_all_resolve_to_their_iso3() {
        for r in crate::embedded::official_rates_2025_04_02() {
            check(&r.chart_name, &r.iso3);
        }
    }

    #[test]
    fn no_alias_is_claimed_by_two_countries() {
        let mut seen: HashMap<String, &str> = HashMap::new();
        for c in all() {
            let mut keys: Vec<String> = std::iter::once(&c.name)
                .chain(&c.aliases)
                .map(|n| normalize(n))
                .collect();
            keys.sort();
            keys.dedup();
            for k in keys {
                if let Some(other) = seen.insert(k.clone(), &c.iso3) {
                    panic!("alias {k:?} claimed by {other} and {}", c.iso3);
                }
            }
        }
    }

    #[test]
    fn eu27_group() {
        let eu = group("EU27").unwrap();
        assert_eq!(eu.len(), 27);
        assert!(eu.contains(&"DEU") && eu.contains(&"CZE") && eu.contains(&"SVK"));
        assert!(!eu.contains(&"GBR"));
        assert_eq!(group("EU"), Some(eu.clone()));
        assert!(group("NAFTA").is_none());
        let mut sorted = eu.clone();
        sorted.sort();
        assert_eq!(sorted, eu);
    }

    #[test]
    fn registry_is_sorted_and_unique() {
        let codes: Vec<&str> = all().iter().map(|c| c.iso3.as_str()).collect();
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
        assert!(codes.len() >= 240, "{}", codes.len());
        assert!(codes
            .iter()
            .all(|c| c.len() == 3 && c.chars().all(|ch| ch.is_ascii_uppercase())));
    }
}
