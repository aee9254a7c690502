//! The shipped scenario files reproduce the published ILMS results, and bad scenario files get
//! errors that name the key.

use std::path::PathBuf;

use reciprocity_model::ge;
use reciprocity_model::Dataset;
use reciprocity_scenario::parse;

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../examples/scenarios/ilms")
}

fn shared_data() -> PathBuf {
    std::env::var_os("RECIPROCITY_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"))
}

fn run(data: &Dataset, file: &str) -> (ge::Outcomes, Vec<String>) {
    let path = examples_dir().join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let scenario = parse(&text, file).unwrap();
    let params = scenario.params(data, file).unwrap();
    let cal = ge::calibrate(data, &params).unwrap();
    let resolved = scenario.resolve(data, &cal, file).unwrap();
    let eq = ge::solve(&cal, &resolved.tariffs, &ge::SolverOptions::default()).unwrap();
    assert!(eq.report.max_residual < 1e-10);
    (ge::outcomes(&cal, &eq), resolved.notes)
}

#[test]
#[ignore = "needs ../shared/data"]
fn ilms_examples_reproduce_the_published_welfare_changes() {
    let data = reciprocity_data::load_dataset(&shared_data().join("ilms2025")).unwrap();
    // (file, country, published welfare change %) — ILMS (2025) Tables 1, 2, 8 and 9.
    let cases: &[(&str, &[(&str, f64)])] = &[
        (
            "liberation-day.toml",
            &[
                ("USA", 1.13),
                ("CHN", -1.13),
                ("VNM", -11.02),
                ("MEX", -2.54),
                ("CAN", -1.00),
                ("GBR", 0.42),
            ],
        ),
        ("lump-sum.toml", &[("USA", -0.01)]),
        ("partial-passthrough.toml", &[("USA", 1.36)]),
        ("eaton-kortum.toml", &[("USA", 1.24)]),
        ("eps8.toml", &[("USA", 0.33)]),
        ("optimal-us-tariff.toml", &[("USA", 1.79)]),
        (
            "reciprocal-retaliation.toml",
            &[("USA", -0.36), ("CHN", -0.82)],
        ),
        (
            "optimal-retaliation.toml",
            &[("USA", -0.75), ("CHN", -0.65)],
        ),
        ("tariff-war.toml", &[("USA", -0.32), ("CHN", -0.36)]),
        ("regional-eu-china.toml", &[("USA", -0.19), ("CHN", -0.69)]),
        ("regional-china.toml", &[("USA", -0.09), ("CHN", -0.67)]),
        ("regional-china-108.toml", &[("USA", -0.29), ("CHN", -0.79)]),
    ];
    let mut files: Vec<String> = std::fs::read_dir(examples_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut covered: Vec<&str> = cases.iter().map(|(f, _)| *f).collect();
    covered.sort();
    assert_eq!(
        files, covered,
        "every shipped example has a published check"
    );
    for (file, expected) in cases {
        let (out, _) = run(&data, file);
        for (code, published) in *expected {
            let ours = out.countries[data.country_index(code).unwrap()].welfare_pct;
            assert!(
                (ours - published).abs() <= 0.005 + 1e-9,
                "{file} {code}: ours {ours:.4}, published {published}"
            );
        }
        if *file == "liberation-day.toml" {
            let us = data.country_index("USA").unwrap();
            assert!((100.0 * out.countries[us].revenue_share - 1.14).abs() <= 0.005);
        }
    }
}

fn toy() -> Dataset {
    let codes = ["USA", "CHN", "DEU", "FRA", "MEX"];
    let mut data = Dataset::zeros(
        "toy (synthetic)",
        codes.iter().map(|c| c.to_string()).collect(),
        vec!["TOTAL".into()],
    );
    for j in 0..5 {
        for i in 0..5 {
            data.flows[j * 5 + i] = if i == j {
                50.0
            } else {
                2.0 + (i + 2 * j) as f64
            };
        }
    }
    data.has_domestic_flows = true;
    data.gdp = Some(vec![60.0; 5]);
    data
}

fn error_of(text: &str) -> String {
    let data = toy();
    let scenario = match parse(text, "bad.toml") {
        Err(e) => return e.to_string(),
        Ok(s) => s,
    };
    let params = match scenario.params(&data, "bad.toml") {
        Err(e) => return e.to_string(),
        Ok(p) => p,
    };
    let cal = ge::calibrate(&data, &params).unwrap();
    match scenario.resolve(&data, &cal, "bad.toml") {
        Err(e) => e.to_string(),
        Ok(_) => panic!("expected an error for:\n{text}"),
    }
}

#[test]
fn bad_scenarios_name_the_key() {
    let cases = [
        ("[model]\npreset = \"ilms\"\nepsilom = 4\n", "epsilom"),
        ("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"XYZ\"]\nrate = 0.1\n", "tariffs[0].exporters"),
        ("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nrate = -2\n", "tariffs[0].rate"),
        ("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\n", "tariffs[0]"),
        ("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\nrate = 0.1\nmode = \"multiply\"\n", "tariffs[0].mode"),
        ("[[tariffs]]\nimporters = [\"USA\"]\nexporters = [\"all\"]\ncolumn = \"nope\"\n", "tariffs[0].column"),
        ("[[retaliation]]\nrule = \"revenge\"\n", "retaliation[0].rule"),
        ("[[retaliation]]\nrule = \"explicit\"\n", "retaliation[0].rate"),
        ("[model]\nkappa = -1\n", "model.kappa"),
        ("[model]\nvariant = [\"fast\"]\n", "model.variant[0]"),
        ("[model]\nnu = 1.5\n", "model.nu"),
    ];
    for (text, key) in cases {
        let message = error_of(text);
        assert!(message.starts_with("bad.toml"), "names the file: {message}");
        assert!(
            message.contains(key),
            "expected the key {key} in: {message}"
        );
    }
}

#[test]
fn layers_groups_and_retaliation_compose() {
    let data = toy();
    let text = r#"
        [model]
        nu = 0.1
        [[tariffs]]
        importers = ["USA"]
        exporters = ["all"]
        rate = 0.10
        [[tariffs]]
        importers = ["USA"]
        exporters = ["EU27"]
        rate = 0.20
        mode = "add"
        [[retaliation]]
        rule = "reciprocal"
        by = ["DEU", "CHN"]
        [[retaliation]]
        rule = "explicit"
        by = ["MEX"]
        rate = 0.05
    "#;
    let scenario = parse(text, "ok.toml").unwrap();
    let params = scenario.params(&data, "ok.toml").unwrap();
    let cal = ge::calibrate(&data, &params).unwrap();
    let resolved = scenario.resolve(&data, &cal, "ok.toml").unwrap();
    let t = |j: usize, i: usize| resolved.tariffs[j * 5 + i];
    let (us, chn, deu, fra, mex) = (0, 1, 2, 3, 4);
    assert_eq!(t(chn, us), 0.10);
    assert!(
        (t(deu, us) - 0.30).abs() < 1e-15 && (t(fra, us) - 0.30).abs() < 1e-15,
        "EU27 members get 10 + 20"
    );
    assert_eq!(t(us, deu), t(deu, us), "Germany mirrors");
    assert_eq!(t(us, chn), 0.10, "China mirrors");
    assert_eq!(t(us, fra), 0.0, "France does not retaliate");
    assert_eq!(t(us, mex), 0.05);
    assert_eq!(t(us, us), 0.0, "no tariff on domestic sales");
    assert!(
        resolved.notes.iter().any(|n| n.contains("not in the data")),
        "EU members missing from the toy world are reported"
    );
}

/// A synthetic world in ILMS's four sectors (seedless: the flows are a fixed pattern).
fn toy_ilms4() -> Dataset {
    let codes = ["USA", "CHN", "DEU", "FRA", "MEX"];
    let sectors = ["MANUFACTURING", "AGRICULTURE", "SERVICES", "MINING_ENERGY"];
    let mut data = Dataset::zeros(
        "toy in four sectors (synthetic)",
        codes.iter().map(|c| c.to_string()).collect(),
        sectors.iter().map(|c| c.to_string()).collect(),
    );
    for k in 0..4 {
        for j in 0..5 {
            for i in 0..5 {
                data.flows[(k * 5 + j) * 5 + i] = if i == j {
                    40.0 + k as f64
                } else {
                    1.0 + (i + 2 * j + k) as f64
                };
            }
        }
    }
    data.has_domestic_flows = true;
    data.gdp = Some(vec![100.0, 80.0, 60.0, 50.0, 30.0]);
    data
}

#[test]
fn ilms_table7_divides_the_goods_estimates_by_the_gdp_weighted_mean_phi() {
    let data = toy_ilms4();
    // ν = 0.2 everywhere: φ = 1 + g(0.2) > 1 (the two-region rule needs a world with real GDP).
    let scenario = parse("[model]\nepsilon = \"ilms-table7\"\nnu = 0.2\n", "t7.toml").unwrap();
    let params = scenario.params(&data, "t7.toml").unwrap();
    let cal = ge::calibrate(&data, &params).unwrap();
    let gdp = data.gdp.as_ref().unwrap();
    let phi_bar: f64 =
        cal.phi.iter().zip(gdp).map(|(p, y)| p * y).sum::<f64>() / gdp.iter().sum::<f64>();
    assert!(phi_bar > 1.0, "{phi_bar}");
    // In the world's own sector order: manufacturing, agriculture, services, mining.
    let want = [3.8 / phi_bar, 3.3 / phi_bar, 3.0, 4.1 / phi_bar];
    for (got, want) in params.epsilon.iter().zip(want) {
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
    }
    assert_eq!(params.psi, vec![0.67 / 4.0]);
    let resolved = scenario.resolve(&data, &cal, "t7.toml").unwrap();
    assert!(
        resolved.notes[0].starts_with("trade elasticities ε: ILMS (2025) Table 7")
            && resolved.notes[0].contains("SERVICES 3.000"),
        "{:?}",
        resolved.notes
    );
    // A one-sector world is refused, naming the key.
    let err = scenario.params(&toy(), "t7.toml").unwrap_err().to_string();
    assert!(
        err.contains("model.epsilon") && err.contains("ILMS's four sectors"),
        "{err}"
    );
}
