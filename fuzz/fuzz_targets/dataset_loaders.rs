//! The dataset loaders (`reciprocity_data::check_dataset`, which `load_dataset` and
//! `data check` run), on files written into a temporary folder once per input. The first byte
//! picks the layout; the rest is split on NUL bytes into that layout's files, in the order below
//! (missing files are written empty). Any `Err` or reported problem is fine; only a panic, an
//! overflow, a hang or running out of memory is a crash.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

/// (folder, files): the folder is checked, or its single file when the folder is `file`.
const LAYOUTS: &[(&str, &[&str])] = &[
    // A single long or gegravity CSV, recognised by its header.
    ("file", &["data.csv"]),
    ("long", &["flows.csv", "gdp.csv", "columns.csv"]),
    (
        "ilms2025",
        &[
            "trade_cepii.csv",
            "country_labels.csv",
            "gdp.csv",
            "tariffs.csv",
            "eu_countries.csv",
        ],
    ),
    ("ossa2014", &["bilateral.csv", "regions.csv", "sectors.csv"]),
    ("gegravity", &["sample_data_set.csv"]),
];

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let path = dir.keep();
        for (folder, _) in LAYOUTS {
            std::fs::create_dir_all(path.join(folder)).expect("a layout folder");
        }
        path
    })
}

fuzz_target!(|bytes: &[u8]| {
    let Some((&pick, rest)) = bytes.split_first() else {
        return;
    };
    let (folder, files) = LAYOUTS[usize::from(pick) % LAYOUTS.len()];
    let dir = root().join(folder);
    let mut parts = rest.split(|b| *b == 0);
    for name in files {
        let part = parts.next().unwrap_or_default();
        std::fs::write(dir.join(name), part).expect("write a dataset file");
    }
    let target = if folder == "file" {
        dir.join(files[0])
    } else {
        dir
    };
    if let Ok(report) = reciprocity_data::check_dataset(&target) {
        let _ = report.dataset.map(|d| d.n_countries());
    }
    let _ = reciprocity_data::load_dataset(&target);
});
