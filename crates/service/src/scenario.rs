//! Running scenarios on a world: load (or embed) the data, calibrate once per parameter set,
//! resolve and solve each scenario. Shared by the CLI (`simulate`, `strategy`, `report`) and the
//! server (a scenario posted as JSON: build a [`ScenarioInput`] from the parsed file).

use std::path::{Path, PathBuf};

use reciprocity_data::world::icio::SectorMap as IcioMap;
use reciprocity_model::ge::{self, Calibration, Deficits, Outcomes, Params, SolveReport};
use reciprocity_model::Dataset;
use reciprocity_scenario::{HsSectors, PolicyRates, Resolved, ScenarioFile};

use crate::{Result, ServiceError};

/// The world a command runs on, and where it came from.
pub struct World {
    /// The dataset.
    pub data: Dataset,
    /// "embedded" or the path given.
    pub source: String,
    /// The ICIO sector map of a sector world (the `sectors.csv` of a folder written by `world
    /// build`, the compact map of the embedded one): its HS crosswalk (`hs_chapters` layers).
    pub icio: Option<IcioMap>,
}

impl World {
    /// The world's HS crosswalk (chapters → its sectors).
    pub fn crosswalk(&self) -> crate::crosswalk::HsCrosswalk {
        crate::crosswalk::HsCrosswalk::for_world(&self.data.sectors, self.icio.as_ref())
    }

    /// Whether the world has more than one sector.
    pub fn has_sectors(&self) -> bool {
        self.data.n_sectors() > 1
    }
}

/// Load `--data PATH`, or the embedded world when no path is given.
pub fn load_world(path: Option<&Path>) -> Result<World> {
    match path {
        Some(p) => {
            let data = reciprocity_data::load_dataset(p)?;
            let icio = IcioMap::of_world(p)?;
            // A world written by `world build` carries the attribution of its sources.
            let source = match &icio {
                Some(_) => format!(
                    "{} (built from OECD ICIO by `world build`). Source: {}, with CEPII BACI 2023 \
                     pair totals and U.S. Census Bureau 2024 imports (docs/sector-world.md)",
                    p.display(),
                    reciprocity_data::world::icio::OECD_ATTRIBUTION
                ),
                None => p.display().to_string(),
            };
            Ok(World { data, source, icio })
        }
        None => {
            let data = reciprocity_data::world::embedded_world()?;
            Ok(World {
                data,
                source: "embedded (Census 2024 + gravity/RAS imputation; docs/embedded-world.md)"
                    .into(),
                icio: None,
            })
        }
    }
}

/// The worlds compiled into the binary that `--world` names: `default` (the one-sector
/// 194-country world of docs/embedded-world.md) and `sectors` (the compact ICIO sector world).
pub const EMBEDDED_WORLDS: [&str; 2] = ["default", "sectors"];

/// Load `--data PATH`, else the embedded world `name` (`default` when `None`; see
/// [`EMBEDDED_WORLDS`]). Both at once is bad input.
pub fn load_named_world(path: Option<&Path>, name: Option<&str>) -> Result<World> {
    match (path, name) {
        (Some(_), Some(_)) => Err(ServiceError::bad_field(
            "world",
            "give a dataset folder (data) or an embedded world (world), not both",
        )),
        (Some(p), None) => load_world(Some(p)),
        (None, None) => load_world(None),
        (None, Some(n)) => match n.to_ascii_lowercase().as_str() {
            "default" => load_world(None),
            "sectors" => Ok(World {
                data: reciprocity_data::world::icio::compact::embedded_sector_world()?,
                source: format!(
                    "embedded sector world (2022). {}",
                    reciprocity_data::world::icio::compact::COMPACT_ATTRIBUTION
                ),
                icio: Some(reciprocity_data::world::icio::compact::compact_sector_map()),
            }),
            other => Err(ServiceError::bad_field(
                "world",
                format!(
                    "unknown embedded world {other:?}: expected one of {}",
                    EMBEDDED_WORLDS.join(", ")
                ),
            )),
        },
    }
}

/// A parsed scenario file.
pub struct ScenarioInput {
    /// Where it was read from.
    pub path: PathBuf,
    /// The parsed file.
    pub file: ScenarioFile,
}

