//! Writing the built world as a long-CSV dataset folder (`flows.csv` with a `tariff` column when
//! the baseline tariffs are applied, `gdp.csv`, `columns.csv`, `sectors.csv`, `README.md`), atomically: everything goes to a temporary sibling folder that is
//! renamed into place, so an error never leaves a half-written world.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use reciprocity_model::Dataset;

use super::{BuildReport, ICIO_SECTORS, OECD_ATTRIBUTION};
use crate::Error;

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |cause| Error::Io {
        file: path.display().to_string(),
        cause,
    }
}

/// Write `ds` (built by [`super::build_icio_world`]) and its README to the folder `out`. An
/// existing folder at `out` is replaced only once the new one is complete.
pub fn write_world(ds: &Dataset, report: &BuildReport, out: &Path) -> Result<(), Error> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let stem = out
        .file_name()
        .map_or("world".into(), |s| s.to_string_lossy().into_owned());
    let tmp = parent.join(format!(".{stem}.tmp-{}", std::process::id()));
    if tmp.exists() {
        std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
    }
    std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
    let result = write_files(ds, report, &tmp).and_then(|()| swap_into_place(&tmp, out));
    if result.is_err() {
        // Best effort: the error that matters is the one returned.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}

fn swap_into_place(tmp: &Path, out: &Path) -> Result<(), Error> {
    if out.exists() {
        let old = tmp.with_extension("old");
        std::fs::rename(out, &old).map_err(io(out))?;
        std::fs::rename(tmp, out).map_err(io(out))?;
        std::fs::remove_dir_all(&old).map_err(io(&old))?;
    } else {
        std::fs::rename(tmp, out).map_err(io(out))?;
    }
    Ok(())
}

fn write_files(ds: &Dataset, report: &BuildReport, dir: &Path) -> Result<(), Error> {
    let (n, table, tariffs) = (ds.n_countries(), ds.flow_table(), ds.tariff_table());
    let with_tariffs = report.tariffs.mode == "applied";
    let mut flows = String::from("exporter,importer,sector,value_million_usd");
    flows.push_str(if with_tariffs { ",tariff\n" } else { "\n" });
    for (k, sector) in ds.sectors.iter().enumerate() {
        for j in 0..n {
            for i in 0..n {
                let v = table.get(k, j, i);
                if v > 0.0 {
                    let _ = write!(
                        flows,
                        "{},{},{sector},{v}",
                        ds.countries[j], ds.countries[i]
                    );
                    if with_tariffs {
                        let _ = write!(flows, ",{}", tariffs.get(k, j, i));
                    }
                    flows.push('\n');
                }
            }
        }
    }
    let path = dir.join("flows.csv");
    std::fs::write(&path, flows).map_err(io(&path))?;

    let mut gdp = String::from("country,gdp\n");
    if let Some(g) = &ds.gdp {
        for (c, v) in ds.countries.iter().zip(g) {
            let _ = writeln!(gdp, "{c},{v}");
        }
    }
    let path = dir.join("gdp.csv");
    std::fs::write(&path, gdp).map_err(io(&path))?;

    let names: Vec<&String> = ds.columns.keys().collect();
    let mut columns = String::from("country");
    for name in &names {
        let _ = write!(columns, ",{name}");
    }
    columns.push('\n');
    for (i, c) in ds.countries.iter().enumerate() {
        columns.push_str(c);
        for name in &names {
            let _ = write!(columns, ",{}", ds.columns[*name][i]);
        }
        columns.push('\n');
    }
    let path = dir.join("columns.csv");
    std::fs::write(&path, columns).map_err(io(&path))?;

    let map = &report.inputs.sectors;
    let mut sectors = String::from("icio_code,sector\n");
    for (code, s) in ICIO_SECTORS.iter().zip(&map.of_icio) {
        let _ = writeln!(sectors, "{code},{}", map.sectors[*s]);
    }
    let path = dir.join("sectors.csv");
    std::fs::write(&path, sectors).map_err(io(&path))?;

    let path = dir.join("README.md");
    std::fs::write(&path, readme(ds, report)).map_err(io(&path))?;
    Ok(())
}

fn readme(ds: &Dataset, report: &BuildReport) -> String {
    let inputs = &report.inputs;
    let mut s = String::new();
    let _ = writeln!(s, "# {}\n", ds.name);
    let _ = writeln!(
        s,
        "Built by `reciprocity world build` (docs/sector-world.md). {} regions (80 ICIO economies + ROW) x {} sectors; \
         flows X_jik (exporter, importer, sector) in million USD at basic prices, domestic sales included; \
         GDP = value added. Do not commit: a derivative of OECD ICIO and CEPII BACI.\n",
        ds.n_countries(),
        ds.n_sectors()
    );
    let _ = writeln!(s, "## Sources\n");
    let _ = writeln!(s, "- {OECD_ATTRIBUTION} (`{}`): gross output and intermediate flows by pair and sector, 2022.", inputs.icio.display());
    let _ = writeln!(s, "- CEPII BACI HS22 V202501, 2023, pair totals as in Ignatenko et al. (2025) (`{}`), x {} (FOB to basic prices); World Bank WDI GDP for ROW.", inputs.baci.display(), inputs.fob_to_basic);
    let _ = writeln!(
        s,
        "- U.S. Census Bureau, US goods imports by partner, 2024 (`{}`), for the US import column.",
        inputs.census.display()
    );
    if let Some((hs8, concordance)) = &inputs.census_by_sector {
        let _ = writeln!(s, "- U.S. Census Bureau, US imports by partner and HS8, 2024 (`{}`), mapped to ICIO sectors by the HS6-ISIC Rev. 4 concordance of the `concordance` R package (`{}`), for the US import column's sector mix.", hs8.display(), concordance.display());
    }
    let _ = writeln!(s);
    let _ = writeln!(s, "## Files\n");
    let _ = writeln!(
        s,
        "- `flows.csv`: exporter,importer,sector,value_million_usd{} (non-zero cells).",
        if report.tariffs.mode == "applied" {
            ",tariff (the importer's applied tariff on the exporter's goods, a fraction; step 7)"
        } else {
            ""
        }
    );
    let _ = writeln!(s, "- `gdp.csv`: country,gdp (million USD).");
    let _ = writeln!(
        s,
        "- `columns.csv`: per-country columns scenarios can use (`us_tariff_liberation_day`)."
    );
    let _ = writeln!(
        s,
        "- `sectors.csv`: the sector map used ({}).\n",
        inputs.sectors.source
    );
    let _ = writeln!(s, "## Sector map\n");
    let _ = writeln!(s, "| sector | ICIO codes |\n|---|---|");
    for (k, name) in inputs.sectors.sectors.iter().enumerate() {
        let _ = writeln!(s, "| {name} | {} |", inputs.sectors.members(k).join(" "));
    }
    let _ = writeln!(s, "\n## Assumptions\n");
    for a in &report.assumptions {
        let _ = writeln!(s, "- {a}");
    }
    tariff_section(&mut s, report);
    let v = &report.validation;
    let _ = writeln!(s, "\n## Checks\n");
    let _ = writeln!(
        s,
        "- gross output reproduced to a max relative error of {:.2e}",
        v.gross_output_max_relative_error
    );
    let _ = writeln!(
        s,
        "- US imports from the 20 largest Census partners: max |difference| {:.2} %",
        100.0 * v.us_imports_top20_max_abs_difference()
    );
    let _ = writeln!(
        s,
        "- goods trade on BACI pairs among the 80: {:.0} built vs {:.0} target (million USD)",
        v.baci_pairs_built_musd, v.baci_pairs_target_musd
    );
    s
}

/// The README's section on the baseline tariffs: the counts of every rule and fallback.
fn tariff_section(s: &mut String, report: &BuildReport) {
    let t = &report.tariffs;
    let _ = writeln!(s, "\n## Baseline tariffs ({})\n", t.mode);
    for line in super::baseline::report_lines(t) {
        let _ = writeln!(s, "- {line}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_complete_folder_replaces_the_old_one_and_no_temporary_is_left() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("world");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("flows.csv"), "old").unwrap();
        let tmp = dir.path().join(".world.tmp-1");
        std::fs::create_dir(&tmp).unwrap();
        std::fs::write(tmp.join("flows.csv"), "new").unwrap();
        swap_into_place(&tmp, &out).unwrap();
        assert_eq!(
            std::fs::read_to_string(out.join("flows.csv")).unwrap(),
            "new"
        );
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["world"]);
    }

    #[test]
    fn a_failed_write_leaves_no_output_and_no_temporary() {
        // The output's parent is a file: the temporary folder cannot be made, nothing is written.
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").unwrap();
        let out = blocker.join("world");
        let ds = Dataset::zeros("t", vec!["USA".into()], vec!["TOTAL".into()]);
        let report = crate::world::icio::tests_support::empty_report();
        let err = write_world(&ds, &report, &out).unwrap_err().to_string();
        assert!(err.contains(".world.tmp-"), "{err}");
        assert!(!out.exists());
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left, ["file"]);
    }
}
