//! `reciprocity world build`: the multi-sector world of today from OECD ICIO 2022, written as a
//! dataset folder `--data` reads, with each step's report and the validation table
//! (docs/sector-world.md).

use std::fmt::Write as _;
use std::path::PathBuf;

use reciprocity_service::world_build::{
    build_world, BaselineTariffs, WorldBuildRequest, WorldBuildResult,
};

/// World subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum WorldCommand {
    /// Build the 80-economy + ROW sector world from OECD ICIO 2022, BACI 2023 and Census 2024.
    Build(BuildArgs),
}

/// Flags of `reciprocity world build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The `icio2022/` folder [default: ../shared/data/icio2022].
    #[arg(long)]
    icio: Option<PathBuf>,
    /// The `ilms2025/` folder: BACI 2023 pairs and WDI GDP [default: ../shared/data/ilms2025].
    #[arg(long)]
    baci: Option<PathBuf>,
    /// Census 2024 US trade by partner [default: ../shared/data/us_trade_2024_by_country.csv].
    #[arg(long)]
    census: Option<PathBuf>,
    /// The dataset folder to write (replaced atomically if it exists).
    #[arg(long)]
    out: PathBuf,
    /// A sector map CSV `icio_code,sector` (e.g. examples/sectors/ilms4.csv) [default: 25 sectors].
    #[arg(long)]
    sectors: Option<PathBuf>,
    /// Census 2024 US imports by partner and HS8, for the by-sector check
    /// [default: ../shared/data/tariffs_hs2/us_imports_2024_hs8_by_partner_51.csv].
    #[arg(long)]
    census_hs8: Option<PathBuf>,
    /// HS6 -> ISIC Rev. 4 concordance [default: ../shared/data/crosswalks/concordance_hs6_isic4.csv].
    #[arg(long)]
    concordance: Option<PathBuf>,
    /// Baseline tariffs: `applied` (every pair and goods sector; docs/sector-world.md) or `zero`
    /// (as ILMS 2025 start from).
    #[arg(long, value_enum, default_value_t = Baseline::Applied)]
    baseline_tariffs: Baseline,
    /// Partners' tariffs (WITS, WDI, WTO) [default: ../shared/data/partner_tariffs].
    #[arg(long)]
    partner_tariffs: Option<PathBuf>,
    /// The 2014 zero-tariff pattern [default: ../shared/data/ll2023_wiod2014].
    #[arg(long)]
    ll2023: Option<PathBuf>,
    /// The baseline date, YYYY-MM-DD: agreements in force, US rates and partners' retaliation
    /// (crates/data/registry/retaliation.toml) on this day [default: 2024-12-31].
    #[arg(long)]
    tariffs_as_of: Option<String>,
}

/// `--baseline-tariffs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Baseline {
    /// Applied tariffs on every pair and goods sector.
    Applied,
    /// Zero everywhere.
    Zero,
}

/// Run the subcommand.
pub fn run(cmd: WorldCommand) -> anyhow::Result<()> {
    match cmd {
        WorldCommand::Build(args) => {
            let as_of = args
                .tariffs_as_of
                .as_deref()
                .map(|d| super::flags::parse_date("tariffs-as-of", d))
                .transpose()?;
            let result = build_world(WorldBuildRequest {
                icio: args.icio,
                baci: args.baci,
                census: args.census,
                out: args.out,
                sectors: args.sectors,
                census_hs8: args.census_hs8,
                concordance: args.concordance,
                baseline_tariffs: match args.baseline_tariffs {
                    Baseline::Applied => BaselineTariffs::Applied,
                    Baseline::Zero => BaselineTariffs::Zero,
                },
                partner_tariffs: args.partner_tariffs,
                ll2023: args.ll2023,
                tariffs_as_of: as_of,
            })
            .map_err(super::flags::from_service)?;
            print!("{}", render(&result)?);
            Ok(())
        }
    }
}