/// Read one scenario file, or every `*.toml` in a directory (sorted by name).
pub fn read_scenarios(path: &Path) -> Result<Vec<ScenarioInput>> {
    let paths: Vec<PathBuf> = if path.is_dir() {
        let mut found: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| ServiceError::bad_input(format!("reading {}: {e}", path.display())))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        found.sort();
        if found.is_empty() {
            return Err(ServiceError::bad_input(format!(
                "{}: no *.toml scenario files in this directory",
                path.display()
            )));
        }
        found
    } else if path.is_file() {
        vec![path.to_path_buf()]
    } else {
        return Err(ServiceError::bad_input(format!(
            "{}: no such scenario file or directory",
            path.display()
        )));
    };
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p)
                .map_err(|e| ServiceError::bad_input(format!("{}: {e}", p.display())))?;
            // An empty file would run the baseline and look like a result (issue 15).
            if text
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
            {
                return Err(ServiceError::bad_input(format!(
                    "{}: the scenario file is empty (expected at least `name`, `[model]` or `[[tariffs]]`; \
                     examples/scenarios/ has examples)",
                    p.display()
                )));
            }
            let file = reciprocity_scenario::parse(&text, &p.display().to_string())?;
            Ok(ScenarioInput { path: p, file })
        })
        .collect()
}

/// Calibrations computed so far, reused across scenarios with the same parameters: the
/// [`CalibrationCache::DEFAULT_CAPACITY`] most recently used, so that a long-running server that
/// sees many parameter sets keeps a bounded amount of memory (about 1 MB each on the ILMS world).
pub struct CalibrationCache {
    /// Least recently used first.
    entries: Vec<(Params, std::sync::Arc<Calibration>)>,
    capacity: usize,
}

impl Default for CalibrationCache {
    fn default() -> Self {
        CalibrationCache::with_capacity(CalibrationCache::DEFAULT_CAPACITY)
    }
}

/// Calibrate `data` under `params`; a failure is the caller's input (the parameters or data).
pub fn calibrate(data: &Dataset, params: &Params) -> Result<Calibration> {
    ge::calibrate(data, params).map_err(|e| ServiceError::bad_input(format!("calibration: {e}")))
}

impl CalibrationCache {
    /// How many calibrations a default cache keeps.
    pub const DEFAULT_CAPACITY: usize = 32;

    /// A cache that keeps the `capacity` most recently used calibrations (at least one).
    pub fn with_capacity(capacity: usize) -> Self {
        CalibrationCache {
            entries: Vec::new(),
            capacity: capacity.max(1),
        }
    }

    /// How many calibrations are kept now.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether none is.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The calibration of `data` under `params`, computed on first use; the least recently used
    /// one is dropped when the cache is full.
    pub fn get(&mut self, data: &Dataset, params: &Params) -> Result<std::sync::Arc<Calibration>> {
        if let Some(pos) = self.entries.iter().position(|(p, _)| p == params) {
            let hit = self.entries.remove(pos);
            let cal = hit.1.clone();
            self.entries.push(hit);
            return Ok(cal);
        }
        let cal = std::sync::Arc::new(calibrate(data, params)?);
        if self.entries.len() >= self.capacity {
            self.entries.remove(0);
        }
        self.entries.push((params.clone(), cal.clone()));
        Ok(cal)
    }
}

/// One solved scenario.
pub struct ScenarioResult {
    /// Display name.
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// The calibration used.
    pub calibration: std::sync::Arc<Calibration>,
    /// The counterfactual equilibrium.
    pub equilibrium: ge::Equilibrium,
    /// Outcomes (for the balanced-trade closure: relative to the zero-shock equilibrium of the same closure).
    pub outcomes: Outcomes,
    /// Solver reports (the baseline's too, for the balanced closure).
    pub reports: Vec<SolveReport>,
    /// The zero-shock equilibrium the outcomes are read against, for a closure that moves the
    /// transfers (`None`: the calibrated baseline).
    pub baseline: Option<ge::Equilibrium>,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
    /// Report groups: name and members.
    pub groups: Vec<(String, Vec<usize>)>,
}

/// The parameters a scenario asks for on this world.
pub fn scenario_params(world: &World, input: &ScenarioInput) -> Result<Params> {
    let origin = input.path.display().to_string();
    input
        .file
        .params(&world.data, &origin)
        .map_err(ServiceError::from)
}

