//! Building the multi-sector world of today from OECD ICIO 2022 (`reciprocity world build`):
//! resolve the input paths (defaults inside `../shared/data`), build, write the dataset folder
//! atomically, and return every step's report with the validation table (docs/sector-world.md).

use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::NaiveDate;
use reciprocity_data::world::icio::{
    self, AppliedBaseline, Baseline, BuildReport, IcioInputs, SectorMap, SectorValidation,
};

use crate::{Result, ServiceError};

/// Which baseline tariffs the built world carries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum BaselineTariffs {
    /// Applied tariffs on every pair and goods sector (docs/sector-world.md, "Baseline tariffs").
    #[default]
    Applied,
    /// Zero everywhere, as ILMS (2025) start from.
    Zero,
}

/// What to build and where. `None` paths default to `../shared/data` (found by
/// [`reciprocity_data::shared_data_dir`]).
#[derive(Debug, Clone, Default)]
pub struct WorldBuildRequest {
    /// The `icio2022/` folder.
    pub icio: Option<PathBuf>,
    /// The `ilms2025/` folder (BACI 2023 pairs and WDI GDP).
    pub baci: Option<PathBuf>,
    /// `us_trade_2024_by_country.csv` (Census 2024).
    pub census: Option<PathBuf>,
    /// The output folder (replaced atomically when it exists).
    pub out: PathBuf,
    /// A sector map CSV (`icio_code,sector`); the default 25-sector map when `None`.
    pub sectors: Option<PathBuf>,
    /// Census 2024 US imports by partner and HS8 (`tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv`)
    /// for the US import column's sector mix and the by-sector check; both skipped (with a note)
    /// when absent.
    pub census_hs8: Option<PathBuf>,
    /// HS6 → ISIC Rev. 4 (`crosswalks/concordance_hs6_isic4.csv`) for the by-sector check.
    pub concordance: Option<PathBuf>,
    /// Zero or applied baseline tariffs (applied by default).
    pub baseline_tariffs: BaselineTariffs,
    /// `partner_tariffs/` (WITS, WDI, WTO) for the applied baseline.
    pub partner_tariffs: Option<PathBuf>,
    /// `ll2023_wiod2014/` (the 2014 zero-tariff pattern) for the applied baseline.
    pub ll2023: Option<PathBuf>,
    /// The baseline date: agreements in force, US rates and partners' retaliation on this day
    /// (default 2024-12-31).
    pub tariffs_as_of: Option<NaiveDate>,
}

/// The built world: where it was written, its shape and the report of every step.
#[derive(Debug, Clone)]
pub struct WorldBuildResult {
    /// The folder written.
    pub out: PathBuf,
    /// Countries (80 + ROW).
    pub countries: usize,
    /// Sector codes, in dataset order.
    pub sectors: Vec<String>,
    /// What each step did, and the validation.
    pub report: BuildReport,
    /// Wall time of the build and the write, seconds.
    pub seconds: f64,
    /// US imports by sector vs Census HS8 for the 10 largest partners, when the files are there.
    pub by_sector: Option<SectorValidation>,
    /// Why the by-sector check was skipped, when it was.
    pub by_sector_note: Option<String>,
}

fn resolve(
    given: Option<PathBuf>,
    field: &'static str,
    default: impl FnOnce(&Path) -> PathBuf,
) -> Result<PathBuf> {
    let path = match given {
        Some(p) => p,
        None => {
            let shared = reciprocity_data::shared_data_dir().ok_or_else(|| {
                ServiceError::bad_field(
                    field,
                    "no path given and no ../shared/data found (set RECIPROCITY_SHARED_DATA or pass the path)",
                )
            })?;
            default(&shared)
        }
    };
    if !path.exists() {
        return Err(ServiceError::bad_field(
            field,
            format!("{}: no such file or folder", path.display()),
        ));
    }
    Ok(path)
}

