mod common_product;
use reciprocity_policy::date;

#[test]
#[ignore = "needs ../shared/data"]
fn explore() {
    let (reg, eng) = common_product::load();
    for (h, p, d) in [
        ("72085100", "CAN", "2025-06-10"), ("72085100", "CAN", "2025-05-01"), ("87032301", "JPN", "2025-08-07"),
        ("87032301", "JPN", "2025-09-16"), ("44071100", "CAN", "2025-10-20"), ("94016140", "VNM", "2026-01-05"),
        ("87012300", "MEX", "2025-11-05"), ("84718040", "TWN", "2026-02-01"), ("85414200", "CHN", "2026-03-01"),
        ("61091000", "CHN", "2025-04-10"), ("61091000", "CHN", "2025-05-14"), ("61091000", "CHN", "2025-11-10"),
        ("91021100", "CHE", "2025-08-07"), ("84159080", "VNM", "2025-08-18"),
    ] {
        let r = eng.lookup(&reg, h, p, date(d).unwrap()).unwrap();
        println!("{h} {p} {d}: total {:.2} mfn {:.2} ({}) {}", r.total_pct, r.mfn_pct, r.mfn_note, r.description);
        for m in &r.measures { println!("   {:<32} {:<28} {:<9} rate {:>6.2} share {:.3} -> {:>6.2} {}", m.authority, m.measure, m.status, m.rate_pct, m.share, m.applied_pct, m.reason); }
        if let Some(u) = &r.usmca { println!("   usmca {:?}", u); }
        for n in &r.notes { println!("   note: {n}"); }
    }
}

#[test]
#[ignore = "needs ../shared/data"]
fn explore_etr() {
    use reciprocity_policy::product::etr::{etr_on, EtrWeights, change_dates};
    let (reg, eng) = common_product::load();
    let t = std::time::Instant::now();
    let w = EtrWeights::new(&eng, &reg, common_product::rest_rows());
    println!("weights {:?} skipped {:?} in {:?}", w.sizes(), w.rest_skipped, t.elapsed());
    let dates: Vec<_> = ["2025-01-01", "2025-04-10", "2025-05-14", "2025-07-14", "2025-08-07", "2025-09-03", "2025-11-17", "2026-01-20", "2026-02-25", "2026-08-25"].iter().map(|d| date(d).unwrap()).collect();
    let t = std::time::Instant::now();
    let pts = etr_on(&eng, &reg, &w, &dates);
    println!("etr in {:?}", t.elapsed());
    for p in &pts {
        println!("{} total {:.2} base {:.2} add {:.2}", p.date, p.total_pct, p.base_pct, p.additional_pct);
        for (k, v) in &p.by_authority { if v.abs() > 0.05 { print!("  {k}={v:.2}"); } }
        println!();
        for pr in p.by_partner.iter().filter(|x| ["CHN","CAN","MEX","EUU","JPN","VNM","IND","BRA","CHE"].contains(&x.partner.as_str())) { print!(" {}={:.1}", pr.partner, pr.total_pct); }
        println!();
    }
    let t = std::time::Instant::now();
    let cd = change_dates(&eng, &reg, date("2025-01-01").unwrap(), date("2026-12-31").unwrap());
    let _ = etr_on(&eng, &reg, &w, &cd);
    println!("{} change dates in {:?}", cd.len(), t.elapsed());
}
