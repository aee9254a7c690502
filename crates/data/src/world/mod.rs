//! The embedded default world: a one-sector bilateral trade matrix imputed from compact public
//! figures, so that the GE engine runs without `../shared/data` (docs/embedded-world.md).
//!
//! Inputs, all compiled into the binary:
//! - per country (`embedded/world_countries.csv`): GDP (World Bank WDI), total goods exports and
//!   imports (row and column totals of CEPII BACI 2023, as in ILMS 2025), capital coordinates (GeoNames);
//! - US exports to and imports from every partner: Census 2024 ([`crate::embedded::census_2024`]);
//! - the April 2, 2025 rates ([`crate::embedded::official_rates_2025_04_02`]).
//!
//! Method: the US row and column are the Census values (USD / 1000). The non-US block starts from the
//! gravity prior X⁰_ji = GDP_j GDP_i / distance_ji between capitals and is scaled by RAS so that each
//! country's row sum is its total exports less its exports to the US, and each column sum its total
//! imports less its imports from the US. A negative remainder (Census US trade above the BACI total)
//! is set to 0, and the two target totals are brought to their mean (BACI 2023 and Census 2024
//! disagree on US trade), both reported in [`WorldReport`].
//!
//! ```
//! let world = reciprocity_data::world::embedded_world().unwrap();
//! let us = world.country_index("USA").unwrap();
//! let chn = world.country_index("CHN").unwrap();
//! // US imports from China are the Census 2024 figure, in thousand USD.
//! assert_eq!(world.flow_table().get(0, chn, us), 438_947_386.145);
//! assert_eq!(world.columns["us_tariff_liberation_day"][chn], 0.54);
//! ```

mod gravity;
mod headline;
pub mod icio;
mod ras;
mod tariffs;

use std::collections::BTreeMap;

use reciprocity_model::Dataset;

pub use gravity::{gravity_prior, great_circle_km, EARTH_RADIUS_KM};
pub use headline::{
    headline_figures, headline_sources, ColumnSource, Headline, WORLD_COUNTRIES_CSV,
    WORLD_SOURCES_CSV,
};
pub use ras::{ras, RasOptions, RasReport};
pub use tariffs::{liberation_day_rate, RateRule, CHINA_FENTANYL_PCT};

use crate::Error;

/// The name of the dataset [`embedded_world`] returns.
pub const EMBEDDED_WORLD_NAME: &str =
    "Embedded world (gravity + RAS from WDI GDP, BACI 2023 totals, Census 2024 US trade)";

/// The anchor country whose row and column are data, not imputed.
pub const ANCHOR: &str = "USA";

/// Census partners that BACI and WDI (hence ILMS) fold into another country: their US trade is
/// added to that country's.
pub const MERGED_INTO: [(&str, &str); 2] = [("MCO", "FRA"), ("LIE", "CHE")];

/// The countries the ILMS model's EU group leaves out of EU27.
pub const NOT_IN_EU25: [&str; 2] = ["CZE", "SVK"];

/// A Census 2024 partner left out of the world, with its US trade (USD).
#[derive(Debug, Clone, PartialEq)]
pub struct DroppedPartner {
    /// ISO3.
    pub iso3: String,
    /// The Census name.
    pub name: String,
    /// US exports to it, USD.
    pub us_exports_usd: f64,
    /// US imports from it, USD.
    pub us_imports_usd: f64,
}

/// Which total a clamped target belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Total exports less exports to the US.
    Exports,
    /// Total imports less imports from the US.
    Imports,
}

/// A country whose Census trade with the US exceeds its BACI total: its non-US target is set to 0.
#[derive(Debug, Clone, PartialEq)]
pub struct ClampedTarget {
    /// ISO3.
    pub iso3: String,
    /// Exports or imports.
    pub side: Side,
    /// The BACI 2023 total, thousand USD.
    pub total_kusd: f64,
    /// The Census 2024 flow with the US, thousand USD.
    pub us_flow_kusd: f64,
}

/// How the embedded world was built: what was dropped, clamped and reconciled, and how RAS ended.
#[derive(Debug, Clone, PartialEq)]
pub struct WorldReport {
    /// Census partners without headline figures (no WDI GDP or not in BACI/ILMS), by ISO3.
    pub dropped: Vec<DroppedPartner>,
    /// Census partners merged into another country (`MERGED_INTO`).
    pub merged: Vec<(String, String)>,
    /// Non-US targets clamped at 0.
    pub clamped: Vec<ClampedTarget>,
    /// Σ of the non-US export targets before reconciliation, thousand USD.
    pub export_targets_kusd: f64,
    /// Σ of the non-US import targets before reconciliation, thousand USD.
    pub import_targets_kusd: f64,
    /// How RAS ended on the non-US block.
    pub ras: RasReport,
    /// The rule behind each country's Liberation Day rate, in dataset order.
    pub rate_rules: Vec<RateRule>,
}

