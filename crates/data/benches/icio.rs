//! The sector world of issue 13 (OECD ICIO 2022, 80 economies + ROW × 25 sectors): building it
//! in memory, one GE solve at the Liberation Day tariffs on one core, and the 10-player uniform
//! Nash war on it. Targets (BENCHMARKS.md): build < 10 s, solve < 50 ms, war < 60 s.
//!
//! Run (one core, short windows; see BENCHMARKS.md):
//! `cargo bench -p reciprocity-data --bench icio -- --warm-up-time 1 --measurement-time 5 --sample-size 10`
//!
//! Needs ../shared/data (or RECIPROCITY_SHARED_DATA); without it every benchmark is skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use reciprocity_data::registry;
use reciprocity_data::world::icio::{build_icio_world, IcioInputs, SectorMap};
use reciprocity_model::ge::{self, Calibration, Params, SolverOptions, ILMS_SCALE_NUMERATOR};
use reciprocity_model::strategy::{self, NashOptions, Player};
use reciprocity_model::Dataset;

/// Keep the Newton fallback's rayon pool to one thread: the targets are per core. Must run before
/// anything touches rayon's global pool, which reads this variable once.
fn one_core() {
    std::env::set_var("RAYON_NUM_THREADS", "1");
}

fn shared_data() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

/// The inputs of `reciprocity world build` with the default 25-sector map, or None (with a note)
/// when the shared data are absent.
fn inputs() -> Option<IcioInputs> {
    let shared = shared_data();
    let inputs = IcioInputs::from_shared(&shared);
    for path in [&inputs.icio, &inputs.baci, &inputs.census] {
        if !path.exists() {
            eprintln!(
                "skipping the ICIO benchmarks: {} not found (set RECIPROCITY_SHARED_DATA)",
                path.display()
            );
            return None;
        }
    }
    Some(inputs)
}

/// The world built once (outside any timer).
fn world() -> Option<Dataset> {
    let inputs = inputs()?;
    match build_icio_world(&inputs) {
        Ok((data, _)) => Some(data),
        Err(e) => {
            eprintln!("skipping the ICIO benchmarks: the build failed: {e}");
            None
        }
    }
}

/// The ILMS preset on a sector world, as a scenario with `preset = "ilms"` resolves it: the
/// data's sector elasticities, ψ_k = 0.67/ε_k.
fn ilms_params(data: &Dataset) -> Params {
    let mut params = Params::ilms();
    if let Some(eps) = data.trade_elasticity.clone() {
        params.psi = eps.iter().map(|e| ILMS_SCALE_NUMERATOR / e).collect();
        params.epsilon = eps;
    }
    params
}

/// Liberation Day on the sector world: the factual tariffs, with the US tariff on each exporter's
/// goods sectors at max(10 %, the April 2 rate of the `us_tariff_liberation_day` column).
fn liberation_day(data: &Dataset) -> Vec<f64> {
    let (n, k) = (data.n_countries(), data.n_sectors());
    let us = data
        .country_index("USA")
        .expect("the ICIO world has the US");
    let rates = &data.columns["us_tariff_liberation_day"];
    let map = SectorMap::default_map();
    let mut t = data.tariffs.clone();
    for s in (0..k).filter(|&s| map.is_goods_sector(s)) {
        for j in (0..n).filter(|&j| j != us) {
            data.pairs_mut(&mut t).set(s, j, us, rates[j].max(0.10));
        }
    }
    t
}

/// The ten players: USA, CHN, the EU27 as one bloc (its members present in the world), JPN, CAN,
/// MEX, GBR, KOR, IND, VNM.
fn players(cal: &Calibration) -> Vec<Player> {
    let index = |code: &str| cal.countries.iter().position(|c| c == code);
    let mut out = Vec::new();
    for name in [
        "USA", "CHN", "EU27", "JPN", "CAN", "MEX", "GBR", "KOR", "IND", "VNM",
    ] {
        let members: Vec<usize> = match registry::group(name) {
            Some(codes) => codes.iter().filter_map(|c| index(c)).collect(),
            None => index(name).into_iter().collect(),
        };
        assert!(!members.is_empty(), "{name} is in the ICIO world");
        out.push(Player {
            name: name.to_string(),
            members,
        });
    }
    out
}

