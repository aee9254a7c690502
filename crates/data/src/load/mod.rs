//! Dataset loaders: each recognised folder layout becomes one [`Dataset`], read in place.
//!
//! | layout | recognised by | flows |
//! |---|---|---|
//! | ILMS 2025 | `trade_cepii.csv` + `country_labels.csv` + `gdp.csv` + `tariffs.csv` | thousand USD, no diagonal |
//! | Ossa 2014 | `bilateral.csv` + `regions.csv` + `sectors.csv` | million USD, with diagonal |
//! | LL 2023 | `ll2023_wiod2014_44x44x16_trade_tariffs.csv` + `ll2023_sector_params.csv` | million USD, with diagonal, 16 sectors |
//! | gegravity | a CSV with `exporter,importer,trade,Y,E` (or a folder with `sample_data_set.csv`) | with diagonal |
//! | long CSV | a CSV with `exporter,importer,value` (+ `sector`, `tariff`), or a folder with `flows.csv` (+ `gdp.csv`) | as given |
//!
//! Every loader records row-level problems instead of stopping at the first, so that
//! [`check_dataset`] can list them all; [`load_dataset`] fails on the first one.

mod gegravity;
mod ilms;
mod ll2023;
mod long;
mod ossa;

use std::path::{Path, PathBuf};

use reciprocity_model::Dataset;

use crate::table::at;
use crate::Error;

/// The dataset layouts the loaders recognise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// `ilms2025/`: 194 countries, one sector, BACI 2023 (Ignatenko et al. 2025).
    Ilms2025,
    /// `ossa2014/`: 7 regions × 33 GTAP sectors with tariffs and domestic flows (Ossa 2014).
    Ossa2014,
    /// The gegravity sample: 30 countries with domestic flows, one sector.
    Gegravity,
    /// `ll2023_wiod2014/`: 44 regions × 16 sectors, WIOD 2014 with tariffs (Lashkaripour-Lugovskyy 2023).
    Ll2023,
    /// A long CSV `exporter,importer[,sector],value[,tariff]`, optional `gdp.csv`.
    LongCsv,
}

impl Layout {
    /// A short name for messages.
    pub fn name(self) -> &'static str {
        match self {
            Layout::Ilms2025 => "ilms2025",
            Layout::Ossa2014 => "ossa2014",
            Layout::Gegravity => "gegravity",
            Layout::Ll2023 => "ll2023",
            Layout::LongCsv => "long CSV",
        }
    }
}

/// Problems and notes collected while loading.
#[derive(Debug, Default)]
pub(crate) struct Diag {
    /// Every problem found (each an `Error::At`).
    pub problems: Vec<Error>,
    /// What was dropped, zero-filled or ignored, with counts and reasons.
    pub notes: Vec<String>,
}

impl Diag {
    pub fn problem(&mut self, e: Error) {
        self.problems.push(e);
    }
    pub fn note(&mut self, s: impl Into<String>) {
        self.notes.push(s.into());
    }
}

/// The outcome of [`check_dataset`].
#[derive(Debug)]
pub struct CheckReport {
    /// The path checked.
    pub path: PathBuf,
    /// The layout recognised, if any.
    pub layout: Option<Layout>,
    /// The dataset, when it could be built (it may still have problems).
    pub dataset: Option<Dataset>,
    /// Every problem found, each naming file, line and field. Empty means valid.
    pub problems: Vec<Error>,
    /// What was dropped, zero-filled or ignored, with counts and reasons.
    pub notes: Vec<String>,
}

