//! A scenario file: parse it, then resolve its parameters and its layers against a tiny
//! synthetic world (three countries, two sectors). Any `Err` is fine; only a panic, an overflow,
//! a hang or running out of memory is a crash.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reciprocity_model::{ge, Dataset};

fn world() -> &'static (Dataset, ge::Calibration) {
    static WORLD: OnceLock<(Dataset, ge::Calibration)> = OnceLock::new();
    WORLD.get_or_init(|| {
        let mut data = Dataset::zeros(
            "synthetic",
            vec!["USA".into(), "CHN".into(), "DEU".into()],
            vec!["AGR".into(), "MFG".into()],
        );
        // Sector-major k x exporter x importer, with domestic sales on the diagonal.
        data.flows = vec![
            80.0, 10.0, 5.0, 8.0, 70.0, 6.0, 4.0, 9.0, 60.0, //
            90.0, 20.0, 15.0, 25.0, 85.0, 12.0, 10.0, 14.0, 75.0,
        ];
        data.has_domestic_flows = true;
        let cal = ge::calibrate(&data, &ge::Params::textbook(vec![4.0, 5.0]))
            .expect("the synthetic world calibrates");
        (data, cal)
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(file) = reciprocity_scenario::parse(text, "fuzz.toml") else {
        return;
    };
    let (data, cal) = world();
    let _ = file.params(data, "fuzz.toml");
    let _ = file.resolve(data, cal, "fuzz.toml");
});
