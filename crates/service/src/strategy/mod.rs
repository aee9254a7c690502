//! Strategy on the GE engine (docs/model.md §7), shared by `reciprocity strategy ...` and the server's
//! `/strategy/*` routes: the calibrated world with its starting tariffs ([`Setup`], [`Game`]),
//! players by ISO3 code or bloc ([`player`]), a country's optimal tariffs ([`optimal`]), its
//! tariffs met by retaliation ([`retaliate`]) and trade talks by Nash bargaining ([`bargain`]).
//!
//! No rendering: the CLI prints the results, the server serialises them. Progress is reported
//! through callbacks.

use std::path::Path;

use reciprocity_model::ge::{self, Calibration, Outcomes, Params, Revenue, Stop};
use reciprocity_model::retaliation::{self, Rule};
use reciprocity_model::strategy::{
    self, apply_controls, closed_form_at, player_welfare, BargainOptions, BargainResult,
    BestResponse, Control, Deal, Denominator, Instrument, NashOptions, NashProgress, Player,
    Reciprocity, SearchOptions, StrategyError,
};
use reciprocity_scenario::{ScenarioFile, TariffLayer};
use serde::Serialize;

use crate::scenario::{self, World};
use crate::{Result, ServiceError};

/// The scenario file of the factual tariffs under the ILMS preset (no scenario given).
pub fn default_scenario() -> Result<ScenarioFile> {
    Ok(reciprocity_scenario::parse("", "defaults")?)
}

/// The model parameters of `file` (read from `origin`) on `world`, with the revenue recycling
/// overridden when `revenue` is given.
pub fn params(
    world: &World,
    file: &ScenarioFile,
    origin: &str,
    revenue: Option<Revenue>,
) -> Result<Params> {
    let mut params: Params = file.params(&world.data, origin)?;
    if let Some(r) = revenue {
        params.revenue = r;
    }
    Ok(params)
}

/// Where a strategy starts: everyone's tariffs before the player moves.
#[derive(Debug, Clone)]
pub struct Start {
    /// The tariffs (the model's layout).
    pub tariffs: Vec<f64>,
    /// Where they came from (for output): "the factual tariffs" or "scenario NAME".
    pub label: String,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
    /// Whether a scenario file set them (else: the factual tariffs).
    pub from_scenario: bool,
}

/// Resolve the starting tariffs of `file` (a user's scenario when `from_scenario`, else
/// [`default_scenario`]) on a calibrated world.
pub fn start(
    world: &World,
    cal: &Calibration,
    file: &ScenarioFile,
    origin: &str,
    from_scenario: bool,
) -> Result<Start> {
    let resolved = scenario::resolve(world, cal, file, origin)?;
    Ok(Start {
        label: match from_scenario {
            true => format!("scenario {}", resolved.name),
            false => origin.to_string(),
        },
        tariffs: resolved.tariffs,
        notes: resolved.notes,
        from_scenario,
    })
}

/// A calibrated world with its starting tariffs (owned: the CLI's).
pub struct Setup {
    /// The data.
    pub world: World,
    /// The calibration.
    pub cal: Calibration,
    /// Starting tariffs: the scenario's, or the factual ones.
    pub start: Vec<f64>,
    /// Where the start came from (for output).
    pub start_label: String,
    /// Notes from resolving the scenario.
    pub notes: Vec<String>,
    /// Whether a scenario file set the start.
    pub from_scenario: bool,
}

impl Setup {
    /// The borrowed view the use cases take.
    pub fn game(&self) -> Game<'_> {
        Game {
            world: &self.world,
            cal: &self.cal,
            start: &self.start,
            start_label: &self.start_label,
            notes: &self.notes,
            from_scenario: self.from_scenario,
            stop: None,
        }
    }
}

/// What the strategy use cases run on: a world, its calibration and the starting tariffs.
#[derive(Clone, Copy)]
pub struct Game<'a> {
    /// The data.
    pub world: &'a World,
    /// The calibration.
    pub cal: &'a Calibration,
    /// Starting tariffs.
    pub start: &'a [f64],
    /// Where the start came from.
    pub start_label: &'a str,
    /// Notes from resolving the scenario.
    pub notes: &'a [String],
    /// Whether a scenario file set the start.
    pub from_scenario: bool,
    /// Asked to stop (a server's client hung up, a deadline passed): the searches end with
    /// `StrategyError::Stopped` before their next equilibrium solve. `None`: run to the end.
    pub stop: Option<&'a Stop>,
}