/// Recognise the layout of a folder or file.
pub fn detect(path: &Path) -> Result<Layout, Error> {
    let shown = path.display().to_string();
    if path.is_dir() {
        let has = |f: &str| path.join(f).is_file();
        if has("trade_cepii.csv")
            && has("country_labels.csv")
            && has("gdp.csv")
            && has("tariffs.csv")
        {
            return Ok(Layout::Ilms2025);
        }
        if has("bilateral.csv") && has("regions.csv") && has("sectors.csv") {
            return Ok(Layout::Ossa2014);
        }
        if has("sample_data_set.csv") {
            return Ok(Layout::Gegravity);
        }
        if has(ll2023::FLOWS) && has(ll2023::PARAMS) {
            return Ok(Layout::Ll2023);
        }
        if has("flows.csv") {
            return Ok(Layout::LongCsv);
        }
        let mut found: Vec<String> = std::fs::read_dir(path)
            .map_err(|cause| Error::Io {
                file: shown.clone(),
                cause,
            })?
            .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect();
        found.sort();
        let found = if found.is_empty() {
            "an empty folder".to_string()
        } else {
            found.join(", ")
        };
        return Err(at(
            &shown,
            0,
            "layout",
            format!(
                "expected a dataset folder (ilms2025: trade_cepii.csv, country_labels.csv, gdp.csv, tariffs.csv; \
                 ossa2014: bilateral.csv, regions.csv, sectors.csv; gegravity: sample_data_set.csv; \
                 ll2023: ll2023_wiod2014_44x44x16_trade_tariffs.csv, ll2023_sector_params.csv; \
                 long CSV: flows.csv [+ gdp.csv]), found: {found}"
            ),
        ));
    }
    if !path.exists() {
        return Err(Error::Io {
            file: shown,
            cause: std::io::Error::new(std::io::ErrorKind::NotFound, "no such file or folder"),
        });
    }
    // A single CSV file: look at its header.
    let table = crate::table::Table::read(path)?;
    let has = |c: &str| table.find(c).is_some();
    if has("exporter") && has("importer") && has("trade") && has("Y") && has("E") {
        return Ok(Layout::Gegravity);
    }
    if has("exporter") && has("importer") {
        return Ok(Layout::LongCsv);
    }
    Err(at(
        &shown,
        1,
        "header",
        format!(
            "expected a long CSV header `exporter,importer[,sector],value[,tariff]` or the gegravity header \
             `exporter,importer,year,trade,Y,E`, found: {}",
            table.headers.join(",")
        ),
    ))
}

/// Load a dataset from a folder or file, recognising its layout. Fails on the first problem
/// (the message says how many more there are; `reciprocity data check` lists them all).
///
/// ```no_run
/// let world = reciprocity_data::load_dataset(std::path::Path::new("../shared/data/ilms2025")).unwrap();
/// assert_eq!(world.n_countries(), 194);
/// ```
pub fn load_dataset(path: &Path) -> Result<Dataset, Error> {
    let report = check_dataset(path)?;
    let more = report.problems.len().saturating_sub(1);
    match report.problems.into_iter().next() {
        Some(Error::At {
            file,
            line,
            field,
            message,
        }) if more > 0 => Err(Error::At {
            file,
            line,
            field,
            message: format!(
                "{message} (and {more} more problems; run `reciprocity data check {}`)",
                path.display()
            ),
        }),
        Some(first) => Err(first),
        None => report
            .dataset
            .ok_or_else(|| Error::Invalid(format!("{}: no dataset was built", path.display()))),
    }
}

/// Load and validate a dataset, collecting every problem. `Err` only when the layout cannot be
/// recognised or a file is unusable as a whole (missing, empty, malformed, missing column).
pub fn check_dataset(path: &Path) -> Result<CheckReport, Error> {
    let layout = detect(path)?;
    let mut d = Diag::default();
    let dataset = match layout {
        Layout::Ilms2025 => ilms::load(path, &mut d)?,
        Layout::Ossa2014 => ossa::load(path, &mut d)?,
        Layout::Gegravity => {
            let file = if path.is_dir() {
                path.join("sample_data_set.csv")
            } else {
                path.to_path_buf()
            };
            gegravity::load(&file, &mut d)?
        }
        Layout::Ll2023 => ll2023::load(path, &mut d)?,
        Layout::LongCsv => long::load(path, &mut d)?,
    };
    validate(&dataset, &path.display().to_string(), &mut d);
    Ok(CheckReport {
        path: path.to_path_buf(),
        layout: Some(layout),
        dataset: Some(dataset),
        problems: d.problems,
        notes: d.notes,
    })
}

