//! Reciprocity's side of the peer comparison (bench/peers/run.sh): read a world written by
//! bench/peers/prepare.py, solve the same tariff shock with the textbook preset, time it, and
//! write the welfare changes for bench/peers/compare.py.
//!
//! `cargo run --release -p reciprocity-data --example peer_reciprocity -- WORLD.csv OUT_PREFIX [EPSILON]`
//!
//! Input columns used: exporter, importer, trade, tariff_new (factual tariffs are zero). Writes
//! OUT_PREFIX.reciprocity.csv (country, welfare_pct) and OUT_PREFIX.reciprocity.json (timings).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use reciprocity_model::ge::{self, Params, SolverOptions};
use reciprocity_model::Dataset;

struct World {
    data: Dataset,
    tariffs: Vec<f64>,
}

fn read_world(path: &str) -> Result<World, String> {
    let mut reader = csv::Reader::from_path(path).map_err(|e| format!("{path}: {e}"))?;
    let headers = reader
        .headers()
        .map_err(|e| format!("{path}: {e}"))?
        .clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| format!("{path}:1: header: expected a column {name:?}"))
    };
    let (c_e, c_i, c_x, c_t) = (
        col("exporter")?,
        col("importer")?,
        col("trade")?,
        col("tariff_new")?,
    );
    let mut rows = Vec::new();
    for (line, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("{path}: {e}"))?;
        let number = |c: usize, field: &str| {
            record[c].parse::<f64>().map_err(|_| {
                format!(
                    "{path}:{}: {field}: expected a number, found {:?}",
                    line + 2,
                    &record[c]
                )
            })
        };
        rows.push((
            record[c_e].to_string(),
            record[c_i].to_string(),
            number(c_x, "trade")?,
            number(c_t, "tariff_new")?,
        ));
    }
    let codes: Vec<String> = {
        let mut set: BTreeMap<String, ()> = BTreeMap::new();
        for (e, i, _, _) in &rows {
            set.insert(e.clone(), ());
            set.insert(i.clone(), ());
        }
        set.into_keys().collect()
    };
    let n = codes.len();
    if rows.len() != n * n {
        return Err(format!(
            "{path}: expected {} pairs for {n} countries, found {}",
            n * n,
            rows.len()
        ));
    }
    let position: BTreeMap<&str, usize> = codes
        .iter()
        .enumerate()
        .map(|(i, c)| (c.as_str(), i))
        .collect();
    let mut data = Dataset::zeros(path, codes.clone(), vec!["TOTAL".to_string()]);
    data.has_domestic_flows = true;
    let mut tariffs = vec![0.0; n * n];
    for (e, i, x, t) in &rows {
        let id = data.index(0, position[e.as_str()], position[i.as_str()]);
        data.flows[id] = *x;
        tariffs[id] = *t;
    }
    Ok(World { data, tariffs })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

fn main() {
    // One core, like the benchmarks (only the Newton fallback would use more).
    std::env::set_var("RAYON_NUM_THREADS", "1");
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: peer_reciprocity WORLD.csv OUT_PREFIX [EPSILON]");
        std::process::exit(2);
    }
    let (path, out) = (&args[1], &args[2]);
    let epsilon: f64 = args
        .get(3)
        .map_or(4.0, |s| s.parse().expect("EPSILON must be a number"));
    let params = Params::textbook(vec![epsilon]);

    // End to end (read the CSV, calibrate, solve, outcomes) and the model alone, repeated for at
    // least a second and 20 repetitions, median reported.
    let mut end_to_end = Vec::new();
    let mut model_only = Vec::new();
    let mut last = None;
    let started = Instant::now();
    while end_to_end.len() < 20 || started.elapsed() < Duration::from_secs(1) {
        let t0 = Instant::now();
        let world = read_world(path).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(2)
        });
        let t1 = Instant::now();
        let cal = ge::calibrate(&world.data, &params).expect("the world calibrates");
        let eq = ge::solve(&cal, &world.tariffs, &SolverOptions::default())
            .expect("the scenario solves");
        let outcomes = ge::outcomes(&cal, &eq);
        let t2 = Instant::now();
        end_to_end.push((t2 - t0).as_secs_f64());
        model_only.push((t2 - t1).as_secs_f64());
        last = Some((world, eq.report, outcomes));
    }
    let (world, report, outcomes) = last.expect("at least one repetition");
    let reps = end_to_end.len();
    let (e2e, model) = (median(&mut end_to_end), median(&mut model_only));

    let mut csv_out = String::from("country,welfare_pct,revenue_share\n");
    for (code, c) in world.data.countries.iter().zip(&outcomes.countries) {
        csv_out.push_str(&format!(
            "{code},{:.12e},{:.12e}\n",
            c.welfare_pct, c.revenue_share
        ));
    }
    std::fs::write(format!("{out}.reciprocity.csv"), csv_out).expect("write the results");
    let json = format!(
        "{{\n \"world\": {path:?},\n \"countries\": {},\n \"epsilon\": {epsilon},\n \"reps\": {reps},\n \
         \"median_seconds_end_to_end\": {e2e:.9},\n \"median_seconds_model\": {model:.9},\n \
         \"iterations\": {},\n \"max_residual\": {:e}\n}}\n",
        world.data.n_countries(),
        report.iterations,
        report.max_residual
    );
    std::fs::write(format!("{out}.reciprocity.json"), json).expect("write the timings");
    println!(
        "reciprocity {} countries: median {:.3} ms end to end, {:.3} ms calibrate+solve+outcomes over {reps} runs; \
         {} iterations, residual {:.1e}",
        world.data.n_countries(),
        1e3 * e2e,
        1e3 * model,
        report.iterations,
        report.max_residual
    );
}