impl<'a> Game<'a> {
    /// The same game, stopping its searches when `stop` is requested.
    pub fn stoppable(self, stop: &'a Stop) -> Game<'a> {
        Game {
            stop: Some(stop),
            ..self
        }
    }

    /// `options` with the game's stop in their solver settings.
    pub fn search(&self, mut options: SearchOptions) -> SearchOptions {
        if let Some(stop) = self.stop {
            options.solver.stop = stop.clone();
        }
        options
    }

    /// A game on a world already calibrated (the server's cached calibration), from `start`.
    pub fn new(world: &'a World, cal: &'a Calibration, start: &'a Start) -> Game<'a> {
        Game {
            world,
            cal,
            start: &start.tariffs,
            start_label: &start.label,
            notes: &start.notes,
            from_scenario: start.from_scenario,
            stop: None,
        }
    }
}

/// Load the scenario (one file) or the defaults, calibrate `world` and resolve the start.
pub fn setup_on(
    world: World,
    scenario_path: Option<&Path>,
    revenue: Option<Revenue>,
) -> Result<Setup> {
    let (file, origin) = scenario_file(scenario_path)?;
    let params = params(&world, &file, &origin, revenue)?;
    let mut cal = crate::scenario::calibrate(&world.data, &params)?;
    let services = goods_only(&world, &mut cal);
    let mut s = start(&world, &cal, &file, &origin, scenario_path.is_some())?;
    s.notes.extend(services);
    Ok(Setup {
        world,
        cal,
        start: s.tariffs,
        start_label: s.label,
        notes: s.notes,
        from_scenario: s.from_scenario,
    })
}

/// On a sector world, let the strategies tax only the goods sectors (those the world's HS
/// crosswalk reaches; `HsCrosswalk::untaxed`): tariffs are border taxes on goods. Returns the note saying so.
/// Every strategy calibration passes here (the CLI's setup, the server's, each draw of a band).
pub fn goods_only(world: &World, cal: &mut Calibration) -> Option<String> {
    if !world.has_sectors() {
        return None;
    }
    let crosswalk = world.crosswalk();
    let services = crosswalk.untaxed_sectors(&cal.sectors);
    if services.is_empty() || services.len() == cal.k {
        return None;
    }
    let note = format!(
        "the strategies set tariffs on the goods sectors only; {} keep their starting tariffs \
         (no HS chapter: not taxed at the border)",
        services.join(", ")
    );
    cal.tariffable = crosswalk.untaxed.iter().map(|u| !u).collect();
    Some(note)
}

/// The scenario file at `scenario_path` (one file) and its origin, or the defaults and "the
/// factual tariffs".
pub fn scenario_file(scenario_path: Option<&Path>) -> Result<(ScenarioFile, String)> {
    Ok(match scenario_path {
        Some(path) => {
            let mut inputs = scenario::read_scenarios(path)?;
            if inputs.len() != 1 {
                return Err(ServiceError::bad_input(format!(
                    "{}: expected one scenario file, found a directory of {}",
                    path.display(),
                    inputs.len()
                )));
            }
            let input = inputs.remove(0);
            (input.file, input.path.display().to_string())
        }
        None => (default_scenario()?, "the factual tariffs".to_string()),
    })
}

/// A strategy error: ill-posed input is the user's (400, exit 2); a failed solve is the model's;
/// no optimum or no convergence is a refusal (422).
pub fn strategy_error(e: StrategyError) -> ServiceError {
    match e {
        StrategyError::InvalidInput(m) => ServiceError::bad_input(m),
        StrategyError::Model(cause) => ServiceError::Model {
            context: String::new(),
            cause,
        },
        StrategyError::Stopped => ServiceError::Stopped,
        other => ServiceError::Refused(other.to_string()),
    }
}

fn model_error(context: &str) -> impl Fn(ge::ModelError) -> ServiceError + '_ {
    move |cause| ServiceError::Model {
        context: context.to_string(),
        cause,
    }
}

/// Name the request field a bad-input error is about (`country: expected ...`).
fn field(name: &'static str) -> impl Fn(ServiceError) -> ServiceError {
    move |e| match e {
        ServiceError::BadInput {
            field: Some(inner),
            message,
        } => ServiceError::bad_field(name, format!("{inner}: {message}")),
        ServiceError::BadInput {
            field: None,
            message,
        } => ServiceError::bad_field(name, message),
        other => other,
    }
}

/// Resolve one player name: an ISO3 code of the data (any case), or a group (the dataset's,
/// EU27, ...) as a bloc.
pub fn player(cal: &Calibration, world: &World, name: &str) -> Result<Player> {
    let name = name.trim();
    let upper = name.to_ascii_uppercase();
    if let Some(i) = world
        .data
        .country_index(name)
        .or_else(|| world.data.country_index(&upper))
    {
        return Ok(Player::country(cal, i));
    }
    let codes: Option<Vec<String>> = world.data.groups.get(name).cloned().or_else(|| {
        reciprocity_data::registry::group(name).map(|g| g.into_iter().map(str::to_string).collect())
    });
    match codes {
        Some(codes) => {
            let members: Vec<usize> = codes
                .iter()
                .filter_map(|c| world.data.country_index(c))
                .collect();
            if members.is_empty() {
                return Err(ServiceError::bad_input(format!(
                    "group {name}: none of its members is in the data"
                )));
            }
            Ok(Player {
                name: name.to_string(),
                members,
            })
        }
        None => Err(ServiceError::bad_input(format!(
            "expected an ISO3 code of the data or a group (EU27, EU25, ...), found \"{name}\"{}",
            if world.data.n_countries() <= 20 {
                format!(" (the data have: {})", world.data.countries.join(", "))
            } else {
                String::new()
            }
        ))),
    }
}

/// A list of players (empty names skipped; at least one).
pub fn players<S: AsRef<str>>(
    cal: &Calibration,
    world: &World,
    names: &[S],
) -> Result<Vec<Player>> {
    let out: Vec<Player> = names
        .iter()
        .map(AsRef::as_ref)
        .filter(|s| !s.trim().is_empty())
        .map(|s| player(cal, world, s))
        .collect::<Result<_>>()?;
    if out.is_empty() {
        return Err(ServiceError::bad_input("expected at least one player"));
    }
    Ok(out)
}

/// Import-weighted mean of `rates` over `controls` (plain mean when nothing is imported).
pub fn weighted_mean(controls: &[Control], rates: &[f64]) -> f64 {
    let w: Vec<f64> = controls
        .iter()
        .map(|c| c.weights.iter().sum::<f64>())
        .collect();
    let total: f64 = w.iter().sum();
    if total > 0.0 {
        rates.iter().zip(&w).map(|(r, w)| r * w).sum::<f64>() / total
    } else {
        rates.iter().sum::<f64>() / rates.len().max(1) as f64
    }
}

/// A rate (fraction) as a percent with two decimals (as in the descriptions).
fn rate(v: f64) -> String {
    format!("{:.2}", 100.0 * v)
}

/// Where the Liberation Day rates of a world come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiberationDaySource {
    /// The dataset's `us_tariff_liberation_day` column (the ILMS data).
    Column,
    /// The embedded April 2, 2025 chart.
    Chart,
}

