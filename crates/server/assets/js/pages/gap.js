// The tariff-gap chart of April 2, 2025: "tariffs charged to the USA" (the formula's trade-deficit
// ratio) next to the US "discounted reciprocal" rate, recomputed with the chosen parameters.

import { api } from "../api.js";
import { h, field, showError, clearError, announce, sortableTable, chartBox, pct, usdBn } from "../ui.js";

export const title = () => "Tariff gap";

const CHARGED = "Tariffs charged to the USA (%)";
const RECIPROCAL = "US reciprocal tariff (%)";

export async function render(root) {
  const rounding = h("select", { id: "gap-rounding" },
    h("option", { value: "official" }, "official (the chart's rule)"),
    h("option", { value: "unrounded" }, "unrounded ratio"),
    h("option", { value: "none" }, "none"));
  const passThrough = h("input", { id: "gap-pass-through", type: "number", step: "0.005", min: "0.01", max: "1", placeholder: "0.25" });
  const floor = h("input", { id: "gap-floor", type: "number", step: "1", min: "0", max: "100", placeholder: "10" });
  const elasticity = h("input", { id: "gap-elasticity", type: "number", step: "0.1", min: "0.1", placeholder: "4" });
  const discount = h("input", { id: "gap-discount", type: "number", step: "0.05", min: "0", max: "1", placeholder: "0.5" });
  const top = h("select", { id: "gap-top" },
    ...[15, 30, 60].map((n) => h("option", { value: String(n), selected: n === 30 }, `${n} largest`)));
  const form = h("form", { class: "row", id: "gap-form" },
    field("Rounding", rounding),
    field("Pass-through φ", passThrough, "blank: the official 0.25"),
    field("Floor (%)", floor, "blank: 10"),
    field("Trade elasticity ε", elasticity, "blank: 4"),
    field("Discount", discount, "blank: 0.5"),
    field("Partners charted", top, "by US imports"),
    h("button", { type: "submit" }, "Recompute"));

  const chartArea = h("div");
  const tableArea = h("div");
  root.append(
    h("h1", {}, "Tariff gap: charged to the USA vs the US reciprocal rate"),
    h("p", { class: "lead" },
      "The April 2, 2025 formula: the rate “charged to the USA” is the US goods deficit with a partner over US imports from it ",
      "(2024 Census data); the US reciprocal rate is half of it, with a 10% floor. The table lists every partner; click a column to sort."),
    form, chartArea, tableArea);

  let chart = null;
  let table = null;

  async function load() {
    clearError();
    announce("Loading the formula…");
    try {
      const doc = await api("/formula", {
        query: {
          rounding: rounding.value,
          pass_through: passThrough.value,
          floor: floor.value,
          trade_elasticity: elasticity.value,
          discount: discount.value,
        },
      });
      // The document `reciprocity formula --format json` prints; the deficit in dollars is shown too.
      const rows = doc.rows.map((r) => ({ ...r, deficit_usd: r.us_imports_usd - r.us_exports_usd }));
      draw(rows);
      announce(`${rows.length} partners; the formula matches the chart's reciprocal rate for ${doc.summary.reciprocal_matches} of ${doc.summary.chart_partners}`);
    } catch (e) {
      announce("");
      showError(e);
    }
  }

  function draw(rows) {
    const charted = rows
      .slice()
      .sort((a, b) => (b.us_imports_usd ?? 0) - (a.us_imports_usd ?? 0))
      .slice(0, Number(top.value));
    if (chart) chart.destroy();
    chartArea.replaceChildren();
    chart = chartBox(chartArea, `Bar chart: ${CHARGED} and ${RECIPROCAL} for the ${charted.length} largest US import sources`, {
      type: "bar",
      data: {
        labels: charted.map((r) => r.country),
        datasets: [
          { label: CHARGED, data: charted.map((r) => r.charged_pct), backgroundColor: "#8c959f" },
          { label: RECIPROCAL, data: charted.map((r) => r.reciprocal_pct), backgroundColor: "#0b5cad" },
        ],
      },
      options: {
        scales: { y: { title: { display: true, text: "percent" }, beginAtZero: true, grace: "5%" } },
        plugins: { tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${pct(c.parsed.y)}` } } },
      },
    }, { tall: true });

    const columns = [
      { key: "country", label: "Partner" },
      { key: "iso3", label: "ISO3" },
      { key: "us_imports_usd", label: "US imports", numeric: true, format: usdBn },
      { key: "us_exports_usd", label: "US exports", numeric: true, format: usdBn },
      { key: "deficit_usd", label: "US deficit", numeric: true, format: usdBn },
      { key: "deficit_pct", label: "Deficit/imports", numeric: true, format: pct },
      { key: "charged_pct", label: "Charged to USA", numeric: true, format: pct },
      { key: "reciprocal_pct", label: "US reciprocal", numeric: true, format: pct },
      { key: "official_charged_pct", label: "Chart: charged", numeric: true, format: pct },
      { key: "official_reciprocal_pct", label: "Chart: reciprocal", numeric: true, format: pct },
    ];
    if (table) table.update(rows);
    else {
      table = sortableTable({ id: "gap-table", caption: "Every partner (Chart: the values printed on the April 2 chart)", columns, rows });
      tableArea.replaceChildren(table.element);
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  await load();
  return () => chart && chart.destroy();
}
