//! GE engine benchmarks on seeded synthetic worlds (no data needed). The real worlds (ILMS 194,
//! Ossa 7 × 33) are benchmarked in `crates/data/benches/worlds.rs`, which can load them.
//!
//! Run (one core, short windows; see BENCHMARKS.md):
//! `cargo bench -p reciprocity-model --bench ge -- --warm-up-time 1 --measurement-time 3`
//!
//! Every world is synthetic and seeded; the seed and the solver's iteration count are printed.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};
use reciprocity_model::ge::{self, Calibration, Params, SolverOptions};

#[path = "synthetic/mod.rs"]
mod synthetic;

/// Keep the Newton fallback's rayon pool to one thread: the targets are per core. Must run before
/// anything touches rayon's global pool, which reads this variable once.
fn one_core() {
    std::env::set_var("RAYON_NUM_THREADS", "1");
}

/// Calibrate, solve once outside the timer and print what the solver did.
fn prepare(name: &str, n: usize, k: usize, params: Params) -> (Calibration, Vec<f64>) {
    let data = synthetic::world(synthetic::SEED, n, k);
    let tariffs = synthetic::country0_raises(&data, synthetic::SEED);
    let cal = ge::calibrate(&data, &params).expect("synthetic world calibrates");
    let eq =
        ge::solve(&cal, &tariffs, &SolverOptions::default()).expect("synthetic scenario solves");
    let out = ge::outcomes(&cal, &eq);
    eprintln!(
        "[{name}] {}: {} iterations, max residual {:.1e}, welfare of SYN000 {:+.3} %",
        data.name, eq.report.iterations, eq.report.max_residual, out.countries[0].welfare_pct
    );
    (cal, tariffs)
}

fn synthetic_250(c: &mut Criterion) {
    one_core();
    let mut group = c.benchmark_group("synthetic_250x1");
    for (label, params) in [
        ("ilms_like", synthetic::ilms_like(1)),
        ("textbook", Params::textbook(vec![4.0])),
    ] {
        let (cal, tariffs) = prepare(&format!("250x1 {label}"), 250, 1, params.clone());
        // The scenario with the calibration reused: what a user pays per scenario.
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
        let data = synthetic::world(synthetic::SEED, 250, 1);
        group.bench_function(format!("{label}/calibrate"), |b| {
            b.iter(|| black_box(ge::calibrate(black_box(&data), &params).unwrap()))
        });
    }
    group.finish();
}

fn synthetic_194x20(c: &mut Criterion) {
    one_core();
    let mut group = c.benchmark_group("synthetic_194x20");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    for (label, params) in [
        ("ilms_like", synthetic::ilms_like(20)),
        ("textbook", Params::textbook(synthetic::elasticities(20))),
    ] {
        let (cal, tariffs) = prepare(&format!("194x20 {label}"), 194, 20, params);
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

/// Newton's method alone on the size of the 81 × 25 sector world (2,187 unknowns): the accelerated
/// iteration is cut to one step so Newton does the solve (finite-difference Jacobian + faer LU).
fn newton_81x25(c: &mut Criterion) {
    one_core();
    let mut group = c.benchmark_group("newton_81x25");
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    let data = synthetic::world(synthetic::SEED, 81, 25);
    let tariffs = synthetic::country0_raises(&data, synthetic::SEED);
    let cal = ge::calibrate(&data, &synthetic::ilms_like(25)).expect("calibrates");
    let newton_only = SolverOptions {
        max_iterations: 1,
        ..SolverOptions::default()
    };
    let eq = ge::solve(&cal, &tariffs, &newton_only).expect("Newton solves");
    eprintln!(
        "[newton 81x25] {} iterations (1 accelerated + Newton steps), max residual {:.1e}",
        eq.report.iterations, eq.report.max_residual
    );
    group.bench_function("ilms_like/newton_solve", |b| {
        b.iter(|| black_box(ge::solve(black_box(&cal), black_box(&tariffs), &newton_only).unwrap()))
    });
    group.finish();
}

/// The linear algebra of one Newton step at 2,187 unknowns alone: faer's partially pivoted LU of
/// a dense matrix (seeded, diagonally dominant like a Jacobian near a solution) and one solve.
fn lu_2187(c: &mut Criterion) {
    use faer::linalg::solvers::Solve;
    one_core();
    let dim = 2_187;
    let mut rng = synthetic::Rng::new(synthetic::SEED);
    let mut a = vec![0.0; dim * dim];
    for (idx, v) in a.iter_mut().enumerate() {
        *v = rng.next() - 0.5
            + if idx % (dim + 1) == 0 {
                dim as f64
            } else {
                0.0
            };
    }
    let rhs: Vec<f64> = (0..dim).map(|_| rng.next()).collect();
    let mut group = c.benchmark_group("lu_2187");
    group.sample_size(10);
    group.bench_function("factor+solve", |b| {
        b.iter(|| {
            let lu =
                faer::MatRef::from_column_major_slice(black_box(&a), dim, dim).partial_piv_lu();
            let mut x = rhs.clone();
            lu.solve_in_place(faer::MatMut::from_column_major_slice_mut(&mut x, dim, 1));
            black_box(x)
        })
    });
    group.finish();
}

criterion_group!(
    benches,
    synthetic_250,
    synthetic_194x20,
    newton_81x25,
    lu_2187
);
criterion_main!(benches);
