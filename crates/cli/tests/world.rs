//! `reciprocity world build`: bad paths are input errors naming the flag (exit 2) and leave no
//! output; with ../shared/data, the full build prints its report and validation table.

mod common;
use common::run;

#[test]
fn a_missing_input_names_its_flag_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("world");
    let missing = dir.path().join("no-such-icio");
    let (code, stdout, stderr) = run(&[
        "world",
        "build",
        "--icio",
        missing.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(
        stderr.contains("--icio: ") && stderr.contains("no such file or folder"),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn a_malformed_icio_file_names_file_line_and_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let icio = dir.path().join("icio2022");
    std::fs::create_dir(&icio).unwrap();
    std::fs::write(
        icio.join("node_output_2022.csv"),
        "country,sector,gross_output,interm_sales_80,interm_sales_domestic,final_and_row_sales\nUSA,A01,1,x,0,1\n",
    )
    .unwrap();
    let baci = dir.path().join("ilms2025");
    std::fs::create_dir(&baci).unwrap();
    let census = dir.path().join("census.csv");
    std::fs::write(
        &census,
        "country_name,iso3,entity_type,exports_usd,imports_usd\n",
    )
    .unwrap();
    let out = dir.path().join("world");
    let (code, _, stderr) = run(&[
        "world",
        "build",
        "--icio",
        icio.to_str().unwrap(),
        "--baci",
        baci.to_str().unwrap(),
        "--census",
        census.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--baseline-tariffs",
        "zero",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("node_output_2022.csv:2: interm_sales_80: expected a number, found \"x\""),
        "{stderr}"
    );
    assert!(!out.exists());
}

#[test]
fn the_applied_baseline_names_a_missing_tariff_folder_and_a_bad_date() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| {
        let p = dir.path().join(name);
        std::fs::create_dir_all(&p).unwrap();
        p.to_str().unwrap().to_string()
    };
    let (icio, baci, census) = (d("icio2022"), d("ilms2025"), d("census"));
    let out = dir.path().join("world");
    let missing = dir.path().join("no-such-partner-tariffs");
    let base = [
        "world", "build", "--icio", &icio, "--baci", &baci, "--census", &census, "--out",
    ];
    let mut args: Vec<&str> = base.to_vec();
    args.extend([
        out.to_str().unwrap(),
        "--partner-tariffs",
        missing.to_str().unwrap(),
    ]);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--partner-tariffs: ") && stderr.contains("no such file or folder"),
        "{stderr}"
    );
    let mut args: Vec<&str> = base.to_vec();
    args.extend([out.to_str().unwrap(), "--tariffs-as-of", "2024-13-40"]);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--tariffs-as-of"), "{stderr}");
    assert!(!out.exists());
}

#[test]
#[ignore = "needs ../shared/data"]
fn builds_the_default_world_with_its_validation_table() {
    assert!(
        reciprocity_data::shared_data_dir().is_some(),
        "needs ../shared/data"
    );
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("icio25");
    let (code, stdout, stderr) = run(&["world", "build", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("Built 81 regions x 25 sectors"), "{stdout}");
    assert!(
        stdout.contains("US imports by partner, 20 largest"),
        "{stdout}"
    );
    assert!(stdout.contains("max |difference| 0.000 %"), "{stdout}");
    assert!(
        stdout.contains("US imports by sector vs Census 2024 HS8"),
        "{stdout}"
    );
    assert!(out.join("flows.csv").is_file() && out.join("README.md").is_file());
    assert!(
        stdout.contains("7. Baseline tariffs (applied):"),
        "{stdout}"
    );
    assert!(stdout.contains("A16 "), "{stdout}");
}
