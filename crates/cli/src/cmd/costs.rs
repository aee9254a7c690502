//! `reciprocity costs --date D`: what the US tariffs in force on D cost against 2024, in the units
//! budget models lead with: the effective rate increase, the short-run price level, the cost per
//! household, customs revenue a year and over ten years. The use case is
//! [`reciprocity_service::costs`]; this file parses and renders (the JSON is the API's document).

use std::path::PathBuf;

use reciprocity_policy::product::{cutoff, EXCLUDED};
use reciprocity_service::costs::{costs, CostAssumptions, Costs};

use super::flags::{from_service, load_registry, parse_date, today, RegistryArgs};
use super::product::{load_context, TableArgs};
use crate::output::{emit, Format};
use crate::render::costs::headline_rows;

/// Flags of `reciprocity costs`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The date whose tariffs are costed (default today), against the end of 2024.
    #[arg(long)]
    date: Option<String>,
    /// Assumption import-content: the import content of consumption, percent (default 10.7, FRBSF 2019).
    #[arg(long, value_name = "PCT")]
    import_content: Option<f64>,
    /// Assumption import-growth: nominal growth of imports per year over ten years, percent (default 0).
    #[arg(long, value_name = "PCT", allow_hyphen_values = true)]
    import_growth: Option<f64>,
    /// Assumption pass-through: share of the tariff passed into consumer prices, percent (default 100).
    #[arg(long, value_name = "PCT")]
    pass_through: Option<f64>,
    #[command(flatten)]
    tables: TableArgs,
    #[command(flatten)]
    registry: RegistryArgs,
    /// Output format (table or json).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn assumptions(a: &Args) -> CostAssumptions {
    CostAssumptions::with_overrides(a.import_content, a.import_growth, a.pass_through)
}

fn table(c: &Costs, cutoff: chrono::NaiveDate, tables: &str, rates: &str) -> String {
    let a = &c.assumptions;
    let mut s = format!(
        "What the US tariffs in force on {} cost, against {} (static, pre-substitution)\n\n",
        c.date, c.baseline_date
    );
    let rows = headline_rows(c);
    for (k, v) in rows {
        s.push_str(&format!("  {k:<34} {v}\n"));
    }
    s.push_str(
        "\nCost per household by income quintile (in proportion to consumption, BLS CE 2024):\n",
    );
    for (k, v) in crate::render::costs::quintile_rows(&c.by_quintile) {
        s.push_str(&format!("  {k:<34} {v}\n"));
    }
    s.push_str(&format!(
        "\nAssumptions: import content {:.1}% of consumption, pass-through {:.0}%, imports growing {:.1}% a year (flags --import-content, --pass-through, --import-growth).\n",
        a.import_content_pct, a.pass_through_pct, a.import_growth_pct
    ));
    s.push_str(&format!(
        "Rates on ${:.1}bn of 2024 imports (Census); the effective rate is computed on {:.1}% of them and applied to all.\n\nSources:\n",
        c.imports_2024_usd_bn, c.coverage_pct
    ));
    for f in &c.figures {
        s.push_str(&format!(
            "  {} = {} {}: {}\n",
            f.name, f.value, f.unit, f.source
        ));
    }
    s.push_str("\nDefinitions:\n");
    for d in &c.definitions {
        s.push_str(&format!("  {}: {}\n", d.term, d.meaning));
    }
    s.push_str(&format!(
        "\nRate assumptions: {rates}.\nRegistry cut-off: {cutoff}. Tables: {tables}.\n{EXCLUDED}\n"
    ));
    s
}

/// Run `reciprocity costs`.
pub fn run(args: Args) -> anyhow::Result<()> {
    let date = match &args.date {
        Some(d) => parse_date("date", d)?,
        None => today(),
    };
    let reg = load_registry(args.registry.registry.as_deref())?;
    let ctx = load_context(&args.tables, reg)?;
    let c = costs(
        &ctx.engine,
        &ctx.registry,
        &ctx.weights,
        date,
        assumptions(&args),
    )
    .map_err(from_service)?;
    let text = match args.format {
        Format::Json => serde_json::to_string_pretty(&c)? + "\n",
        Format::Table => table(
            &c,
            cutoff(&ctx.registry),
            &ctx.tables,
            &ctx.engine.assumptions.summary(),
        ),
        Format::Csv => {
            return Err(crate::BadInput("--format: costs come as table or json".into()).into())
        }
    };
    emit(args.out.as_deref(), &text)
}
