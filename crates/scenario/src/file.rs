//! The scenario file format (serde types; unknown keys are errors).

use serde::Deserialize;

use crate::ScenarioError;

/// A parsed scenario file.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// Display name (defaults to the file stem).
    pub name: Option<String>,
    /// Free text: what the scenario reproduces and its source.
    pub description: Option<String>,
    /// Model preset and overrides.
    #[serde(default)]
    pub model: ModelSpec,
    /// Tariff layers, applied in order.
    #[serde(default)]
    pub tariffs: Vec<TariffLayer>,
    /// Retaliation rules, applied after the layers, in order.
    #[serde(default)]
    pub retaliation: Vec<RetaliationRule>,
    /// Country groups to average results over, e.g. ["EU25", "non-USA"].
    #[serde(default)]
    pub report_groups: Vec<String>,
}

/// `[model]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ModelSpec {
    /// `ilms` (default) or `textbook`.
    pub preset: Option<String>,
    /// Variants of docs/model.md §5: `lump-sum`, `partial-passthrough`, `eaton-kortum`, `balanced-with-us`, `balanced-trade`.
    #[serde(default)]
    pub variant: Vec<String>,
    /// ε: a number, one number per sector, "data" (the dataset's own elasticities) or
    /// "ilms-table7" (ILMS Table 7 as the authors' multi-sector code uses it, on their four sectors).
    pub epsilon: Option<Epsilon>,
    /// κ override.
    pub kappa: Option<f64>,
    /// ψ override.
    pub psi: Option<f64>,
    /// The additive φ shift (1 baseline; 0.25 incomplete pass-through).
    pub passthrough_shift: Option<f64>,
    /// `income-tax-relief` or `lump-sum`.
    pub revenue: Option<String>,
    /// ν: "two-region" or a number for every country.
    pub nu: Option<Nu>,
    /// The anchor country (default USA).
    pub anchor: Option<String>,
}

/// ε in a scenario.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Epsilon {
    /// One value for every sector.
    Uniform(f64),
    /// One value per sector.
    PerSector(Vec<f64>),
    /// "data".
    Keyword(String),
}

/// ν in a scenario.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Nu {
    /// One value for every country.
    Uniform(f64),
    /// "two-region".
    Keyword(String),
}

/// `[[tariffs]]`: set (or add) the tariff the importers levy on the exporters' goods.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TariffLayer {
    /// Who levies: ISO3 codes, groups (EU27, EU25, any dataset group) or "all".
    pub importers: Vec<String>,
    /// On whose goods.
    pub exporters: Vec<String>,
    /// Countries removed from both sides.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Sector codes or "all" (default).
    pub sectors: Option<Vec<String>>,
    /// HS chapters ("87", "72", or "all": every chapter), instead of `sectors`: the layer taxes the
    /// world's sectors these chapters fall in, by the world's HS crosswalk (docs/sector-world.md).
    pub hs_chapters: Option<Vec<String>>,
    /// A uniform rate (fraction: 0.1 = 10%).
    pub rate: Option<f64>,
    /// A per-exporter column of the dataset (e.g. `us_tariff_liberation_day`).
    pub column: Option<String>,
    /// Embedded official US rates by exporter: "2025-04-02" (chart), "2025-04-02-annex"
    /// (as implemented) or "2025-08-07" (EO 14326).
    pub official: Option<String>,
    /// The closed-form optimal tariff of each importer: "expenditure" or "income" denominator.
    pub optimal: Option<String>,
    /// The additional US tariffs in force on this date (YYYY-MM-DD), by exporter and sector, from
    /// the policy timeline (importers must be the anchor, the US).
    pub tariffs_at: Option<String>,
    /// A lower bound applied to this layer's rates.
    pub floor: Option<f64>,
    /// "set" (default) or "add".
    pub mode: Option<String>,
}

/// `[[retaliation]]`: what the `by` countries levy on the `target`'s goods.
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RetaliationRule {
    /// `reciprocal` (mirror the target's rate on each), `optimal` (two-region ILMS rate) or `explicit`.
    pub rule: String,
    /// The country retaliated against (default: the anchor).
    pub target: Option<String>,
    /// The retaliating countries (default: all others).
    #[serde(default)]
    pub by: Vec<String>,
    /// Countries removed from `by`.
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Sector codes or "all" (default).
    pub sectors: Option<Vec<String>>,
    /// The rate for `explicit`.
    pub rate: Option<f64>,
}

/// Parse a scenario from TOML text; `origin` names the file in errors.
pub fn parse(text: &str, origin: &str) -> Result<ScenarioFile, ScenarioError> {
    toml::from_str(text).map_err(|e| ScenarioError::Parse {
        origin: origin.to_string(),
        message: e.to_string().trim_end().replace('\n', " "),
    })
}
