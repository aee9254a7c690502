// The statutory effective tariff rate, day by day: 2024 import weights at HTS-8 x partner, MFN
// base plus every authority in force, before any substitution (public data).

import { api } from "../api.js";
import { h, field, showError, clearError, announce, sortableTable, chartBox, pct } from "../ui.js";

export const title = () => "Effective tariff rate";

const DAY_MS = 86_400_000;
const dayNumber = (iso) => Date.parse(`${iso}T00:00:00Z`) / DAY_MS;
const isoOfDay = (n) => new Date(n * DAY_MS).toISOString().slice(0, 10);

export async function render(root) {
  const from = h("input", { id: "etr-from", type: "date", value: "2025-01-01" });
  const to = h("input", { id: "etr-to", type: "date", value: "2026-12-31" });
  const form = h("form", { class: "row", id: "etr-form" },
    field("From", from), field("To", to, "at most 800 days"), h("button", { type: "submit" }, "Show"));
  const meta = h("p", { class: "muted", id: "etr-meta" });
  const chartArea = h("div");
  const tableArea = h("div");
  root.append(
    h("h1", {}, "Statutory effective US tariff rate, daily"),
    h("p", { class: "lead" },
      "Duties in force on each day weighted by 2024 imports (Census, HTS-8 x partner; HS-2 for the rest), ",
      "the MFN base included, before importers substitute. The table lists the days the rate changes."),
    form, meta, chartArea, tableArea);

  let chart = null;

  async function load() {
    clearError();
    announce("Computing the daily series…");
    try {
      const data = await api("/etr", { query: { from: from.value, to: to.value } });
      meta.textContent = `Registry cut-off ${data.meta.cutoff}. ${data.meta.excluded}`;
      draw(data.series);
      announce(`${data.series.length} days`);
    } catch (e) {
      announce("");
      showError(e);
    }
  }

  function draw(series) {
    const line = (key, label, color) => ({
      label, borderColor: color, backgroundColor: color, pointRadius: 0, stepped: "before",
      data: series.map((p) => ({ x: dayNumber(p.date), y: p[key] })),
    });
    if (chart) chart.destroy();
    chartArea.replaceChildren();
    chart = chartBox(chartArea, "Daily statutory effective US tariff rate and its MFN base", {
      type: "line",
      data: { datasets: [line("total_pct", "Total (%)", "#a40e26"), line("base_pct", "MFN base (%)", "#0b5cad")] },
      options: {
        parsing: false,
        scales: {
          // A linear day axis over exactly the period asked for.
          x: {
            type: "linear",
            min: series.length ? dayNumber(series[0].date) : undefined,
            max: series.length ? dayNumber(series.at(-1).date) : undefined,
            ticks: { callback: (v) => isoOfDay(v), maxTicksLimit: 10 },
          },
          y: { beginAtZero: true, title: { display: true, text: "percent" } },
        },
        plugins: { tooltip: { callbacks: { title: (items) => isoOfDay(items[0].parsed.x), label: (c) => `${c.dataset.label}: ${pct(c.parsed.y)}` } } },
      },
    });
    const changes = series.filter((p, i) => i === 0 || Math.abs(p.total_pct - series[i - 1].total_pct) > 1e-9);
    tableArea.replaceChildren(sortableTable({
      id: "etr-table",
      caption: "The first day and every day the rate changes",
      rows: changes,
      columns: [
        { key: "date", label: "Date" },
        { key: "total_pct", label: "Total", numeric: true, format: pct },
        { key: "base_pct", label: "MFN base", numeric: true, format: pct },
        { key: "additional_pct", label: "Additional", numeric: true, format: pct },
      ],
    }).element);
  }

  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  await load();
  return () => chart && chart.destroy();
}
