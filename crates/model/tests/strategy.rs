mod common;
use reciprocity_model::ge::{self, Params};
use reciprocity_model::strategy::{self, Player, NashOptions};
use std::time::Instant;
use std::io::Write;

#[test]
#[ignore = "scratch"]
fn scratch_war() {
    let data = common::ilms_world();
    let p = Params { revenue: ge::Revenue::LumpSum, ..Params::ilms() };
    let cal = ge::calibrate(&data, &p).unwrap();
    let s = Instant::now();
    let players: Vec<Player> = (0..cal.n).map(|i| Player::country(&cal, i)).collect();
    let opts = NashOptions { guided: std::env::var("GUIDED").is_ok(), damping: 0.7, ..Default::default() };
    let log = std::sync::Mutex::new(std::fs::File::create("/tmp/scratch/war.log").unwrap());
    let r = strategy::nash(&cal, &cal.tariffs, &players, &opts, &|p| if p.done == p.total || p.done == 0 { writeln!(log.lock().unwrap(), "{p:?} {:?}", s.elapsed()).unwrap(); });
    match r {
    Ok(r) => {
    let us = data.country_index("USA").unwrap();
    println!("nash rounds {} guided {} residual {} history {:?} solves {} in {:?}", r.rounds, r.guided_steps, r.residual, r.history, r.solves, s.elapsed());
    println!("US nash {:?} welfare {} cf {:?}", r.rates[us], r.welfare_pct[us], r.closed_form[us]);
    let mut v: Vec<(f64, usize)> = r.rates.iter().enumerate().map(|(i, x)| (x[0], i)).collect();
    v.sort_by(|a, b| b.0.total_cmp(&a.0));
    println!("top rates {:?}", v.iter().take(10).map(|(x, i)| format!("{} {:.3} W {:.2}", cal.countries[*i], x, r.welfare_pct[*i])).collect::<Vec<_>>());
    }
    Err(e) => println!("error {e} after {:?}", s.elapsed()),
    }
}
