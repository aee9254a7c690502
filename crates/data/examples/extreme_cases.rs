//! The extreme cases of issue 17, timed: world-wide uniform tariffs of 30-500 % under each closure,
//! the US at 500 % with and without retaliation, two blocs approaching autarky, on the ILMS world,
//! the Ossa world and a 250-country synthetic world (seeded). Prints one Markdown row per case:
//! the outcome (converged with iterations and continuation steps, or the diagnosis) and the time.
//!
//! `cargo run --release -p reciprocity-data --example extreme_cases` (needs ../shared/data or
//! RECIPROCITY_SHARED_DATA; one core: RAYON_NUM_THREADS=1 is set here).

use std::path::PathBuf;
use std::time::Instant;

use reciprocity_data::load_dataset;
use reciprocity_model::ge::{self, Calibration, Deficits, NuRule, Params, Revenue, SolverOptions};
use reciprocity_model::Dataset;

#[path = "../../model/benches/synthetic/mod.rs"]
mod synthetic;

fn shared_data() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn uniform(cal: &Calibration, rate: f64) -> Vec<f64> {
    let mut t = cal.tariffs.clone();
    for k in 0..cal.k {
        for j in 0..cal.n {
            for i in (0..cal.n).filter(|&i| i != j) {
                cal.pairs_mut(&mut t).set(k, j, i, rate);
            }
        }
    }
    t
}

/// Time one solve (the median of three when it takes under a second) and print its row.
fn case(world: &str, closure: &str, name: &str, cal: &Calibration, t: &[f64]) {
    let mut times = Vec::new();
    let mut result = None;
    for _ in 0..3 {
        let start = Instant::now();
        let r = ge::solve(cal, t, &SolverOptions::default());
        times.push(start.elapsed().as_secs_f64() * 1e3);
        result = Some(r);
        if times[0] > 1e3 {
            break;
        }
    }
    times.sort_by(f64::total_cmp);
    let ms = times[times.len() / 2];
    let outcome = match result.expect("solved at least once") {
        Ok(eq) => format!(
            "converged: {} iterations, {} continuation steps, residual {:.1e}",
            eq.report.iterations, eq.report.continuation_steps, eq.report.max_residual
        ),
        Err(e) => format!("{e}"),
    };
    println!("| {world} | {closure} | {name} | {outcome} | {ms:.1} |");
}

fn closures(base: &Params) -> Vec<(&'static str, Params)> {
    let with = |revenue, deficits| Params {
        revenue,
        deficits,
        ..base.clone()
    };
    vec![
        (
            "income-tax relief, fixed deficits",
            with(Revenue::IncomeTaxRelief, Deficits::FixedShareOfWorldGdp),
        ),
        (
            "lump-sum, fixed deficits",
            with(Revenue::LumpSum, Deficits::FixedShareOfWorldGdp),
        ),
        (
            "income-tax relief, balanced trade",
            with(Revenue::IncomeTaxRelief, Deficits::Balanced),
        ),
        (
            "lump-sum, balanced trade",
            with(Revenue::LumpSum, Deficits::Balanced),
        ),
    ]
}

fn world_cases(world: &str, data: &Dataset, base: &Params, us: Option<usize>) {
    for (closure, params) in closures(base) {
        let cal = ge::calibrate(data, &params).expect("calibrates");
        for rate in [0.3, 0.5, 0.7, 1.0, 2.0, 5.0] {
            case(
                world,
                closure,
                &format!("all at {:.0} %", rate * 100.0),
                &cal,
                &uniform(&cal, rate),
            );
        }
        let Some(us) = us else { continue };
        let n = cal.n;
        let mut t = cal.tariffs.clone();
        (0..n)
            .filter(|&j| j != us)
            .for_each(|j| t[j * n + us] = 5.0);
        case(world, closure, "US at 500 %", &cal, &t);
        (0..n)
            .filter(|&i| i != us)
            .for_each(|i| t[us * n + i] = 5.0);
        case(world, closure, "US at 500 %, mirrored by all", &cal, &t);
        let mut west: Vec<usize> = data.groups["EU25"]
            .iter()
            .filter_map(|c| data.country_index(c))
            .collect();
        west.push(us);
        for rate in [1.0, 100.0] {
            let mut t = cal.tariffs.clone();
            for j in 0..n {
                for i in (0..n).filter(|&i| west.contains(&i) != west.contains(&j)) {
                    t[j * n + i] = rate;
                }
            }
            case(
                world,
                closure,
                &format!("US+EU vs the rest at {:.0} %", rate * 100.0),
                &cal,
                &t,
            );
        }
    }
}

fn main() {
    std::env::set_var("RAYON_NUM_THREADS", "1");
    println!("| world | closure | case | outcome | ms |\n|---|---|---|---|---|");
    match load_dataset(&shared_data().join("ilms2025")) {
        Ok(ilms) => {
            let us = ilms.country_index("USA");
            world_cases("ILMS 194", &ilms, &Params::ilms(), us);
        }
        Err(e) => eprintln!("skipping ILMS: {e}"),
    }
    match load_dataset(&shared_data().join("ossa2014")) {
        Ok(ossa) => {
            let eps = ossa
                .trade_elasticity
                .clone()
                .expect("Ossa has elasticities");
            let params = Params {
                psi: eps.iter().map(|e| ge::ILMS_SCALE_NUMERATOR / e).collect(),
                epsilon: eps,
                nu: NuRule::Uniform(0.0),
                ..Params::ilms()
            };
            world_cases("Ossa 7x33", &ossa, &params, None);
        }
        Err(e) => eprintln!("skipping Ossa: {e}"),
    }
    let syn = synthetic::world(synthetic::SEED, 250, 1);
    let params = Params {
        nu: NuRule::Uniform(0.12),
        ..Params::ilms()
    };
    world_cases("synthetic 250 (seed 20250402)", &syn, &params, None);
}
