//! `reciprocity data check PATH`: recognise a dataset, load it, and list every problem with file,
//! line and field, plus what was zero-filled, dropped or ignored and why.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::BadInput;

/// Dataset subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum DataCommand {
    /// Validate a dataset folder or file and report every problem.
    Check {
        /// A dataset folder (e.g. ../shared/data/ilms2025) or CSV file.
        path: std::path::PathBuf,
    },
}

/// Print to stdout; a closed pipe (`| head`) ends the output quietly instead of panicking.
fn say(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

/// Run the subcommand.
pub fn run(cmd: DataCommand) -> anyhow::Result<()> {
    match cmd {
        DataCommand::Check { path } => check(&path),
    }
}

fn check(path: &std::path::Path) -> anyhow::Result<()> {
    if path.is_dir() && reciprocity_data::partner_tariffs::is_partner_tariffs_dir(path) {
        let mut out = format!(
            "{}: partner tariffs (iso3,country_name,indicator,year,value_pct,source)\n",
            path.display()
        );
        for (file, rows, indicators, economies) in
            reciprocity_data::partner_tariffs::check_folder(path)?
        {
            writeln!(
                out,
                "  {file}: {rows} rows, {indicators} indicators, {economies} economies"
            )?;
        }
        out.push_str("OK: no problems\n");
        return say(&out);
    }
    let report = reciprocity_data::check_dataset(path)?;
    let mut out = String::new();
    let layout = report.layout.map_or("unknown", |l| l.name());
    writeln!(out, "{}: {layout} layout", path.display())?;
    if let Some(ds) = &report.dataset {
        let nonzero = ds.flows.iter().filter(|v| **v > 0.0).count();
        let total: f64 = ds.flows.iter().filter(|v| v.is_finite()).sum();
        writeln!(
            out,
            "  {} countries × {} sectors; {nonzero} non-zero flows, total {total:.6e} {}; domestic flows: {}",
            ds.n_countries(),
            ds.n_sectors(),
            if ds.units.is_empty() { "(units not given)" } else { &ds.units },
            if ds.has_domestic_flows { "yes" } else { "no (calibration builds them)" },
        )?;
        let mut extras = Vec::new();
        if ds.gdp.is_some() {
            extras.push("gdp".to_string());
        }
        if ds.trade_elasticity.is_some() {
            extras.push("trade elasticity per sector".to_string());
        }
        extras.extend(ds.columns.keys().map(|k| format!("column {k}")));
        extras.extend(
            ds.groups
                .iter()
                .map(|(k, v)| format!("group {k} ({} members)", v.len())),
        );
        if ds.tariffs.iter().any(|t| *t != 0.0) {
            extras.push("factual tariffs".to_string());
        }
        if !extras.is_empty() {
            writeln!(out, "  also: {}", extras.join(", "))?;
        }
    }
    for note in &report.notes {
        writeln!(out, "  note: {note}")?;
    }
    for problem in &report.problems {
        writeln!(out, "{problem}")?;
    }
    say(&out)?;
    match report.problems.len() {
        0 => say("OK: no problems\n"),
        1 => Err(BadInput(report.problems[0].to_string()).into()),
        n => Err(BadInput(format!(
            "{} (and {} more problems, listed above)",
            report.problems[0],
            n - 1
        ))
        .into()),
    }
}
