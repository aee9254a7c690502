//! Loader tests: synthetic files made here (always run) and the real worlds of ../shared/data (ignored
//! unless the folder is present: `cargo test -p reciprocity-data -- --ignored`).

use std::path::{Path, PathBuf};

use reciprocity_data::{check_dataset, load_dataset, Layout};

fn shared() -> PathBuf {
    match std::env::var_os("RECIPROCITY_SHARED_DATA") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

/// Load a long CSV text and return the first error line, or "ok".
fn check_long(text: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "flows.csv", text);
    match load_dataset(&p) {
        Ok(_) => "ok".to_string(),
        Err(e) => e.to_string().replace(&p.display().to_string(), "flows.csv"),
    }
}

#[test]
fn long_csv_loads_with_sectors_tariffs_and_diagonal() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "flows.csv",
        "exporter,importer,sector,value,tariff\nUSA,USA,A,100,0\nCHN,CHN,A,80,0\nUSA,CHN,A,10,0.2\nCHN,USA,A,30,0.1\nCHN,USA,B,5,\nUSA,USA,B,7,\nCHN,CHN,B,9,\n",
    );
    write(
        dir.path(),
        "gdp.csv",
        "country,gdp\nUSA,150\nCHN,120\nDEU,99\n",
    );
    let report = check_dataset(dir.path()).unwrap();
    assert_eq!(report.layout, Some(Layout::LongCsv));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("1 rows dropped: countries without any flow")),
        "{:?}",
        report.notes
    );
    let ds = report.dataset.unwrap();
    assert_eq!(ds.countries, ["CHN", "USA"]);
    assert_eq!(ds.sectors, ["A", "B"]);
    assert!(ds.has_domestic_flows);
    let (chn, usa) = (0, 1);
    assert_eq!(ds.flow_table().get(0, usa, chn), 10.0);
    assert_eq!(ds.tariff_table().get(0, usa, chn), 0.2);
    assert_eq!(ds.flow_table().get(1, chn, usa), 5.0);
    assert_eq!(ds.flow_table().get(1, usa, chn), 0.0);
    assert_eq!(ds.gdp, Some(vec![120.0, 150.0]));
}

#[test]
fn long_csv_problems_name_file_line_and_field() {
    assert_eq!(check_long("exporter,importer,value\nUSA,CHN,1\n"), "ok");
    assert_eq!(
        check_long("exporter,importer,value\nUSA,XXQ,1\n"),
        "flows.csv:2: importer: expected a known country code (ISO3), found \"XXQ\""
    );
    assert_eq!(
        check_long("exporter,importer,value\nUSA,CHN,-1\n"),
        "flows.csv:2: value: expected a flow ≥ 0, found -1"
    );
    assert_eq!(
        check_long("exporter,importer,value\nUSA,CHN,\n"),
        "flows.csv:2: value: expected a flow, found an empty cell"
    );
    assert_eq!(
        check_long("exporter,importer,value\nUSA,CHN,1\nUSA,CHN,2\n"),
        "flows.csv:3: exporter,importer,sector: expected each cell once, found a duplicate of line 2"
    );
    assert_eq!(
        check_long("exporter,importer,value\nUSA,USA,1\nCHN,USA,2\n"),
        "flows.csv:0: diagonal: CHN: expected domestic sales (exporter = importer) > 0, found none"
    );
    assert_eq!(
        check_long("exporter,importer,amount\nUSA,CHN,1\n"),
        "flows.csv:1: value: expected a column `value` (or `value_<unit>`), found columns: exporter, importer, amount"
    );
    assert_eq!(
        check_long(""),
        "flows.csv:1: header: expected a CSV header row, found an empty file"
    );
    assert_eq!(
        check_long("exporter,importer,value\nUSA,CHN,1\nUSA,DEU\n"),
        "flows.csv:3: row: expected 3 fields (as in the header), found 2"
    );
    // Several problems: the first is reported with the count of the others.
    let many = check_long("exporter,importer,value\nUSA,CHN,-1\nUSA,DEU,-2\nUSA,JPN,-3\n");
    assert!(
        many.starts_with("flows.csv:2: value: expected a flow ≥ 0, found -1 (and 2 more problems"),
        "{many}"
    );
}