/// The embedded default world (see the module docs): 194 countries, one sector `TOTAL`, flows
/// without the domestic diagonal in thousand USD, GDP, `columns["us_tariff_liberation_day"]`,
/// `groups["EU27"]` and `groups["EU25"]`. Ready for `ge::calibrate(&world, &ge::Params::ilms())`.
pub fn embedded_world() -> Result<Dataset, Error> {
    build_embedded_world(RasOptions::default()).map(|(world, _)| world)
}

/// [`embedded_world`] with the report of how it was built.
pub fn build_embedded_world(options: RasOptions) -> Result<(Dataset, WorldReport), Error> {
    let heads = headline_figures()?;
    let n = heads.len();
    let countries: Vec<String> = heads.iter().map(|h| h.iso3.clone()).collect();
    let us = countries
        .iter()
        .position(|c| c == ANCHOR)
        .ok_or_else(|| Error::Invalid(format!("the headline table lacks {ANCHOR}")))?;

    let trade = us_trade(&countries, us)?;
    let targets = non_us_targets(&heads, &countries, us, &trade);
    let gdp: Vec<f64> = heads.iter().map(|h| h.gdp_kusd).collect();
    let prior = non_us_prior(&heads, &gdp, &countries, us)?;
    let (mut flows, ras_report) = ras(&prior, &targets.rows, &targets.columns, options)?;
    for k in 0..n {
        flows[us * n + k] = trade.exports[k];
        flows[k * n + us] = trade.imports[k];
    }
    flows[us * n + us] = 0.0;

    let eu27: Vec<&str> = crate::registry::group("EU27")
        .ok_or_else(|| Error::Invalid("the registry has no EU27 group".into()))?;
    let mut rates = Vec::with_capacity(n);
    let mut rate_rules = Vec::with_capacity(n);
    for iso in &countries {
        let (rate, rule) = liberation_day_rate(iso, &eu27)?;
        rates.push(rate);
        rate_rules.push(rule);
    }
    let groups = eu_groups(&eu27, &countries);

    let mut world = Dataset::zeros(EMBEDDED_WORLD_NAME, countries, vec!["TOTAL".to_string()]);
    world.country_names = heads.iter().map(|h| h.name.clone()).collect();
    world.flows = flows;
    world.gdp = Some(gdp);
    world.has_domestic_flows = false;
    world
        .columns
        .insert("us_tariff_liberation_day".to_string(), rates);
    world.groups = groups;
    world.units = "thousand USD".to_string();
    let report = WorldReport {
        dropped: trade.dropped,
        merged: trade.merged,
        clamped: targets.clamped,
        export_targets_kusd: targets.export_total_kusd,
        import_targets_kusd: targets.import_total_kusd,
        ras: ras_report,
        rate_rules,
    };
    Ok((world, report))
}

/// US trade with each country of the headline table, thousand USD, from Census 2024.
struct UsTrade {
    /// US exports to each country.
    exports: Vec<f64>,
    /// US imports from each country.
    imports: Vec<f64>,
    /// Census partners left out.
    dropped: Vec<DroppedPartner>,
    /// Census partners merged into another country, (from, into).
    merged: Vec<(String, String)>,
}

/// US trade by partner (Census USD → thousand USD), merging what BACI merges (`MERGED_INTO`),
/// dropping partners outside the headline table. Fails when a country other than the US (at `us`)
/// has no Census figures.
fn us_trade(countries: &[String], us: usize) -> Result<UsTrade, Error> {
    let n = countries.len();
    let position = |iso: &str| countries.iter().position(|c| c == iso);
    let mut trade = UsTrade {
        exports: vec![0.0; n],
        imports: vec![0.0; n],
        dropped: Vec::new(),
        merged: Vec::new(),
    };
    let mut in_census = vec![false; n];
    for p in crate::embedded::census_2024() {
        let into = MERGED_INTO
            .iter()
            .find(|(from, _)| *from == p.iso3)
            .map(|(_, to)| *to);
        match position(into.unwrap_or(&p.iso3)) {
            Some(i) if i != us => {
                trade.exports[i] += p.exports_usd / 1000.0;
                trade.imports[i] += p.imports_usd / 1000.0;
                in_census[i] = true;
                if let Some(to) = into {
                    trade.merged.push((p.iso3.clone(), to.to_string()));
                }
            }
            _ => trade.dropped.push(DroppedPartner {
                iso3: p.iso3.clone(),
                name: p.name.clone(),
                us_exports_usd: p.exports_usd,
                us_imports_usd: p.imports_usd,
            }),
        }
    }
    if let Some(missing) = (0..n).find(|&i| i != us && !in_census[i]) {
        return Err(Error::Invalid(format!(
            "{}: in the headline table but not in Census 2024",
            countries[missing]
        )));
    }
    Ok(trade)
}

