//! A small synthetic world shared by the tests.
#![allow(dead_code)]

use std::sync::Arc;

use reciprocity_model::ge::{self, Params};
use reciprocity_model::Dataset;
use reciprocity_negotiation::score::{ChapterMap, Partner, Reference, World};

/// A four-country, one-sector world with domestic flows (synthetic, fixed numbers), in million USD.
/// Partners levy 4% (JPN) and 3% (DEU, FRA) on US goods.
pub fn toy() -> (World, Reference) {
    let codes = ["USA", "JPN", "DEU", "FRA"];
    let mut data = Dataset::zeros(
        "toy",
        codes.iter().map(|s| s.to_string()).collect(),
        vec!["TOTAL".into()],
    );
    #[rustfmt::skip]
    let flows = [
        800.0, 30.0, 25.0, 20.0,
        50.0, 600.0, 10.0, 8.0,
        40.0, 12.0, 700.0, 60.0,
        30.0, 6.0, 55.0, 500.0,
    ];
    data.flows = flows.to_vec();
    data.has_domestic_flows = true;
    let id = data.index(0, 0, 1);
    data.tariffs[id] = 0.04;
    let id = data.index(0, 0, 2);
    data.tariffs[id] = 0.03;
    let id = data.index(0, 0, 3);
    data.tariffs[id] = 0.03;
    let cal = Arc::new(ge::calibrate(&data, &Params::textbook(vec![4.0])).unwrap());
    let world = World::new("toy", cal.clone(), 1e6, ChapterMap::single_sector()).unwrap();
    // No deal: the US levies 24% on JPN, 20% on DEU and FRA.
    let t = world.with_us_rates(
        &cal.tariffs,
        &[(1, vec![0.24]), (2, vec![0.20]), (3, vec![0.20])],
    );
    let reference = world.reference(t, None).unwrap();
    (world, reference)
}

pub fn jpn() -> Partner {
    Partner {
        code: "JPN".into(),
        name: "Japan".into(),
        members: vec![1],
    }
}

pub fn eu() -> Partner {
    Partner {
        code: "EUU".into(),
        name: "European Union".into(),
        members: vec![2, 3],
    }
}