/// The inputs of the applied baseline: the two folders (defaults in `../shared/data`), the date
/// (default 2024-12-31) and the US column from the policy engine, with the HS detail of
/// `shared/tariffs_hs2` as weights.
pub fn applied_baseline(
    partner_tariffs: Option<PathBuf>,
    ll2023: Option<PathBuf>,
    as_of: Option<NaiveDate>,
    shared: Option<&Path>,
) -> Result<Baseline> {
    let partner_tariffs = resolve(partner_tariffs, "partner_tariffs", |s| {
        s.join("partner_tariffs")
    })?;
    let ll2023 = resolve(ll2023, "ll2023", |s| s.join("ll2023_wiod2014"))?;
    // The default: the last day before the 2025 measures, the costs' baseline too.
    let as_of = as_of.unwrap_or_else(crate::costs::baseline_date);
    let us = crate::world_tariffs::us_baseline_tariffs(shared, as_of)?;
    // The retaliation lists and the concordance are read only when a list measure is in force on
    // `as_of`; the data crate says which file is missing then.
    let in_shared = |rel: &str| shared.map(|s| s.join(rel)).filter(|p| p.exists());
    Ok(Baseline::Applied(Box::new(AppliedBaseline {
        partner_tariffs,
        ll2023,
        as_of: as_of.format("%Y-%m-%d").to_string(),
        us,
        retaliation_lists: in_shared("tariffs_hs2/retaliation"),
        concordance: in_shared("crosswalks/concordance_hs6_isic4.csv"),
    })))
}

/// Build the ICIO world and write it to `request.out`.
pub fn build_world(request: WorldBuildRequest) -> Result<WorldBuildResult> {
    let icio_dir = resolve(request.icio, "icio", |s| s.join("icio2022"))?;
    let baci = resolve(request.baci, "baci", |s| s.join("ilms2025"))?;
    let census = resolve(request.census, "census", |s| {
        s.join("us_trade_2024_by_country.csv")
    })?;
    let sectors = match &request.sectors {
        Some(p) => SectorMap::read(p)?,
        None => SectorMap::default_map(),
    };
    if request.out.as_os_str().is_empty() {
        return Err(ServiceError::bad_field("out", "expected an output folder"));
    }
    let shared = reciprocity_data::shared_data_dir();
    let baseline = match request.baseline_tariffs {
        BaselineTariffs::Zero => Baseline::Zero,
        BaselineTariffs::Applied => applied_baseline(
            request.partner_tariffs.clone(),
            request.ll2023.clone(),
            request.tariffs_as_of,
            shared.as_deref(),
        )?,
    };
    let locate =
        |given: Option<PathBuf>, rel: &str| given.or_else(|| shared.as_ref().map(|s| s.join(rel)));
    let hs8 = locate(
        request.census_hs8,
        "tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv",
    );
    let concordance = locate(request.concordance, "crosswalks/concordance_hs6_isic4.csv");
    let (census_by_sector, by_sector_note) = match (hs8, concordance) {
        (Some(h), Some(c)) if h.is_file() && c.is_file() => (Some((h, c)), None),
        (h, c) => (
            None,
            Some(format!(
                "US import column by partner only, by-sector check skipped: need the Census HS8 file ({}) and the HS6-ISIC concordance ({})",
                h.map_or("not given".into(), |p| p.display().to_string()),
                c.map_or("not given".into(), |p| p.display().to_string())
            )),
        ),
    };
    let inputs = IcioInputs {
        icio: icio_dir,
        baci,
        census,
        census_by_sector,
        sectors,
        fob_to_basic: icio::FOB_TO_BASIC,
        baseline,
    };
    let start = Instant::now();
    let (ds, report) = icio::build_and_write(&inputs, &request.out)?;
    let seconds = start.elapsed().as_secs_f64();
    let by_sector = match &report.census_by_sector {
        Some(census) => Some(icio::check_us_imports_by_sector(
            &ds,
            &inputs.sectors,
            census,
            Some(&report.us_imports_before_rebalance),
        )?),
        None => None,
    };
    Ok(WorldBuildResult {
        out: request.out,
        countries: ds.n_countries(),
        sectors: ds.sectors.clone(),
        report,
        seconds,
        by_sector,
        by_sector_note,
    })
}
