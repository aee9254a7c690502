//! A policy registry file (the dated US measures), parsed as the only source and then as an
//! addition to the embedded registry. Any `Err` is fine; only a panic, an overflow, a hang or
//! running out of memory is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reciprocity_policy::{KnownPartners, Registry};

fuzz_target!(|bytes: &[u8]| {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let known = KnownPartners::any();
    if let Ok(registry) = Registry::parse(&[("fuzz.toml", text)], &known) {
        // The derived views walk every measure and date.
        let _ = registry.change_dates();
    }
});
