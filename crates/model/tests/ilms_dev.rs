mod common;
use reciprocity_model::ge;
use reciprocity_model::strategy;

#[test]
#[ignore = "needs ../shared/data"]
fn dev_print() {
    let data = common::ilms_world();
    let cal = ge::calibrate(&data, &ge::Params::ilms()).unwrap();
    println!("nu {:?} phi {} {}", cal.nu_two_region, cal.phi[0], cal.phi[184]);
    let us = 184;
    println!("t*E {:.10} t*Y {:.10} tr {:.10}",
        strategy::optimal_tariff_closed_form(&cal, us, strategy::Denominator::Expenditure).unwrap(),
        strategy::optimal_tariff_closed_form(&cal, us, strategy::Denominator::Income).unwrap(),
        strategy::optimal_retaliation_rate(&cal, us).unwrap());
    let n = cal.n;
    let mut t = vec![0.0; n * n];
    let lib = &data.columns["us_tariff_liberation_day"];
    for j in 0..n { if j != us { t[j * n + us] = lib[j].max(0.1); } }
    let start = std::time::Instant::now();
    let eq = ge::solve(&cal, &t, &ge::SolverOptions::default());
    println!("time {:?}", start.elapsed());
    let eq = eq.unwrap();
    println!("{:?}", eq.report);
    let out = ge::outcomes(&cal, &eq);
    for code in ["USA", "CHN", "VNM", "MEX", "CAN", "GBR"] {
        let i = data.country_index(code).unwrap();
        println!("{code} {:?}", out.countries[i]);
    }
}