/// The margins RAS fits on the non-US block.
struct Targets {
    /// Row (export) targets, reconciled.
    rows: Vec<f64>,
    /// Column (import) targets, reconciled.
    columns: Vec<f64>,
    /// Targets clamped at 0.
    clamped: Vec<ClampedTarget>,
    /// Σ of the export targets before reconciliation.
    export_total_kusd: f64,
    /// Σ of the import targets before reconciliation.
    import_total_kusd: f64,
}

/// Non-US targets: each country's total exports (imports) less its trade with the US, clamped at
/// 0 (0 for the US itself); then both margins are brought proportionally to their mean, since world
/// exports must equal world imports.
fn non_us_targets(heads: &[Headline], countries: &[String], us: usize, trade: &UsTrade) -> Targets {
    let n = countries.len();
    let mut clamped = Vec::new();
    let mut target = |i: usize, side: Side, total: f64, with_us: f64| {
        if i == us {
            return 0.0;
        }
        let rest = total - with_us;
        if rest < 0.0 {
            clamped.push(ClampedTarget {
                iso3: countries[i].clone(),
                side,
                total_kusd: total,
                us_flow_kusd: with_us,
            });
        }
        rest.max(0.0)
    };
    let mut rows: Vec<f64> = (0..n)
        .map(|j| target(j, Side::Exports, heads[j].exports_kusd, trade.imports[j]))
        .collect();
    let mut columns: Vec<f64> = (0..n)
        .map(|i| target(i, Side::Imports, heads[i].imports_kusd, trade.exports[i]))
        .collect();
    let export_total_kusd: f64 = rows.iter().sum();
    let import_total_kusd: f64 = columns.iter().sum();
    // World exports must equal world imports: bring both margins to their mean, proportionally.
    let mean = 0.5 * (export_total_kusd + import_total_kusd);
    rows.iter_mut().for_each(|v| *v *= mean / export_total_kusd);
    columns
        .iter_mut()
        .for_each(|v| *v *= mean / import_total_kusd);
    Targets {
        rows,
        columns,
        clamped,
        export_total_kusd,
        import_total_kusd,
    }
}

/// The gravity prior GDP_j GDP_i / distance_ji with the US row and column zeroed (they are data).
/// Fails when two countries share capital coordinates (an infinite prior).
fn non_us_prior(
    heads: &[Headline],
    gdp: &[f64],
    countries: &[String],
    us: usize,
) -> Result<Vec<f64>, Error> {
    let n = countries.len();
    let capitals: Vec<(f64, f64)> = heads
        .iter()
        .map(|h| (h.capital_lat, h.capital_lon))
        .collect();
    let mut prior = gravity_prior(gdp, &capitals);
    for k in 0..n {
        prior[us * n + k] = 0.0;
        prior[k * n + us] = 0.0;
    }
    if let Some(bad) = prior.iter().position(|v| !v.is_finite()) {
        return Err(Error::Invalid(format!(
            "gravity prior: {} and {} have the same capital coordinates",
            countries[bad / n],
            countries[bad % n]
        )));
    }
    Ok(prior)
}

/// The groups `EU27` (the registry's members present in the world) and `EU25` (less
/// `NOT_IN_EU25`).
fn eu_groups(eu27: &[&str], countries: &[String]) -> BTreeMap<String, Vec<String>> {
    let eu27_here: Vec<String> = eu27
        .iter()
        .filter(|c| countries.iter().any(|x| x == *c))
        .map(|c| c.to_string())
        .collect();
    let eu25: Vec<String> = eu27_here
        .iter()
        .filter(|c| !NOT_IN_EU25.contains(&c.as_str()))
        .cloned()
        .collect();
    let mut groups = BTreeMap::new();
    groups.insert("EU27".to_string(), eu27_here);
    groups.insert("EU25".to_string(), eu25);
    groups
}
