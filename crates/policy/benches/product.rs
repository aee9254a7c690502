//! Product lookups and the daily effective-rate series (needs ../shared/data; skipped without it).
//! `cargo bench -p reciprocity-policy --bench product`

use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use reciprocity_policy::product::data::FILES;
use reciprocity_policy::product::etr::{change_dates, etr_on, EtrWeights, RestRow};
use reciprocity_policy::product::{Assumptions, ProductData, ProductEngine, ProductTexts};
use reciprocity_policy::{date, embedded, KnownPartners, Registry};

fn load() -> Option<(Registry, ProductEngine, Vec<RestRow>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    let t: Vec<String> = FILES
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f.1)).ok())
        .collect::<Option<_>>()?;
    let t: [String; reciprocity_policy::product::data::TABLES] = t.try_into().ok()?;
    let pt = ProductTexts::from_texts(&t);
    let data = ProductData::parse(&pt).expect("tables");
    let hs2 = std::fs::read_to_string(
        dir.join("tariffs_hs2/hs2_us_tariffs_by_partner_2025-09-22_aug2025-regime.csv"),
    )
    .ok()?;
    let rest = hs2
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let n = f.len();
            Some(RestRow {
                iso3: f[0].into(),
                cty: f[1].parse().ok()?,
                hs2: f[n - 5].into(),
                value: f[n - 4].parse().ok()?,
            })
        })
        .collect();
    Some((
        embedded(&KnownPartners::any()).ok()?,
        ProductEngine::new(data, Assumptions::default()),
        rest,
    ))
}

fn bench(c: &mut Criterion) {
    let Some((reg, eng, rest)) = load() else {
        eprintln!("product bench skipped: ../shared/data not found");
        return;
    };
    let d = date("2025-06-10").unwrap();
    c.bench_function("lookup 72085100 CAN 2025-06-10", |b| {
        b.iter(|| eng.lookup(&reg, "72085100", "CAN", d).unwrap())
    });
    let d2 = date("2025-05-14").unwrap();
    c.bench_function("lookup 61091000 CHN 2025-05-14", |b| {
        b.iter(|| eng.lookup(&reg, "61091000", "CHN", d2).unwrap())
    });
    let w = EtrWeights::new(&eng, &reg, rest);
    let dates = change_dates(
        &eng,
        &reg,
        date("2025-01-01").unwrap(),
        date("2026-12-31").unwrap(),
    );
    let mut g = c.benchmark_group("etr");
    g.sample_size(10);
    g.bench_function("daily series 2025-01-01..2026-12-31, every partner", |b| {
        b.iter(|| etr_on(&eng, &reg, &w, &dates))
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
