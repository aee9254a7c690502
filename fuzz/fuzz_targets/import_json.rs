//! A negotiation export (`negotiate export --format json`): deserialised as `negotiate import`
//! does, then imported into a fresh SQLite store in a temporary folder (all or nothing). Any
//! `Err` is fine; only a panic, an overflow, a hang or running out of memory is a crash.
#![no_main]

use libfuzzer_sys::fuzz_target;
use reciprocity_store::{dto, SqliteStore, Store};

fuzz_target!(|bytes: &[u8]| {
    let Ok(snapshot) = serde_json::from_slice::<dto::Snapshot>(bytes) else {
        return;
    };
    // The CLI's checks before the store's (partner codes).
    for n in &snapshot.negotiations {
        let _ = reciprocity_service::talks::resolve_partner(&n.partner);
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let mut store = SqliteStore::open(&dir.path().join("fuzz.db")).expect("a new store");
    if store.import(&snapshot).is_ok() {
        // What was accepted must read back: the record a later `export` and the board rely on.
        let _ = store.export();
        let today = chrono::NaiveDate::from_ymd_opt(2025, 7, 1).expect("a date");
        let _ = reciprocity_service::talks::board(&store, today);
        for n in &snapshot.negotiations {
            let _ = reciprocity_service::talks::talk_detail(&store, &n.id);
        }
    }
});
