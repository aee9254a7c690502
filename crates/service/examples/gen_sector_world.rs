//! Regenerate `crates/data/embedded/sector_world.csv.gz`, the compact sector world compiled into
//! the binary, from `../shared/data` with the ICIO builder and the applied baseline tariffs of the
//! end of 2024 (docs/sector-world.md). Run through `scripts/gen_sector_world.sh [--check]`;
//! `--check` rebuilds in memory and fails when the committed bytes differ. It lives in the service
//! crate because the US column of the baseline comes from the policy engine.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use reciprocity_data::world::icio::{self, compact, IcioInputs};
use reciprocity_service::world_build::applied_baseline;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let check = args.iter().any(|a| a == "--check");
    let shared = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .or_else(reciprocity_data::shared_data_dir);
    let Some(shared) = shared else {
        eprintln!("no ../shared/data found: pass its path or set RECIPROCITY_SHARED_DATA");
        return ExitCode::from(2);
    };
    let target =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../data/embedded/sector_world.csv.gz");
    let t0 = Instant::now();
    let mut inputs = IcioInputs::from_shared(&shared);
    inputs.sectors = compact::compact_sector_map();
    inputs.baseline = match applied_baseline(
        Some(shared.join("partner_tariffs")),
        Some(shared.join("ll2023_wiod2014")),
        None,
        Some(&shared),
    ) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let built = icio::build_icio_world(&inputs).and_then(|(ds, _)| compact::aggregate_regions(&ds));
    let ds = match built {
        Ok(ds) => ds,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(1);
        }
    };
    let text = compact::to_text(&ds);
    let bytes = compact::gzip(&text);
    let secs = t0.elapsed().as_secs_f64();
    if check {
        let committed = std::fs::read(&target).unwrap_or_default();
        if committed != bytes {
            eprintln!(
                "{} differs from a rebuild ({} bytes committed, {} rebuilt): run scripts/gen_sector_world.sh",
                target.display(),
                committed.len(),
                bytes.len()
            );
            return ExitCode::from(1);
        }
        println!(
            "ok: {} ({} bytes) matches a rebuild ({secs:.2} s)",
            target.display(),
            bytes.len()
        );
    } else {
        if let Err(e) = std::fs::write(&target, &bytes) {
            eprintln!("{}: {e}", target.display());
            return ExitCode::from(1);
        }
        println!(
            "wrote {} ({} regions x {} sectors; {} bytes of text, {} gzip) in {secs:.2} s",
            target.display(),
            ds.n_countries(),
            ds.n_sectors(),
            text.len(),
            bytes.len()
        );
    }
    ExitCode::SUCCESS
}
