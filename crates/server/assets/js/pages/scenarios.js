// The scenario explorer: a US tariff layer and a retaliation rule, as the scenario files write them,
// sent to POST /scenarios; welfare by country on a chart and every outcome in a table.

import { api } from "../api.js";
import { h, field, showError, clearError, announce, sortableTable, chartBox, signedPct, isFiniteNumber } from "../ui.js";

export const title = () => "Scenarios";

/** The US layers offered, each as the `[[tariffs]]` keys it sets (see crates/scenario). */
const LAYERS = [
  { value: "official:2025-04-02", label: "Liberation Day chart rates (2025-04-02)", layer: { official: "2025-04-02" } },
  { value: "official:2025-04-02-annex", label: "April 2 rates as implemented (annex)", layer: { official: "2025-04-02-annex" } },
  { value: "official:2025-08-07", label: "EO 14326 rates (2025-08-07)", layer: { official: "2025-08-07" } },
  { value: "tariffs_at", label: "US tariffs in force on a date (policy timeline)", layer: null },
  { value: "rate", label: "One uniform rate on every partner", layer: null },
  { value: "optimal", label: "The US optimal tariff (closed form)", layer: { optimal: "expenditure" } },
];

/** Build the scenario (the TOML files' schema, as JSON) from the form's values. */
export function scenarioFrom({ layer, ratePct, date, floorPct, retaliation, retaliationPct, preset }) {
  const choice = LAYERS.find((l) => l.value === layer);
  const usLayer = { importers: ["USA"], exporters: ["all"] };
  if (layer === "rate") usLayer.rate = ratePct / 100;
  else if (layer === "tariffs_at") usLayer.tariffs_at = date;
  else Object.assign(usLayer, choice.layer);
  if (isFiniteNumber(floorPct)) usLayer.floor = floorPct / 100;
  const scenario = {
    name: `${choice.label}${retaliation === "none" ? ", no retaliation" : `, ${retaliation} retaliation`}`,
    model: { preset },
    tariffs: [usLayer],
    retaliation: [],
  };
  if (retaliation !== "none") {
    const rule = { rule: retaliation, target: "USA" };
    if (retaliation === "explicit") rule.rate = retaliationPct / 100;
    scenario.retaliation.push(rule);
  }
  return scenario;
}

