//! Peak memory (and wall time) of one scenario on a seeded synthetic world, default 250 countries
//! × 50 sectors with the ILMS-like preset: generate, calibrate, solve, outcomes.
//!
//! `cargo run --release -p reciprocity-model --example peak_memory -- [N] [K] [textbook]`
//! Cross-check the self-reported peak with `/usr/bin/time -v` ("Maximum resident set size").
//!
//! The peak is VmHWM from /proc/self/status (Linux); elsewhere it is reported as unavailable.

use std::time::Instant;

use reciprocity_model::ge::{self, Params, SolverOptions};

#[path = "../benches/synthetic/mod.rs"]
mod synthetic;

fn mib(bytes: Option<u64>) -> String {
    bytes.map_or("unavailable".to_string(), |b| {
        format!("{:.1} MiB", b as f64 / (1024.0 * 1024.0))
    })
}

fn main() {
    std::env::set_var("RAYON_NUM_THREADS", "1");
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .map_or(250, |s| s.parse().expect("N must be a count"));
    let k: usize = args
        .get(2)
        .map_or(50, |s| s.parse().expect("K must be a count"));
    let textbook = args.get(3).is_some_and(|s| s == "textbook");
    let params = if textbook {
        Params::textbook(synthetic::elasticities(k))
    } else {
        synthetic::ilms_like(k)
    };

    let t0 = Instant::now();
    let data = synthetic::world(synthetic::SEED, n, k);
    let tariffs = synthetic::country0_raises(&data, synthetic::SEED);
    let t1 = Instant::now();
    println!(
        "world: {} ({} flows), built in {:.2} s, peak {}",
        data.name,
        data.flows.len(),
        (t1 - t0).as_secs_f64(),
        mib(synthetic::peak_rss_bytes())
    );
    let cal = ge::calibrate(&data, &params).expect("the synthetic world calibrates");
    let t2 = Instant::now();
    println!(
        "calibrate: {:.3} s, peak {}",
        (t2 - t1).as_secs_f64(),
        mib(synthetic::peak_rss_bytes())
    );
    let eq = ge::solve(&cal, &tariffs, &SolverOptions::default()).expect("the scenario solves");
    let t3 = Instant::now();
    let out = ge::outcomes(&cal, &eq);
    let t4 = Instant::now();
    println!(
        "solve: {:.3} s ({} iterations, max residual {:.1e}), outcomes {:.3} s, peak {}",
        (t3 - t2).as_secs_f64(),
        eq.report.iterations,
        eq.report.max_residual,
        (t4 - t3).as_secs_f64(),
        mib(synthetic::peak_rss_bytes())
    );
    println!(
        "preset: {}; welfare of SYN000 {:+.3} %; peak resident memory of the whole run: {}",
        if textbook {
            "textbook"
        } else {
            "ILMS-like (ν = 0.12, ψ_k = 0.67/ε_k)"
        },
        out.countries[0].welfare_pct,
        mib(synthetic::peak_rss_bytes())
    );
}