/// The text report: every step, then the validation table.
pub fn render(r: &WorldBuildResult) -> anyhow::Result<String> {
    let rep = &r.report;
    let mut o = String::new();
    writeln!(
        o,
        "Built {} regions x {} sectors into {} in {:.2} s ({}).",
        r.countries,
        r.sectors.len(),
        r.out.display(),
        r.seconds,
        rep.inputs.sectors.source
    )?;
    writeln!(
        o,
        "Source: {}",
        reciprocity_data::world::icio::OECD_ATTRIBUTION
    )?;
    writeln!(o, "\nAssumptions:")?;
    for a in &rep.assumptions {
        writeln!(o, "  {a}")?;
    }
    let rd = &rep.read;
    writeln!(o, "\n1. Read: ICIO node rows {}, bilateral rows {}; BACI rows {}; Census country rows {} ({} aggregate rows skipped)",
        rd.icio_rows.0, rd.icio_rows.1, rd.baci_rows, rd.census_rows.0, rd.census_rows.1)?;
    writeln!(o, "   ICIO identities: Σ bilateral vs interm_sales_80 max error {:.2e}; interm + final vs gross output {:.2e} (of gross output)",
        rd.interm_identity_error, rd.output_identity_error)?;
    writeln!(o, "\n2. Final demand by destination (NNLS per sector): overall residual {:.3e} of final sales, median of sector medians {:.3e}",
        rep.final_demand_residual(), rep.final_demand_median_error())?;
    for f in rep
        .final_demand
        .iter()
        .filter(|f| f.relative_residual > 1e-3 || f.rows_to_domestic > 0)
    {
        writeln!(o, "   {:9} residual {:.2e}, median row error {:.2e}, {} rows to domestic (no intermediate buyers)",
            f.sector, f.relative_residual, f.median_relative_error, f.rows_to_domestic)?;
    }
    let rb = &rep.rebalance;
    writeln!(o, "\n3. Re-balancing goods to BACI 2023 x {} (US imports: Census 2024): {} BACI pairs, {} Census pairs, {} pairs without a source (estimate kept)",
        rep.inputs.fob_to_basic, rb.pairs_baci, rb.pairs_census, rb.pairs_without_target)?;
    writeln!(o, "   final goods exports among the 80: {:.0} -> {:.0} million USD; exports to ROW {:.0}; moved across sectors {:.0}",
        rb.final_goods_exports_before_musd, rb.final_goods_exports_after_musd, rb.exports_to_row_musd, rb.moved_across_sectors_musd)?;
    writeln!(o, "   pairs whose ICIO intermediates exceed the target (final goods set to 0, intermediates kept): {} (excess {:.0} million USD)",
        rb.pairs_intermediates_above_target, rb.intermediates_excess_musd)?;
    let big: Vec<_> = rb
        .hubs
        .iter()
        .filter(|h| h.shortfall_musd >= 1000.0)
        .collect();
    writeln!(o, "   hubs whose BACI totals exceed ICIO final goods sales ({} with a shortfall >= 1 bn USD; {} in all):", big.len(), rb.hubs.len())?;
    for h in big {
        writeln!(
            o,
            "     {} needed {:.0}, available {:.0}, not placed {:.0} million USD",
            h.iso3, h.needed_musd, h.available_musd, h.shortfall_musd
        )?;
    }
    let row = &rep.row;
    writeln!(o, "\n4. ROW: {} BACI countries, GDP {:.0}, exports to the 80 {:.0}, imports from the 80 {:.0}, domestic sales {:.0} million USD",
        row.members, row.gdp_musd, row.exports_musd, row.imports_musd, row.domestic_musd)?;
    writeln!(
        o,
        "\n5. GDP = value added; USA {:.0} million USD",
        rep.us_gdp_musd
    )?;
    writeln!(o, "\nDropped:")?;
    for d in &rep.dropped {
        writeln!(
            o,
            "  {}: {} ({:.0} million USD): {}",
            d.what, d.count, d.value_musd, d.reason
        )?;
    }
    writeln!(o, "\n7. Baseline tariffs ({}):", rep.tariffs.mode)?;
    for line in reciprocity_data::world::icio::baseline::report_lines(&rep.tariffs) {
        writeln!(o, "   {line}")?;
    }
    render_validation(r, &mut o)?;
    Ok(o)
}

