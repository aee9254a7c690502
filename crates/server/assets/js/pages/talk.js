// One talk: its proposals with their GE scores, the event log, and a form to table a proposal
// (tariff lines, quotas, purchases, text). The score of a new proposal comes back with the POST.

import { api } from "../api.js";
import { h, field, showError, clearError, announce, signedPct, signClass, isFiniteNumber } from "../ui.js";

export const title = (id) => `Talk ${id}`;

/** The score in a proposal or a POST answer, wherever the server put it. */
export function scoreOf(value) {
  if (!value || typeof value !== "object") return null;
  if (isFiniteNumber(value.us_welfare_pct)) return value;
  return scoreOf(value.score) ?? scoreOf(value.proposal && value.proposal.score) ?? null;
}

function proposalsOf(talk) {
  return Array.isArray(talk.proposals) ? talk.proposals : [];
}

/** One line per term, as a negotiator reads it (the API's TermsOut). */
function describeTerms(terms) {
  if (!terms) return "";
  const lines = [];
  for (const t of terms.tariff_lines ?? []) lines.push(`tariff by ${t.by}: ${t.scope} at ${t.rate_pct}%`);
  for (const q of terms.quotas ?? []) {
    lines.push(`quota by ${q.by}: ${q.scope}, ${q.volume} units at $${q.unit_value_usd}, ${q.in_quota_pct}% in / ${q.out_quota_pct}% out`);
  }
  for (const p of terms.purchases ?? []) lines.push(`purchase by ${p.by}: ${p.scope}, $${p.usd} a year`);
  for (const t of terms.text ?? []) lines.push(`text: ${t}`);
  return lines.join("\n");
}