#[test]
fn check_lists_every_problem() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "flows.csv",
        "exporter,importer,value\nUSA,CHN,-1\nUSA,ZZZ,2\nUSA,DEU,x\nUSA,CHN,3\n",
    );
    let report = check_dataset(&p).unwrap();
    let lines: Vec<String> = report.problems.iter().map(|e| e.to_string()).collect();
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert!(lines[0].ends_with(":2: value: expected a flow ≥ 0, found -1"));
    assert!(lines[1].ends_with(":3: importer: expected a known country code (ISO3), found \"ZZZ\""));
    assert!(lines[2].ends_with(":4: value: expected a number, found \"x\""));
}

#[test]
fn a_folder_that_is_not_a_dataset() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "notes.txt", "hello");
    let e = load_dataset(dir.path()).unwrap_err().to_string();
    assert!(e.contains(":0: layout: expected a dataset folder"), "{e}");
    assert!(e.ends_with("found: notes.txt"), "{e}");
    let e = load_dataset(&dir.path().join("missing"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("no such file or folder"), "{e}");
}

#[test]
#[ignore = "needs ../shared/data"]
fn shared_data_dir_is_found() {
    // From the crate folder (cargo's cwd for tests), `<workspace>/../shared/data` is an ancestor's `shared/data`.
    let dir = reciprocity_data::shared_data_dir().expect("shared data dir");
    assert!(dir.join("ilms2025").is_dir(), "{}", dir.display());
}

#[test]
#[ignore = "needs ../shared/data"]
fn ilms2025_world() {
    let t0 = std::time::Instant::now();
    let report = check_dataset(&shared().join("ilms2025")).unwrap();
    let elapsed = t0.elapsed();
    eprintln!("ILMS world loaded and validated in {elapsed:?}");
    assert_eq!(report.layout, Some(Layout::Ilms2025));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let ds = report.dataset.unwrap();
    assert_eq!((ds.n_countries(), ds.n_sectors()), (194, 1));
    assert!(!ds.has_domestic_flows);
    assert_eq!(ds.countries[184], "USA"); // iso_code 185
    assert_eq!(ds.countries[33], "CHN"); // iso_code 34
    let (usa, chn) = (184, 33);
    // PROVENANCE §4: USA exports 1,858.7bn, imports 2,902.6bn; China→USA 440.5bn, USA→China 145.3bn (thousand USD).
    let exports: f64 = (0..194).map(|i| ds.flow_table().get(0, usa, i)).sum();
    let imports: f64 = (0..194).map(|j| ds.flow_table().get(0, j, usa)).sum();
    assert!((exports / 1e6 - 1858.7).abs() < 0.1, "{exports}");
    assert!((imports / 1e6 - 2902.6).abs() < 0.1, "{imports}");
    assert!((ds.flow_table().get(0, chn, usa) / 1e6 - 440.5).abs() < 0.1);
    assert!((ds.flow_table().get(0, usa, chn) / 1e6 - 145.3).abs() < 0.1);
    assert_eq!(ds.flows.iter().filter(|v| **v > 0.0).count(), 25_398);
    // GDP in thousand USD: USA 2.784e13 USD.
    let gdp = ds.gdp.as_ref().unwrap();
    assert!((gdp[usa] / 1e10 - 2.784).abs() < 0.001, "{}", gdp[usa]);
    let t = &ds.columns["us_tariff_liberation_day"];
    assert_eq!((t[chn], t[ds.country_index("IND").unwrap()]), (0.54, 0.27));
    let eu = &ds.groups["EU25"];
    assert_eq!(eu.len(), 25);
    assert!(!eu.contains(&"CZE".to_string()) && !eu.contains(&"SVK".to_string()));
    assert!(
        ds.tariffs.iter().all(|t| *t == 0.0),
        "ILMS factual tariffs are zero"
    );
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.contains("12238 empty cells read as 0")),
        "{:?}",
        report.notes
    );
}

