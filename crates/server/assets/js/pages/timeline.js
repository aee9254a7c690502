// The trade-weighted average US tariff over time, one step per change in the policy timeline.

import { api } from "../api.js";
import { h, field, showError, clearError, announce, sortableTable, chartBox, pct } from "../ui.js";

export const title = () => "Average US tariff";

const DAY_MS = 86_400_000;
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfDay = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export async function render(root) {
  const from = h("input", { id: "tl-from", type: "date", value: "2025-01-01" });
  const to = h("input", { id: "tl-to", type: "date" });
  const form = h("form", { class: "row", id: "timeline-form" },
    field("From", from), field("To", to, "blank: the server's today"), h("button", { type: "submit" }, "Show"));
  const weights = h("p", { class: "muted", id: "tl-weights" });
  const chartArea = h("div");
  const tableArea = h("div");
  root.append(
    h("h1", {}, "Average US tariff over time"),
    h("p", { class: "lead" },
      "The import-weighted average of the additional US tariffs in force (executive orders, Section 232), ",
      "and the total with the 2024 base duty where known; one row per change."),
    form, weights, chartArea, tableArea);

  let chart = null;

  async function load() {
    clearError();
    announce("Loading the timeline…");
    try {
      // {weights, points: [{date, additional_pct, base_pct}]}, one point per change.
      const data = await api("/tariffs/average", { query: { from: from.value, to: to.value } });
      const rows = data.points.map((p) => ({
        ...p,
        // Ad-valorem duties add up on the customs value: the total is the base plus the additional duty.
        total_pct: typeof p.base_pct === "number" ? p.base_pct + p.additional_pct : null,
      }));
      weights.textContent = `Weights: ${data.weights}.`;
      draw(rows);
      announce(`${rows.length} changes`);
    } catch (e) {
      announce("");
      showError(e);
    }
  }

  function draw(rows) {
    const points = (key) => rows
      .filter((r) => typeof r[key] === "number")
      .map((r) => ({ x: dayNumber(r.date), y: r[key] }));
    const lastDay = to.value ? dayNumber(to.value) : null;
    const extend = (pts) => (lastDay !== null && pts.length && lastDay > pts.at(-1).x
      ? [...pts, { x: lastDay, y: pts.at(-1).y }] : pts);
    const datasets = [
      { label: "Additional US tariff (%)", data: extend(points("additional_pct")), borderColor: "#0b5cad", backgroundColor: "#0b5cad" },
    ];
    if (rows.some((r) => typeof r.total_pct === "number")) {
      datasets.push({ label: "Total with base (%)", data: extend(points("total_pct")), borderColor: "#a40e26", backgroundColor: "#a40e26" });
    }
    if (chart) chart.destroy();
    chartArea.replaceChildren();
    chart = chartBox(chartArea, "Step chart of the average US tariff by date", {
      type: "line",
      data: { datasets: datasets.map((d) => ({ ...d, stepped: "before", pointRadius: 2 })) },
      options: {
        parsing: false,
        scales: {
          // A linear day axis keeps the spacing true to time without a date adapter.
          x: {
            type: "linear",
            min: from.value ? dayNumber(from.value) : undefined,
            max: lastDay ?? undefined,
            ticks: { callback: (v) => isoOfDay(v), maxTicksLimit: 10 },
          },
          y: { beginAtZero: true, title: { display: true, text: "percent" } },
        },
        plugins: { tooltip: { callbacks: { title: (items) => isoOfDay(items[0].parsed.x), label: (c) => `${c.dataset.label}: ${pct(c.parsed.y)}` } } },
      },
    });
    const hasBase = rows.some((r) => typeof r.base_pct === "number");
    const columns = [
      { key: "date", label: "Date" },
      { key: "additional_pct", label: "Additional US tariff", numeric: true, format: pct },
    ];
    if (hasBase) {
      columns.push({ key: "base_pct", label: "2024 base", numeric: true, format: pct });
      columns.push({ key: "total_pct", label: "Total", numeric: true, format: pct });
    }
    tableArea.replaceChildren(sortableTable({
      id: "timeline-table",
      caption: hasBase ? "One row per change" : "One row per change (this server does not know the 2024 base duty)",
      rows,
      columns,
    }).element);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    load();
  });
  await load();
  return () => chart && chart.destroy();
}