export async function render(root, [id], session) {
  const heading = h("h1", {}, `Talk ${id}`);
  const summary = h("p", { class: "lead", id: "talk-summary" });
  const proposalsArea = h("div", { id: "proposals" });
  const scoreArea = h("div", { id: "score", tabindex: "-1" });
  const logArea = h("div", { id: "log" });
  const formArea = h("div");
  root.append(heading, summary, h("p", {}, h("a", { href: "#/board" }, "Back to the board")),
    h("div", { class: "two-col" },
      h("div", {}, h("h2", {}, "Proposals"), proposalsArea, h("h2", {}, "Table a proposal"), scoreArea, formArea),
      h("div", {}, h("h2", {}, "Log"), logArea)));

  const me = await session.ready;
  let talk = null;

  async function load() {
    try {
      // {talk, proposals}: the talk's fields with its proposals, each with its stored score.
      const detail = await api(`/negotiations/${encodeURIComponent(id)}`);
      talk = { ...(detail.talk ?? detail), proposals: detail.proposals ?? [] };
    } catch (e) {
      showError(e);
      summary.textContent = "";
      return false;
    }
    heading.textContent = `Talk with ${talk.partner_name ?? talk.partner ?? id} (${talk.id ?? id})`;
    summary.textContent = [
      `State: ${String(talk.state ?? "").replace(/_/g, " ")}`,
      talk.pause_end ? `rates snap back on ${talk.pause_end}` : null,
      typeof talk.days_left === "number" ? `${talk.days_left} days left` : null,
      `version ${talk.version ?? "—"}`,
    ].filter(Boolean).join(" · ");
    drawProposals();
    await loadLog();
    return true;
  }

  function drawProposals() {
    const list = proposalsOf(talk);
    if (!list.length) {
      proposalsArea.replaceChildren(h("p", { class: "muted" }, "No proposal tabled yet."));
      return;
    }
    const tbody = h("tbody", {}, list.map((p) => {
      const score = scoreOf(p);
      return h("tr", { "data-proposal": p.number },
        h("th", { scope: "row" }, `#${p.number}`),
        h("td", {}, p.side),
        h("td", {}, String(p.status ?? "").replace(/_/g, " "), p.counter_to ? ` (counters #${p.counter_to})` : ""),
        h("td", {}, h("pre", { class: "terms" }, describeTerms(p.terms) || p.summary || ""),
          p.score && p.score.stale ? h("p", { class: "muted" }, "score of an earlier version") : null),
        h("td", { class: `num ${score ? signClass(score.us_welfare_pct) : ""}` }, score ? signedPct(score.us_welfare_pct) : "—"),
        h("td", { class: `num ${score ? signClass(score.partner_welfare_pct) : ""}` }, score ? signedPct(score.partner_welfare_pct) : "—"),
        h("td", {}, decisionButtons(p)));
    }));
    proposalsArea.replaceChildren(h("div", { class: "table-wrap full" }, h("table", { id: "proposals-table" },
      h("caption", {}, "Welfare: GE change in real income, percent"),
      h("thead", {}, h("tr", {},
        ...["#", "Side", "Status", "Terms"].map((t) => h("th", { scope: "col" }, t)),
        h("th", { scope: "col", class: "num" }, "US welfare"),
        h("th", { scope: "col", class: "num" }, "Partner welfare"),
        h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Decide")))),
      tbody)));
  }

  /** Accept/reject buttons for the side that did not table an open proposal. */
  function decisionButtons(p) {
    if (!me || me.role === "analyst" || String(p.status) !== "open") return "";
    const side = p.side === "us" ? "partner" : "us";
    if (me.role !== "admin" && side !== "partner") return "";
    const decide = (verb) => async () => {
      clearError();
      try {
        await api(`/negotiations/${encodeURIComponent(id)}/proposals/${p.number}/${verb}`, {
          method: "POST",
          body: { side, if_version: talk.version },
        });
        announce(`Proposal #${p.number}: ${verb}ed`);
        await load();
      } catch (e) {
        showError(e);
      }
    };
    return h("span", { class: "row" },
      h("button", { type: "button", class: "secondary", onclick: decide("accept") }, `Accept #${p.number}`),
      h("button", { type: "button", class: "secondary", onclick: decide("reject") }, `Reject #${p.number}`));
  }

  async function loadLog() {
    try {
      const data = await api(`/negotiations/${encodeURIComponent(id)}/log`);
      const events = Array.isArray(data) ? data : data.events ?? [];
      logArea.replaceChildren(events.length
        ? h("ol", { class: "log", id: "log-list" }, events.map((e) =>
          h("li", {}, [e.date, e.proposal ? `${e.kind} #${e.proposal}` : e.kind, e.detail]
            .filter((x) => x !== undefined && x !== null && x !== "").join(" · "))))
        : h("p", { class: "muted" }, "No events yet."));
    } catch (e) {
      showError(e);
    }
  }

  function showScore(answer) {
    const score = scoreOf(answer);
    const number = answer.number ?? (answer.proposal && answer.proposal.number);
    if (!score) {
      scoreArea.replaceChildren(h("p", {}, `Proposal #${number ?? "?"} tabled; the server returned no score.`));
      return;
    }
    const cell = (label, value, idName) => h("div", {},
      h("dt", {}, label),
      h("dd", { id: idName, class: signClass(value), "data-value": String(value) }, signedPct(value)));
    const partnerName = talk.partner_name ?? "Partner";
    const change = (label, before, after, format) => (isFiniteNumber(before) && isFiniteNumber(after)
      ? h("li", {}, `${label}: ${format(before)} without a deal, ${format(after)} with it`) : null);
    const rate = (v) => `${v.toFixed(1)}%`;
    const usd = (v) => `${v < 0 ? "−" : ""}$${(Math.abs(v) / 1e9).toFixed(1)} bn`;
    scoreArea.replaceChildren(
      h("h3", {}, `Score of proposal #${number ?? "?"}: welfare change against no deal`),
      h("dl", { class: "score" },
        cell("US welfare", score.us_welfare_pct, "score-us"),
        cell(`${partnerName} welfare`, score.partner_welfare_pct, "score-partner")),
      h("ul", { class: "muted" },
        change(`US tariff on ${partnerName}`, score.us_rate_no_deal_pct, score.us_rate_deal_pct, rate),
        change(`${partnerName}'s tariff on the US`, score.partner_rate_no_deal_pct, score.partner_rate_deal_pct, rate),
        change(`US trade balance with ${partnerName}`, score.balance_no_deal_usd, score.balance_deal_usd, usd),
        answer.no_deal ? h("li", {}, `No deal: ${answer.no_deal}`) : null,
        isFiniteNumber(score.iterations) ? h("li", {}, `${score.solves ?? "?"} GE solves, ${score.iterations} iterations, largest residual ${Number(score.max_residual).toExponential(1)}`) : null));
  }

  if (!(await load())) return undefined;
  if (me && me.role !== "analyst") formArea.append(proposalForm());
  else formArea.append(h("p", { class: "muted" }, "Analysts read; tabling a proposal needs the US lead or the partner's team."));

  function proposalForm() {
    const isAdmin = me.role === "admin";
    const side = h("select", { id: "proposal-side", name: "side" },
      isAdmin ? h("option", { value: "us" }, "US") : null,
      h("option", { value: "partner" }, `${talk.partner_name ?? "Partner"}`));
    const counter = h("select", { id: "proposal-counter" });
    const fillCounter = () => counter.replaceChildren(h("option", { value: "" }, "none"),
      proposalsOf(talk)
        .filter((p) => p.status === "open")
        .map((p) => h("option", { value: String(p.number) }, `#${p.number} (${p.side})`)));
    fillCounter();

    // The scoring world's sectors (GET /health), offered as the scope's suggestions.
    const scopes = h("datalist", { id: "scope-options" }, h("option", { value: "all" }));
    api("/health").then((health) => {
      for (const sector of (health.world && health.world.sectors) || []) scopes.append(h("option", { value: sector }));
    }).catch(() => {});
    const linesBox = h("div", { id: "tariff-lines" });
    const quotasBox = h("div", { id: "quotas" });
    const purchasesBox = h("div", { id: "purchases" });
    const text = h("textarea", { id: "proposal-text", rows: "3" });
    let seq = 0;

    const bySelect = (cls) => h("select", { class: cls },
      h("option", { value: "us" }, "US"), h("option", { value: "partner" }, talk.partner_name ?? "Partner"));
    const removeButton = (row, what) =>
      h("button", { type: "button", class: "secondary", onclick: () => row.remove() }, `Remove ${what}`);

    function addLine() {
      seq += 1;
      const row = h("div", { class: "term-row tariff-line" });
      row.append(
        field(`Line ${seq}: levied by`, bySelect("line-by")),
        field("Scope", h("input", { class: "line-scope", value: "all", size: "8", required: true, list: "scope-options" }), "all, a sector, or hs87"),
        field("Rate (%)", h("input", { class: "line-rate", type: "number", step: "any", min: "0", required: true })),
        removeButton(row, `line ${seq}`));
      linesBox.append(row);
      return row;
    }
    function addQuota() {
      seq += 1;
      const row = h("div", { class: "term-row quota" });
      row.append(
        field(`Quota ${seq}: levied by`, bySelect("quota-by")),
        field("Scope", h("input", { class: "quota-scope", size: "8", required: true, list: "scope-options" })),
        field("Volume", h("input", { class: "quota-volume", type: "number", step: "any", min: "0", required: true })),
        field("USD per unit", h("input", { class: "quota-unit", type: "number", step: "any", min: "0", placeholder: "1" })),
        field("In-quota (%)", h("input", { class: "quota-in", type: "number", step: "any", min: "0", required: true })),
        field("Out-of-quota (%)", h("input", { class: "quota-out", type: "number", step: "any", min: "0", required: true })),
        removeButton(row, `quota ${seq}`));
      quotasBox.append(row);
    }
    function addPurchase() {
      seq += 1;
      const row = h("div", { class: "term-row purchase" });
      row.append(
        field(`Purchase ${seq}: by`, bySelect("purchase-by")),
        field("Scope", h("input", { class: "purchase-scope", size: "8", placeholder: "all", list: "scope-options" })),
        field("USD a year", h("input", { class: "purchase-usd", type: "number", step: "any", min: "0", required: true })),
        removeButton(row, `purchase ${seq}`));
      row.querySelector(".purchase-by").value = "partner";
      purchasesBox.append(row);
    }

    const numberOrNull = (input) => (input.value === "" ? null : Number(input.value));
    function terms() {
      const value = (row, cls) => row.querySelector(cls).value.trim();
      const num = (row, cls) => numberOrNull(row.querySelector(cls));
      return {
        tariff_lines: [...linesBox.querySelectorAll(".tariff-line")].map((r) => ({
          by: value(r, ".line-by"), scope: value(r, ".line-scope"), rate_pct: num(r, ".line-rate"),
        })),
        quotas: [...quotasBox.querySelectorAll(".quota")].map((r) => ({
          by: value(r, ".quota-by"), scope: value(r, ".quota-scope"), volume: num(r, ".quota-volume"),
          unit_value_usd: num(r, ".quota-unit"), in_quota_pct: num(r, ".quota-in"), out_quota_pct: num(r, ".quota-out"),
        })),
        purchases: [...purchasesBox.querySelectorAll(".purchase")].map((r) => ({
          by: value(r, ".purchase-by"), scope: value(r, ".purchase-scope") || null, usd: num(r, ".purchase-usd"),
        })),
        text: text.value.split("\n").map((s) => s.trim()).filter(Boolean),
      };
    }

    const submit = h("button", { type: "submit", id: "proposal-submit" }, "Table and score");
    const form = h("form", { id: "proposal-form" }, scopes,
      h("div", { class: "row" }, field("Tabled by", side), field("Counters", counter)),
      h("fieldset", {}, h("legend", {}, "Tariff lines"), linesBox,
        h("button", { type: "button", class: "secondary", id: "add-line", onclick: addLine }, "Add a tariff line")),
      h("fieldset", {}, h("legend", {}, "Tariff-rate quotas"), quotasBox,
        h("button", { type: "button", class: "secondary", id: "add-quota", onclick: addQuota }, "Add a quota")),
      h("fieldset", {}, h("legend", {}, "Purchase commitments"), purchasesBox,
        h("button", { type: "button", class: "secondary", id: "add-purchase", onclick: addPurchase }, "Add a purchase")),
      field("Other terms (one per line)", text, "non-tariff terms, not scored"),
      h("p", {}, submit));
    addLine();

    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      clearError();
      const body = { side: side.value, terms: terms(), if_version: talk.version };
      if (counter.value) body.counter_to = Number(counter.value);
      submit.disabled = true;
      form.setAttribute("aria-busy", "true");
      announce("Scoring the proposal (a GE solve)…");
      try {
        const answer = await api(`/negotiations/${encodeURIComponent(id)}/proposals`, { method: "POST", body });
        showScore(answer);
        announce("Proposal tabled and scored");
        await load();
        fillCounter();
        scoreArea.focus();
      } catch (e) {
        announce("");
        showError(e);
        if (e.status === 409) {
          // Someone else moved the talk: show what changed; the next submit carries the new version.
          await load();
          fillCounter();
          announce("The talk changed since it was opened and has been reloaded; check it and submit again.");
        }
      } finally {
        submit.disabled = false;
        form.removeAttribute("aria-busy");
      }
    });
    return form;
  }
  return undefined;
}