impl LiberationDaySource {
    /// As the retaliation analysis labels the aggressor's tariffs.
    pub fn aggressor_label(self) -> &'static str {
        match self {
            LiberationDaySource::Column => {
                "Liberation Day rates (the data's us_tariff_liberation_day column, floor 10%)"
            }
            LiberationDaySource::Chart => {
                "Liberation Day rates (embedded April 2, 2025 chart, floor 10%)"
            }
        }
    }

    /// The source in a sentence (the no-deal label of trade talks).
    pub fn phrase(self) -> &'static str {
        match self {
            LiberationDaySource::Column => "the data's us_tariff_liberation_day column",
            LiberationDaySource::Chart => "the embedded April 2, 2025 chart",
        }
    }
}

/// The factual tariffs with the US rates of April 2, 2025 on everyone, floor 10%: the one
/// resolution of the Liberation Day rates, from the dataset's `us_tariff_liberation_day` column
/// when it has one, else from the embedded chart (a scenario layer, resolved as a file's).
pub fn liberation_day(world: &World, cal: &Calibration) -> Result<(Vec<f64>, LiberationDaySource)> {
    let source = match world.data.columns.contains_key("us_tariff_liberation_day") {
        true => LiberationDaySource::Column,
        false => LiberationDaySource::Chart,
    };
    let (column, official) = match source {
        LiberationDaySource::Column => (Some("us_tariff_liberation_day".to_string()), None),
        LiberationDaySource::Chart => (None, Some("2025-04-02".to_string())),
    };
    let file = ScenarioFile {
        name: None,
        description: None,
        model: Default::default(),
        tariffs: vec![TariffLayer {
            importers: vec!["USA".into()],
            exporters: vec!["all".into()],
            exclude: Vec::new(),
            sectors: None,
            hs_chapters: None,
            rate: None,
            column,
            official,
            optimal: None,
            tariffs_at: None,
            floor: Some(0.10),
            mode: None,
        }],
        retaliation: Vec::new(),
        report_groups: Vec::new(),
    };
    let resolved = scenario::resolve(world, cal, &file, "liberation-day")?;
    Ok((resolved.tariffs, source))
}

mod bargain;
mod optimal;
mod retaliate;
mod war;

pub use bargain::*;
pub use optimal::*;
pub use retaliate::*;
pub use war::*;
