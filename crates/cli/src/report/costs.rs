//! Report section: what the tariffs in force today cost in dollars, statically (the use case
//! [`reciprocity_service::costs`]; the same numbers as `reciprocity costs`), with its definitions
//! and sources, so that a reader never takes the GE welfare change for a price or a GDP figure.

use std::path::Path;

use reciprocity_policy::product::cutoff;
use reciprocity_service::costs::{costs, CostAssumptions};

/// Write `costs.json` into `dir`; return the section's Markdown.
pub fn write(dir: &Path, opts: &super::Options) -> anyhow::Result<String> {
    let ctx = super::rate_context()?;
    let date = opts.date;
    let c = costs(
        &ctx.engine,
        &ctx.registry,
        &ctx.weights,
        date,
        CostAssumptions::default(),
    )?;
    crate::output::write_atomic(
        &dir.join("costs.json"),
        (serde_json::to_string_pretty(&c)? + "\n").as_bytes(),
    )?;
    let mut md = format!(
        "## What the tariffs in force cost, in dollars ({date})\n\n\
         Static and short-run, against the measures in force on {}: nobody changes what they buy \
         (the method of the Budget Lab at Yale; `docs/costs.md`). These are not the GE model's numbers.\n\n\
         | measure | value |\n|---|---:|\n",
        c.baseline_date
    );
    let rows = crate::render::costs::headline_rows(&c);
    for (k, v) in rows {
        md.push_str(&format!("| {} | {v} |\n", k.trim()));
    }
    md.push_str(
        "\nBy income quintile (the cost in proportion to each quintile's consumption, BLS Consumer \
         Expenditure Survey 2024; the same import content in every quintile):\n\n\
         | households | cost |\n|---|---:|\n",
    );
    for (k, v) in crate::render::costs::quintile_rows(&c.by_quintile) {
        md.push_str(&format!("| {k} | {v} |\n"));
    }
    md.push_str(&format!(
        "\nAssumptions: import content of consumption {:.1}%, pass-through {:.0}%, imports growing {:.1}% a year \
         over ten years (`reciprocity costs --import-content --pass-through --import-growth`). \
         Effective rate computed on {:.1}% of 2024 imports. Registry cut-off {}; tables: {}.\n\nSources: ",
        c.assumptions.import_content_pct,
        c.assumptions.pass_through_pct,
        c.assumptions.import_growth_pct,
        c.coverage_pct,
        cutoff(&ctx.registry),
        ctx.tables
    ));
    let sources: Vec<String> = c
        .figures
        .iter()
        .map(|f| format!("{} {} ({})", f.value, f.unit, f.source))
        .collect();
    md.push_str(&sources.join("; "));
    md.push_str(".\n\nDefinitions: ");
    let defs: Vec<String> = c
        .definitions
        .iter()
        .map(|d| format!("*{}*: {}", d.term, d.meaning))
        .collect();
    md.push_str(&defs.join(". "));
    md.push_str(".\n\nData: `costs.json`.\n");
    Ok(md)
}