#[test]
#[ignore = "needs ../shared/data"]
fn ossa2014_world() {
    let ds = load_dataset(&shared().join("ossa2014")).unwrap();
    assert_eq!(
        ds.countries,
        ["BRA", "CHN", "EU", "IND", "JPN", "ROW", "USA"]
    );
    assert_eq!(ds.n_sectors(), 33);
    assert!(ds.has_domestic_flows);
    // bilateral.csv line 2: BRA→BRA rice, trade_baseline 11014.765006638034.
    assert_eq!(ds.flow_table().get(0, 0, 0), 11014.765006638034);
    // line 4: BRA→EU rice, tariff 0.2543338.
    assert_eq!(ds.tariff_table().get(0, 0, 2), 0.2543338);
    let eps = ds.trade_elasticity.as_ref().unwrap();
    assert!((eps[0] - (7.007203 - 1.0)).abs() < 1e-12);
    // README: Σ trade_baseline = 3.32e7.
    let total: f64 = ds.flows.iter().sum();
    assert!((total / 1e7 - 3.32).abs() < 0.01, "{total}");
    // Max tariff 5.13 (JPN on rice from CHN).
    let max = ds.tariffs.iter().cloned().fold(0.0, f64::max);
    assert!((max - 5.13).abs() < 0.01, "{max}");
    assert_eq!(ds.tariff_table().get(0, 1, 4), max);
}

#[test]
#[ignore = "needs ../shared/data"]
fn gegravity_sample() {
    for p in [
        shared().join("gegravity"),
        shared().join("gegravity/sample_data_set.csv"),
    ] {
        let report = check_dataset(&p).unwrap();
        assert_eq!(report.layout, Some(Layout::Gegravity));
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let ds = report.dataset.unwrap();
        assert_eq!(ds.n_countries(), 30);
        assert!(ds.has_domestic_flows);
        let (gbr, aus) = (
            ds.country_index("GBR").unwrap(),
            ds.country_index("AUS").unwrap(),
        );
        // Line 2: GBR→AUS 4310, Y(GBR) 925638, E(AUS) 362227.
        assert_eq!(ds.flow_table().get(0, gbr, aus), 4310.0);
        assert_eq!(ds.gdp.as_ref().unwrap()[gbr], 925_638.0);
        assert_eq!(ds.columns["expenditure"][aus], 362_227.0);
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn world_long_files_load_as_long_csv() {
    let ds =
        load_dataset(&shared().join("world/ilms2025_baci2023_bilateral_goods_194.csv")).unwrap();
    assert_eq!(ds.units, "usd thousands");
    let ilms = load_dataset(&shared().join("ilms2025")).unwrap();
    let (usa, chn) = (
        ds.country_index("USA").unwrap(),
        ds.country_index("CHN").unwrap(),
    );
    let (iu, ic) = (
        ilms.country_index("USA").unwrap(),
        ilms.country_index("CHN").unwrap(),
    );
    // The long copy rounds to 3 decimals (thousand USD).
    assert!((ds.flow_table().get(0, chn, usa) - ilms.flow_table().get(0, ic, iu)).abs() < 1e-3);
    let ossa =
        load_dataset(&shared().join("world/ossa2014_gtap7_2007_7regions_33sectors.csv")).unwrap();
    assert_eq!(
        ossa.countries,
        ["BRA", "CHN", "EUU", "IND", "JPN", "ROW", "USA"]
    );
    assert_eq!(ossa.n_sectors(), 33);
}

#[test]
#[ignore = "needs ../shared/data"]
fn partner_tariffs_match_embedded_headline() {
    let loaded =
        reciprocity_data::partner_tariffs::load_headline(&shared().join("partner_tariffs"))
            .unwrap();
    assert_eq!(
        loaded.as_slice(),
        reciprocity_data::partner_tariffs::embedded_headline()
    );
}

#[test]
#[ignore = "needs ../shared/data"]
fn embedded_tables_are_up_to_date() {
    // Regenerate into a temp copy and compare with the committed tables.
    let out = std::process::Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../scripts/gen_embedded.py"
        ))
        .arg("--check")
        .arg(shared())
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn long_csv_folder_reads_named_columns_and_names_a_bad_cell() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "flows.csv",
        "exporter,importer,value\nUSA,USA,100\nCHN,CHN,80\nCHN,USA,30\n",
    );
    write(
        dir.path(),
        "columns.csv",
        "country,us_tariff_liberation_day\nUSA,0\nCHN,0.54\n",
    );
    let ds = load_dataset(dir.path()).unwrap();
    assert_eq!(ds.columns["us_tariff_liberation_day"], [0.54, 0.0]);
    let cols = write(
        dir.path(),
        "columns.csv",
        "country,us_tariff_liberation_day\nUSA,0\nCHN,high\n",
    );
    let err = load_dataset(dir.path()).unwrap_err().to_string();
    assert!(
        err.starts_with(&format!(
            "{}:3: us_tariff_liberation_day: expected a number, found \"high\"",
            cols.display()
        )),
        "{err}"
    );
}