export async function render(root) {
  const layer = h("select", { id: "sc-layer" }, LAYERS.map((l) => h("option", { value: l.value }, l.label)));
  const rate = h("input", { id: "sc-rate", type: "number", min: "0", max: "1000", step: "any", value: "10" });
  const date = h("input", { id: "sc-date", type: "date", value: "2025-08-07" });
  const floor = h("input", { id: "sc-floor", type: "number", min: "0", max: "1000", step: "any", placeholder: "none" });
  const retaliation = h("select", { id: "sc-retaliation" },
    h("option", { value: "none" }, "none"),
    h("option", { value: "reciprocal" }, "reciprocal (mirror the US rate)"),
    h("option", { value: "optimal" }, "optimal (two-region ILMS rate)"),
    h("option", { value: "explicit" }, "explicit rate"));
  const retaliationRate = h("input", { id: "sc-retaliation-rate", type: "number", min: "0", max: "1000", step: "any", value: "10" });
  const preset = h("select", { id: "sc-preset" }, h("option", { value: "ilms" }, "ILMS (2025)"), h("option", { value: "textbook" }, "textbook"));
  const charted = h("select", { id: "sc-charted" },
    h("option", { value: "30" }, "30 largest changes"), h("option", { value: "all" }, "every country"));
  const rateField = field("US rate (%)", rate);
  const dateField = field("Date", date);
  const retaliationRateField = field("Retaliation rate (%)", retaliationRate);
  const submit = h("button", { type: "submit", id: "sc-run" }, "Run scenario");
  const form = h("form", { id: "scenario-form" },
    h("fieldset", {}, h("legend", {}, "US tariffs"),
      h("div", { class: "row" }, field("Layer", layer), rateField, dateField, field("Floor (%)", floor, "optional lower bound"))),
    h("fieldset", {}, h("legend", {}, "Retaliation against the US"),
      h("div", { class: "row" }, field("Rule", retaliation), retaliationRateField)),
    h("div", { class: "row" }, field("Model", preset), field("Chart", charted), submit));

  function syncVisibility() {
    rateField.hidden = layer.value !== "rate";
    dateField.hidden = layer.value !== "tariffs_at";
    retaliationRateField.hidden = retaliation.value !== "explicit";
  }
  layer.addEventListener("change", syncVisibility);
  retaliation.addEventListener("change", syncVisibility);
  syncVisibility();

  const report = h("p", { id: "sc-report", class: "muted", "aria-live": "polite" });
  const notes = h("ul", { id: "sc-notes", class: "muted" });
  const chartArea = h("div");
  const tableArea = h("div");
  root.append(
    h("h1", {}, "Scenario explorer"),
    h("p", { class: "lead" },
      "Solve the general-equilibrium model for a US tariff layer and a retaliation rule; welfare is the change in real income, percent."),
    form, report, notes, chartArea, tableArea);

  let chart = null;
  let lastRows = [];

  function draw() {
    const rows = lastRows;
    let shown = rows.slice();
    if (charted.value !== "all") {
      shown = shown.sort((a, b) => Math.abs(b.welfare_pct) - Math.abs(a.welfare_pct)).slice(0, 30);
    }
    shown.sort((a, b) => a.welfare_pct - b.welfare_pct);
    if (chart) chart.destroy();
    chartArea.replaceChildren();
    chart = chartBox(chartArea, `Bar chart of welfare change by country, ${shown.length} countries`, {
      type: "bar",
      data: {
        labels: shown.map((r) => r.iso3),
        datasets: [{
          label: "Welfare change (%)",
          data: shown.map((r) => r.welfare_pct),
          backgroundColor: shown.map((r) => (r.iso3 === "USA" ? "#ff9f1c" : r.welfare_pct < 0 ? "#a40e26" : "#116329")),
        }],
      },
      options: {
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: (c) => `${shown[c.dataIndex].country}: ${signedPct(c.parsed.y)}` } },
        },
        scales: { y: { title: { display: true, text: "welfare change, %" } } },
      },
    });
    const pctCell = (v) => signedPct(v);
    tableArea.replaceChildren(sortableTable({
      id: "scenario-table",
      caption: "Outcomes by country (percent changes)",
      rows,
      columns: [
        { key: "country", label: "Country" },
        { key: "iso3", label: "ISO3" },
        { key: "welfare_pct", label: "Welfare", numeric: true, format: pctCell },
        { key: "deficit_pct", label: "Deficit", numeric: true, format: pctCell },
        { key: "exports_gdp_pct", label: "Exports/GDP", numeric: true, format: pctCell },
        { key: "imports_gdp_pct", label: "Imports/GDP", numeric: true, format: pctCell },
        { key: "employment_pct", label: "Employment", numeric: true, format: pctCell },
        { key: "price_index_pct", label: "Price index vs world", numeric: true, format: pctCell },
      ],
    }).element);
  }

  charted.addEventListener("change", () => lastRows.length && draw());

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    const numberOf = (input) => (input.value === "" ? null : Number(input.value));
    const scenario = scenarioFrom({
      layer: layer.value,
      ratePct: numberOf(rate),
      date: date.value,
      floorPct: numberOf(floor),
      retaliation: retaliation.value,
      retaliationPct: numberOf(retaliationRate),
      preset: preset.value,
    });
    submit.disabled = true;
    form.setAttribute("aria-busy", "true");
    announce("Solving the model…");
    const started = performance.now();
    try {
      const result = await api("/scenarios", { method: "POST", body: scenario });
      lastRows = (Array.isArray(result.countries) ? result.countries : []).filter((r) => isFiniteNumber(r.welfare_pct));
      const solver = Array.isArray(result.solver) ? result.solver : result.solver ? [result.solver] : [];
      report.textContent = [
        `${result.scenario ?? scenario.name}: ${lastRows.length} countries`,
        result.world ? `world: ${result.world}` : null,
        solver.length ? `solver: ${solver.map((s) => `${s.termination} in ${s.iterations} iterations, max residual ${Number(s.max_residual).toExponential(1)}`).join("; ")}` : null,
        `answered in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      ].filter(Boolean).join(" · ");
      notes.replaceChildren(
        isFiniteNumber(result.world_trade_to_gdp_pct)
          ? h("li", {}, `World trade/GDP ${signedPct(result.world_trade_to_gdp_pct)}, world employment ${signedPct(result.world_employment_pct)}`)
          : null,
        ...(result.notes ?? []).map((n) => h("li", {}, n)));
      draw();
      announce("Scenario solved");
    } catch (e) {
      announce("");
      showError(e);
    } finally {
      submit.disabled = false;
      form.removeAttribute("aria-busy");
    }
  });

  return () => chart && chart.destroy();
}
