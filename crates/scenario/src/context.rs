//! What resolving a scenario needs at every step: the dataset, the file's name for messages, and
//! the policy timeline the binary supplies.

use reciprocity_data::registry;
use reciprocity_model::Dataset;

use crate::ScenarioError;

/// The US tariffs in force on a date, supplied by the policy timeline (the binary provides it, so
/// this crate stays free of the registry's I/O).
pub trait PolicyRates {
    /// The additional US tariff (a fraction) on each dataset country's goods in each sector on
    /// `date` (YYYY-MM-DD); layout `[sector][country]`. Errors are messages for the user.
    fn us_additional_rates(&self, date: &str, data: &Dataset) -> Result<Vec<f64>, String>;
}

/// HS chapters → a dataset's sectors (the binary supplies the world's crosswalk, so this crate
/// stays free of the registry: `hs_chapters` layers).
pub trait HsSectors {
    /// The dataset sector (index) HS chapter `chapter` (1-97) falls in; `Ok(None)` for a chapter
    /// in no sector of the world. Errors are messages for the user (a world with no crosswalk).
    fn sector_of_chapter(&self, chapter: u16) -> Result<Option<usize>, String>;
}

/// A set of countries (indices into the dataset) and what was left out.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    /// Dataset indices.
    pub members: Vec<usize>,
    /// Names asked for that the dataset does not hold (members of a registry group).
    pub missing: Vec<String>,
}

/// The dataset and the file's name (for messages) every resolution step needs.
pub(crate) struct Ctx<'a> {
    pub(crate) origin: &'a str,
    pub(crate) data: &'a Dataset,
}

impl Ctx<'_> {
    pub(crate) fn invalid(
        &self,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ScenarioError {
        ScenarioError::Invalid {
            origin: self.origin.to_string(),
            key: key.into(),
            message: message.into(),
        }
    }

    /// Resolve country names: "all", ISO3 codes, dataset groups, registry groups, "non-XXX".
    pub(crate) fn select(
        &self,
        key: &str,
        names: &[String],
        exclude: &[String],
    ) -> Result<Selection, ScenarioError> {
        let mut members = Vec::new();
        let mut missing = Vec::new();
        let n = self.data.n_countries();
        let add = |i: usize, members: &mut Vec<usize>| {
            if !members.contains(&i) {
                members.push(i);
            }
        };
        for name in names {
            let trimmed = name.trim();
            if trimmed.eq_ignore_ascii_case("all") {
                (0..n).for_each(|i| add(i, &mut members));
            } else if let Some(rest) = trimmed.strip_prefix("non-") {
                let excluded = self.select(key, &[rest.to_string()], &[])?;
                (0..n)
                    .filter(|i| !excluded.members.contains(i))
                    .for_each(|i| add(i, &mut members));
            } else if let Some(i) = self.data.country_index(trimmed) {
                add(i, &mut members);
            } else if let Some(group) = self.data.groups.get(trimmed) {
                for code in group {
                    match self.data.country_index(code) {
                        Some(i) => add(i, &mut members),
                        None => missing.push(code.clone()),
                    }
                }
            } else if let Some(group) = registry::group(trimmed) {
                for code in group {
                    match self.data.country_index(code) {
                        Some(i) => add(i, &mut members),
                        None => missing.push(code.to_string()),
                    }
                }
            } else if registry::country(trimmed).is_some() {
                missing.push(trimmed.to_string());
            } else {
                return Err(self.invalid(
                    key,
                    format!("expected \"all\", an ISO3 code or a group (EU27, EU25, ...), found \"{trimmed}\""),
                ));
            }
        }
        if !exclude.is_empty() {
            let out = self.select(key, exclude, &[])?;
            members.retain(|i| !out.members.contains(i));
        }
        Ok(Selection { members, missing })
    }

    pub(crate) fn sectors(
        &self,
        key: &str,
        names: &Option<Vec<String>>,
    ) -> Result<Vec<usize>, ScenarioError> {
        let k = self.data.n_sectors();
        match names {
            None => Ok((0..k).collect()),
            Some(list) => {
                let mut out = Vec::new();
                for name in list {
                    if name.eq_ignore_ascii_case("all") {
                        return Ok((0..k).collect());
                    }
                    match self.data.sector_index(name) {
                        Some(s) => out.push(s),
                        None => {
                            return Err(self.invalid(
                                key,
                                format!(
                                    "unknown sector \"{name}\"; the data have {}",
                                    self.data.sectors.join(", ")
                                ),
                            ))
                        }
                    }
                }
                Ok(out)
            }
        }
    }
}

pub(crate) fn check_rate(ctx: &Ctx, key: &str, rate: f64) -> Result<f64, ScenarioError> {
    if !rate.is_finite() || rate <= -1.0 || rate > 100.0 {
        return Err(ctx.invalid(
            key,
            format!("expected a tariff as a fraction in (−1, 100] (0.1 = 10%), found {rate}"),
        ));
    }
    Ok(rate)
}
