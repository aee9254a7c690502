// Product lookup: find an HTS line by the words of its description, then the total US duty on it
// from one partner on one date, measure by measure with its legal instrument (public data).

import { api } from "../api.js";
import { h, field, showError, clearError, announce, sortableTable, pct } from "../ui.js";

export const title = () => "Duty on a product";

export async function render(root) {
  const words = h("input", { id: "pl-query", type: "search", placeholder: "watches, 8703, steel wire…", autocomplete: "off" });
  const searchForm = h("form", { class: "row", id: "pl-search-form", role: "search" },
    field("Find a product", words, "words of the Census description or the first digits of an HTS code"),
    h("button", { type: "submit" }, "Search"));
  const found = h("div", { id: "pl-results" });

  const hts = h("input", { id: "pl-hts", required: true, inputmode: "numeric", placeholder: "8703.23.01" });
  const partner = h("input", { id: "pl-partner", required: true, value: "CHN", maxlength: "3", size: "4" });
  const date = h("input", { id: "pl-date", type: "date" });
  const lookupForm = h("form", { class: "row", id: "pl-lookup-form" },
    field("HTS line (8 or 10 digits)", hts), field("Partner (ISO3)", partner),
    field("Date", date, "blank: the server's today"), h("button", { type: "submit" }, "Total duty"));
  const answer = h("div", { id: "pl-answer" });

  root.append(
    h("h1", {}, "The US duty on a product"),
    h("p", { class: "lead" },
      "The total duty on one HTS line from one partner on one date: the MFN base plus every measure in force, ",
      "stacked by the rules of the orders, each with its status and legal instrument. Statutory rates, before any substitution."),
    searchForm, found, lookupForm, answer);

  async function search() {
    clearError();
    announce("Searching…");
    try {
      const data = await api("/tariffs/search", { query: { q: words.value, limit: 50 } });
      found.replaceChildren(
        h("p", { class: "muted" }, `${data.lines.length} HTS-10 lines match "${data.query}" (Census 2024 descriptions; at most 50 shown).`),
        h("ul", { class: "plain-list", id: "pl-result-list" }, data.lines.map((l) =>
          h("li", {}, h("button", {
            type: "button", class: "link", "data-hts": l.hts10,
            onclick: () => { hts.value = l.hts10; lookup(); },
          }, `${l.hts10.replace(/^(\d{4})(\d{2})(\d{2})(\d*)$/, "$1.$2.$3$4")} — ${l.description}`)))));
      announce(`${data.lines.length} lines`);
    } catch (e) {
      announce("");
      showError(e);
    }
  }

  async function lookup() {
    clearError();
    announce("Looking up…");
    try {
      const data = await api("/tariffs/product", { query: { hts: hts.value, partner: partner.value.toUpperCase(), date: date.value } });
      show(data.duty, data.assumptions);
      announce(`Total duty ${pct(data.duty.total_pct)}`);
    } catch (e) {
      announce("");
      showError(e);
    }
  }

  function show(d, assumptions) {
    const table = sortableTable({
      id: "pl-measures",
      caption: `Measures on ${d.hts} from ${d.partner} on ${d.date}`,
      rows: d.measures,
      columns: [
        { key: "authority", label: "Authority" },
        { key: "measure", label: "Measure" },
        { key: "status", label: "Status" },
        { key: "rate_pct", label: "Rate", numeric: true, format: pct },
        { key: "applied_pct", label: "Applied", numeric: true, format: pct },
        { key: "instrument", label: "Instrument", format: (v, m) => (m.source ? h("a", { href: m.source, rel: "noopener" }, v) : v) },
        { key: "reason", label: "Why", format: (v, m) => [v, m.provisional ? ` (provisional: ${m.provisional})` : ""].join("") },
      ],
    });
    const named = Object.entries(assumptions ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
    answer.replaceChildren(
      h("p", { class: "headline", id: "pl-total" },
        `Total duty ${pct(d.total_pct)} = MFN ${pct(d.mfn_pct)} + additional ${pct(d.additional_pct)}`),
      h("p", {}, d.description ?? ""),
      h("p", { class: "muted" }, `MFN: ${d.mfn_note}`),
      table.element,
      ...(d.notes ?? []).map((n) => h("p", { class: "muted" }, `Note: ${n}`)),
      h("p", { class: "muted" }, `Registry cut-off ${d.cutoff}. ${d.excluded}`),
      h("p", { class: "muted" }, `Assumptions: ${named}.`));
  }

  searchForm.addEventListener("submit", (event) => { event.preventDefault(); search(); });
  lookupForm.addEventListener("submit", (event) => { event.preventDefault(); lookup(); });
}