/// The validation table: identities, BACI totals, US imports by partner and by sector.
fn render_validation(r: &WorldBuildResult, o: &mut String) -> anyhow::Result<()> {
    let rep = &r.report;
    let v = &rep.validation;
    writeln!(o, "\nValidation")?;
    writeln!(o, "  sales identity (interm + final-and-ROW) max error {:.2e}; gross output max error {:.2e}; smallest flow {:.3e}",
        v.sales_identity_max_relative_error, v.gross_output_max_relative_error, v.min_flow)?;
    writeln!(o, "  goods trade on BACI pairs among the 80 (US imports excluded): built {:.0}, target {:.0} (x{}), BACI {:.0} million USD ({:+.2} % vs target)",
        v.baci_pairs_built_musd, v.baci_pairs_target_musd, rep.inputs.fob_to_basic, v.baci_pairs_raw_musd,
        100.0 * (v.baci_pairs_built_musd / v.baci_pairs_target_musd - 1.0))?;
    writeln!(
        o,
        "  world goods trade between regions: built {:.0} vs all of BACI {:.0} million USD",
        v.world_goods_trade_musd, v.baci_world_musd
    )?;
    writeln!(
        o,
        "  US goods imports, all partners: built {:.0} vs Census {:.0} million USD ({:+.2} %)",
        v.us_imports_total_musd.0,
        v.us_imports_total_musd.1,
        100.0 * (v.us_imports_total_musd.0 / v.us_imports_total_musd.1 - 1.0)
    )?;
    writeln!(o, "\n  US imports by partner, 20 largest (million USD; Census is a target of step 3, target ±2 %):")?;
    writeln!(
        o,
        "  {:4} {:>10} {:>10} {:>8}",
        "iso3", "Census", "built", "diff %"
    )?;
    for p in &v.us_imports_top20 {
        writeln!(
            o,
            "  {:4} {:>10.0} {:>10.0} {:>+8.3}",
            p.iso3,
            p.census_musd,
            p.built_musd,
            100.0 * p.relative_difference()
        )?;
    }
    writeln!(
        o,
        "  max |difference| {:.3} %",
        100.0 * v.us_imports_top20_max_abs_difference()
    )?;
    writeln!(
        o,
        "\n  US exports by partner, 20 largest (million USD; re-balanced to {} x BACI, so Census is an independent check):",
        rep.inputs.fob_to_basic
    )?;
    writeln!(
        o,
        "  {:4} {:>10} {:>10} {:>8}",
        "iso3", "Census", "built", "diff %"
    )?;
    for p in &v.us_exports_top20 {
        writeln!(
            o,
            "  {:4} {:>10.0} {:>10.0} {:>+8.2}",
            p.iso3,
            p.census_musd,
            p.built_musd,
            100.0 * p.relative_difference()
        )?;
    }
    match (&r.by_sector, &r.by_sector_note) {
        (Some(b), _) => {
            writeln!(o, "\n  US imports by sector vs Census 2024 HS8 (HS6 -> ISIC -> ICIO), 10 largest partners (target r > 0.9; EUU = the EU27 members summed).")?;
            writeln!(o, "  'built' is partly a target (the US column is re-balanced to Census by sector); 'estimate' is the sourcing-share estimate before that, the independent check:")?;
            writeln!(
                o,
                "  {:4} {:>10} {:>7} {:>9}",
                "iso3", "Census", "built r", "estimate"
            )?;
            for p in &b.partners {
                let flag = if p.correlation > 0.9 {
                    ""
                } else {
                    "  below 0.9"
                };
                let before = p
                    .correlation_before
                    .map_or("-".to_string(), |r| format!("{r:.3}"));
                writeln!(
                    o,
                    "  {:4} {:>10.0} {:>7.3} {:>9}{flag}",
                    p.iso3, p.census_musd, p.correlation, before
                )?;
            }
            writeln!(o, "  HS8 rows without a goods sector in the concordance: {} ({:.0} million USD), left out", b.unmapped.0, b.unmapped.1)?;
        }
        (None, Some(note)) => writeln!(o, "\n  {note}")?,
        (None, None) => {}
    }
    Ok(())
}
