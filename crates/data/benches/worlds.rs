//! GE engine benchmarks on the shared real worlds: ILMS 2025 (194 countries, one sector) and
//! Ossa 2014 (7 regions × 33 sectors). They live in the data crate because loading the worlds is
//! this crate's job (the model crate cannot depend on it: the data crate depends on the model).
//!
//! Run (one core, short windows; see BENCHMARKS.md):
//! `cargo bench -p reciprocity-data --bench worlds -- --warm-up-time 1 --measurement-time 3`
//!
//! Needs ../shared/data (or RECIPROCITY_SHARED_DATA); without it every benchmark is skipped with a note.

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use reciprocity_data::load_dataset;
use reciprocity_model::ge::{self, Calibration, Params, SolverOptions, ILMS_SCALE_NUMERATOR};
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

fn load(folder: &str) -> Option<Dataset> {
    let path = shared_data().join(folder);
    match load_dataset(&path) {
        Ok(data) => Some(data),
        Err(e) => {
            eprintln!("skipping the {folder} benchmarks: {e}");
            None
        }
    }
}

/// Solve once outside the timer and print what the solver did, so a reader can tell a fast
/// accelerated solve from a Newton fallback.
fn describe(name: &str, cal: &Calibration, tariffs: &[f64]) {
    let eq = ge::solve(cal, tariffs, &SolverOptions::default()).expect("scenario solves");
    eprintln!(
        "[{name}] {} iterations, max residual {:.1e}",
        eq.report.iterations, eq.report.max_residual
    );
}

/// ILMS Liberation Day: the US tariff on each exporter is max(10 %, the published rate).
fn liberation_day(data: &Dataset) -> Vec<f64> {
    let n = data.n_countries();
    let us = data
        .country_index("USA")
        .expect("the ILMS world has the US");
    let rates = &data.columns["us_tariff_liberation_day"];
    let mut t = vec![0.0; n * n];
    for j in (0..n).filter(|&j| j != us) {
        data.pairs_mut(&mut t).set(0, j, us, rates[j].max(0.10));
    }
    t
}

/// The same with reciprocal retaliation: every partner charges the US what the US charges it.
fn liberation_day_retaliation(data: &Dataset) -> Vec<f64> {
    let n = data.n_countries();
    let us = data
        .country_index("USA")
        .expect("the ILMS world has the US");
    let mut t = liberation_day(data);
    let mut rates = data.pairs_mut(&mut t);
    for i in (0..n).filter(|&i| i != us) {
        rates.mirror(0, i, us); // each partner answers the US in kind
    }
    t
}

fn ilms(c: &mut Criterion) {
    one_core();
    let Some(data) = load("ilms2025") else { return };
    let params = Params::ilms();
    let cal = ge::calibrate(&data, &params).expect("ILMS calibrates");
    let mut group = c.benchmark_group("ilms_194x1");
    group.bench_function("calibrate", |b| {
        b.iter(|| black_box(ge::calibrate(black_box(&data), &params).unwrap()))
    });
    for (label, tariffs) in [
        ("liberation_day", liberation_day(&data)),
        (
            "liberation_day_retaliation",
            liberation_day_retaliation(&data),
        ),
    ] {
        describe(&format!("ilms {label}"), &cal, &tariffs);
        // One scenario with the calibration reused: the per-scenario cost.
        group.bench_function(format!("{label}/solve+outcomes"), |b| {
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
    }
    group.finish();
}

fn ossa(c: &mut Criterion) {
    one_core();
    let Some(data) = load("ossa2014") else { return };
    let eps = data.trade_elasticity.clone().expect("Ossa carries σ_s − 1");
    let presets = [
        ("textbook", Params::textbook(eps.clone())),
        (
            "ilms_like",
            Params {
                psi: eps.iter().map(|e| ILMS_SCALE_NUMERATOR / e).collect(),
                epsilon: eps.clone(),
                nu: ge::NuRule::Uniform(0.0),
                ..Params::ilms()
            },
        ),
    ];
    let us = data
        .country_index("USA")
        .expect("the Ossa world has the US");
    let (n, k) = (data.n_countries(), data.n_sectors());
    // The US raises every tariff on every partner by 25 points.
    let mut us_plus_25 = data.tariffs.clone();
    for s in 0..k {
        for j in (0..n).filter(|&j| j != us) {
            *data.pairs_mut(&mut us_plus_25).get_mut(s, j, us) += 0.25;
        }
    }
    let free_trade = vec![0.0; data.tariffs.len()];
    let mut group = c.benchmark_group("ossa_7x33");
    for (label, params) in presets {
        let cal = ge::calibrate(&data, &params).expect("Ossa calibrates");
        for (scenario, tariffs) in [("us_plus_25", &us_plus_25), ("free_trade", &free_trade)] {
            describe(&format!("ossa {label} {scenario}"), &cal, tariffs);
            group.bench_function(format!("{label}/{scenario}/solve+outcomes"), |b| {
                b.iter(|| {
                    let eq = ge::solve(
                        black_box(&cal),
                        black_box(tariffs),
                        &SolverOptions::default(),
                    )
                    .unwrap();
                    black_box(ge::outcomes(&cal, &eq))
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, ilms, ossa);
criterion_main!(benches);