fn build(c: &mut Criterion) {
    one_core();
    let Some(inputs) = inputs() else { return };
    let started = Instant::now();
    let (data, _) = build_icio_world(&inputs).expect("the ICIO world builds");
    eprintln!(
        "[icio build] {} countries x {} sectors, first build {:.2} s",
        data.n_countries(),
        data.n_sectors(),
        started.elapsed().as_secs_f64()
    );
    let mut group = c.benchmark_group("icio_81x25");
    group.sample_size(10);
    group.bench_function("build (in memory)", |b| {
        b.iter(|| black_box(build_icio_world(black_box(&inputs)).unwrap()))
    });
    group.finish();
}

fn solve(c: &mut Criterion) {
    one_core();
    let Some(data) = world() else { return };
    let params = ilms_params(&data);
    let cal = ge::calibrate(&data, &params).expect("the ICIO world calibrates");
    let tariffs = liberation_day(&data);
    let eq = ge::solve(&cal, &tariffs, &SolverOptions::default()).expect("Liberation Day solves");
    eprintln!(
        "[icio liberation_day] {} iterations, max residual {:.1e}",
        eq.report.iterations, eq.report.max_residual
    );
    let mut group = c.benchmark_group("icio_81x25");
    group.bench_function("calibrate", |b| {
        b.iter(|| black_box(ge::calibrate(black_box(&data), &params).unwrap()))
    });
    group.bench_function("liberation_day/solve+outcomes", |b| {
        b.iter(|| {
            let eq = ge::solve(
                black_box(&cal),
                black_box(&tariffs),
                &SolverOptions::default(),
            )
            .unwrap();
            black_box(ge::outcomes(&cal, &eq))
        })
    });
    group.finish();
}

/// Whether criterion's name filter (the first argument that is neither a flag nor a number)
/// selects `name`; expensive set-ups are skipped when it does not.
fn selected(name: &str) -> bool {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let filter = args
        .iter()
        .find(|a| !a.starts_with('-') && a.parse::<f64>().is_err());
    filter.is_none_or(|f| name.contains(f.as_str()))
}

/// The 10-player uniform Nash war from the factual tariffs, best responses on one thread. Slow
/// (seconds per war): ten samples, one war each.
fn war(c: &mut Criterion) {
    one_core();
    if !selected("icio_81x25/nash_war_10_uniform") {
        return;
    }
    let Some(data) = world() else { return };
    let params = ilms_params(&data);
    let cal = ge::calibrate(&data, &params).expect("the ICIO world calibrates");
    let players = players(&cal);
    let options = NashOptions {
        threads: 1,
        ..NashOptions::default()
    };
    let started = Instant::now();
    let r = strategy::nash(&cal, &data.tariffs, &players, &options, &|_| {})
        .expect("the war converges");
    eprintln!(
        "[icio war] 10 players: {} rounds (+{} guided), residual {:.1e}, {} solves, {:.1} s",
        r.rounds,
        r.guided_steps,
        r.residual,
        r.solves,
        started.elapsed().as_secs_f64()
    );
    for (p, rates) in r.players.iter().zip(&r.rates) {
        eprintln!("  {:5} {:6.1} %", p.name, 100.0 * rates[0]);
    }
    let mut group = c.benchmark_group("icio_81x25");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(1));
    group.bench_function("nash_war_10_uniform", |b| {
        b.iter(|| {
            black_box(
                strategy::nash(black_box(&cal), &data.tariffs, &players, &options, &|_| {})
                    .unwrap(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, build, solve, war);
criterion_main!(benches);