/// Checks every layout shares: shapes, finite non-negative flows, tariffs above −100 %, positive
/// GDP, and (when the data carry domestic flows) a diagonal for every country.
pub(crate) fn validate(ds: &Dataset, file: &str, d: &mut Diag) {
    let n = ds.n_countries();
    let k = ds.n_sectors();
    if n == 0 || k == 0 {
        // Every row was rejected: the row problems already say why.
        if !d.problems.is_empty() {
            return;
        }
        d.problem(at(
            file,
            0,
            "countries",
            "expected at least one country and one sector, found none",
        ));
        return;
    }
    if ds.flows.len() != n * n * k || ds.tariffs.len() != n * n * k {
        d.problem(at(
            file,
            0,
            "flows",
            format!(
                "expected {} cells (N·N·K), found {}",
                n * n * k,
                ds.flows.len()
            ),
        ));
        return;
    }
    if let Some(gdp) = &ds.gdp {
        for (i, g) in gdp.iter().enumerate() {
            if !(g.is_finite() && *g > 0.0) {
                d.problem(at(
                    file,
                    0,
                    "gdp",
                    format!("{}: expected a positive GDP, found {g}", ds.countries[i]),
                ));
            }
        }
    }
    if let Some(eps) = &ds.trade_elasticity {
        for (s, e) in eps.iter().enumerate() {
            if !(e.is_finite() && *e > 0.0) {
                d.problem(at(
                    file,
                    0,
                    "trade_elasticity",
                    format!("{}: expected > 0, found {e}", ds.sectors[s]),
                ));
            }
        }
    }
    let mut bad_flows = 0usize;
    let mut bad_tariffs = 0usize;
    for (&f, &t) in ds.flows.iter().zip(&ds.tariffs) {
        bad_flows += usize::from(!(f.is_finite() && f >= 0.0));
        bad_tariffs += usize::from(!(t.is_finite() && t > -1.0));
    }
    if bad_flows > 0 {
        d.problem(at(
            file,
            0,
            "flows",
            format!("expected finite flows ≥ 0, found {bad_flows} that are not"),
        ));
    }
    if bad_tariffs > 0 {
        d.problem(at(
            file,
            0,
            "tariffs",
            format!("expected finite tariffs > −1, found {bad_tariffs} that are not"),
        ));
    }
    if ds.has_domestic_flows {
        for i in 0..n {
            let domestic = ds.flow_table().bilateral_sum(i, i);
            if domestic <= 0.0 {
                d.problem(at(
                    file,
                    0,
                    "diagonal",
                    format!(
                        "{}: expected domestic sales (exporter = importer) > 0, found none",
                        ds.countries[i]
                    ),
                ));
            }
        }
    }
}

/// The folder of the shared real data: `$RECIPROCITY_SHARED_DATA` if set, else the first
/// `shared/data` found beside an ancestor of the current directory or of the executable
/// (so `<workspace>/../shared/data` from inside the workspace).
pub fn shared_data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("RECIPROCITY_SHARED_DATA") {
        let dir = PathBuf::from(dir);
        return dir.is_dir().then_some(dir);
    }
    let starts = [std::env::current_dir().ok(), std::env::current_exe().ok()];
    for start in starts.into_iter().flatten() {
        for ancestor in start.ancestors() {
            let candidate = ancestor.join("shared").join("data");
            if candidate.is_dir() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Resolve a country code with the registry, for loaders whose files carry ISO3 codes.
pub(crate) fn known_iso3(code: &str) -> Option<&'static str> {
    crate::registry::country(code).map(|c| c.iso3.as_str())
}