/// Resolve `file` (read from `origin`) on a calibrated world into its tariffs, notes and report
/// groups: the one way the service resolves a scenario file (a run, a strategy's start, a
/// bargaining's no-deal point), with the policy timeline always available for `tariffs_at`
/// layers (loaded once per process, on first need) and the world's HS crosswalk for
/// `hs_chapters` layers.
pub fn resolve(
    world: &World,
    cal: &Calibration,
    file: &ScenarioFile,
    origin: &str,
) -> Result<Resolved> {
    let needs_policy = file.tariffs.iter().any(|layer| layer.tariffs_at.is_some());
    let policy = match needs_policy {
        true => Some(crate::policy_rates::WorldRates {
            rates: crate::policy_rates::TimelineRates::shared()?,
            icio: world.icio.as_ref(),
        }),
        false => None,
    };
    // Built only for `hs_chapters` layers: a band of draws resolves the same file hundreds of times.
    let needs_crosswalk = file.tariffs.iter().any(|layer| layer.hs_chapters.is_some());
    let crosswalk = needs_crosswalk.then(|| world.crosswalk());
    Ok(file.resolve_with_sources(
        &world.data,
        cal,
        origin,
        policy.as_ref().map(|p| p as &dyn PolicyRates),
        crosswalk.as_ref().map(|c| c as &dyn HsSectors),
    )?)
}

/// Calibrate `world` for one scenario and solve it: for a caller with a single scenario (a
/// caller with many shares a [`CalibrationCache`]).
pub fn solve_scenario(world: &World, input: &ScenarioInput) -> Result<ScenarioResult> {
    let params = scenario_params(world, input)?;
    let cal = CalibrationCache::default().get(&world.data, &params)?;
    run_scenario(world, input, cal)
}

/// Resolve and solve one scenario on a calibrated world.
pub fn run_scenario(
    world: &World,
    input: &ScenarioInput,
    cal: std::sync::Arc<Calibration>,
) -> Result<ScenarioResult> {
    let origin = input.path.display().to_string();
    let resolved = resolve(world, &cal, &input.file, &origin)?;
    let options = ge::SolverOptions::default();
    let equilibrium =
        ge::solve(&cal, &resolved.tariffs, &options).map_err(|cause| ServiceError::Model {
            context: format!("solving {origin}"),
            cause,
        })?;
    let mut reports = vec![equilibrium.report];
    let mut outcomes = ge::outcomes(&cal, &equilibrium);
    let mut baseline = None;
    if cal.params.deficits != Deficits::FixedShareOfWorldGdp {
        // ILMS Table 10: a closure that moves the transfers is read against the zero-shock
        // equilibrium of the same closure.
        let base =
            ge::solve(&cal, &cal.tariffs, &options).map_err(|cause| ServiceError::Model {
                context: format!("solving the balanced baseline of {origin}"),
                cause,
            })?;
        reports.push(base.report);
        let base_outcomes = ge::outcomes(&cal, &base);
        outcomes = difference(&outcomes, &base_outcomes);
        baseline = Some(base);
    }
    Ok(ScenarioResult {
        name: resolved.name,
        path: input.path.clone(),
        calibration: cal,
        equilibrium,
        outcomes,
        reports,
        baseline,
        notes: resolved.notes,
        groups: resolved.groups,
    })
}

fn difference(after: &Outcomes, before: &Outcomes) -> Outcomes {
    let countries = after
        .countries
        .iter()
        .zip(&before.countries)
        .map(|(a, b)| ge::CountryOutcome {
            welfare_pct: a.welfare_pct - b.welfare_pct,
            deficit_pct: a.deficit_pct - b.deficit_pct,
            exports_gdp_pct: a.exports_gdp_pct - b.exports_gdp_pct,
            imports_gdp_pct: a.imports_gdp_pct - b.imports_gdp_pct,
            employment_pct: a.employment_pct - b.employment_pct,
            real_gdp_pct: a.real_gdp_pct - b.real_gdp_pct,
            price_index_pct: a.price_index_pct - b.price_index_pct,
            revenue_share: a.revenue_share - b.revenue_share,
        })
        .collect();
    Outcomes {
        countries,
        world_trade_to_gdp_pct: after.world_trade_to_gdp_pct - before.world_trade_to_gdp_pct,
        world_employment_pct: after.world_employment_pct - before.world_employment_pct,
    }
}
