mod common;
use reciprocity_model::ge::{self, Params};
use reciprocity_model::strategy::{self, Denominator};

#[test]
#[ignore = "scratch"]
fn scratch_war() {
    let data = common::ilms_world();
    let cal = ge::calibrate(&data, &Params::ilms()).unwrap();
    let n = cal.n;
    for scale in [0.1, 0.3, 0.5, 1.0] {
        let mut t = cal.tariffs.clone();
        for i in 0..n {
            let cf = strategy::closed_form_at(&cal, None, &[i], Denominator::Expenditure).unwrap();
            for j in 0..n { if j != i { t[j*n+i] = scale * cf; } }
        }
        match ge::solve(&cal, &t, &Default::default()) {
            Ok(eq) => println!("{scale}: its {}", eq.report.iterations),
            Err(e) => println!("{scale}: {e}"),
        }
    }
}
