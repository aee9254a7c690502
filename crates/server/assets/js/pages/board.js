// The negotiation board: every talk the user may see, refreshed every few seconds so another user's
// move shows up, with a countdown to the end of each pause ticking every second.

import { api } from "../api.js";
import { h, field, showError, clearError, announce, signedPct, signClass } from "../ui.js";

export const title = () => "Negotiations";

const REFRESH_MS = 3000;
const DAY_MS = 86_400_000;
const LIVE_STATES = new Set(["not_started", "requested", "in_talks"]);
const DEAL_STATES = new Set(["framework", "agreement", "implemented"]);

/**
 * Milliseconds to the end of a pause. The server counts whole days (`days_left` on its clock, which
 * may be a replayed date such as 2025-05-01); the countdown refines that count with the time already
 * gone today, so it reaches zero at the midnight that starts `pause_end`, the first day the
 * suspended rates apply again.
 */
export function msLeft(daysLeft, now = new Date()) {
  const midnight = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  return daysLeft * DAY_MS - (now - midnight);
}

/** "69 d 07:42:05"; "ended" at or below zero. */
export function formatCountdown(ms) {
  if (ms <= 0) return "ended";
  const total = Math.floor(ms / 1000);
  const days = Math.floor(total / 86400);
  const two = (n) => String(n).padStart(2, "0");
  return `${days} d ${two(Math.floor((total % 86400) / 3600))}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

export async function render(root, _params, session) {
  const tbody = h("tbody");
  const table = h("table", { id: "board-table" },
    h("caption", {}, "Talks, refreshed every few seconds"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Talk"),
      h("th", { scope: "col" }, "State"),
      h("th", { scope: "col" }, "Rates snap back on"),
      h("th", { scope: "col", class: "num" }, "Days left"),
      h("th", { scope: "col" }, "Time left"),
      h("th", { scope: "col", class: "num" }, "Proposals"),
      h("th", { scope: "col" }, "Best score (US / partner welfare)"),
      h("th", { scope: "col", class: "num" }, "Version"))),
    tbody);
  const empty = h("p", { class: "muted", id: "board-empty", hidden: true }, "No talks yet.");
  const updated = h("p", { class: "muted", id: "board-updated" });
  const openArea = h("div");

  root.append(
    h("h1", {}, "Negotiation board"),
    h("p", { class: "lead" },
      "Each partner's talk with the US during the pause: its state, the days until the suspended rates snap back, ",
      "and the best GE score tabled so far (welfare change in percent for the US and the partner)."),
    h("div", { class: "table-wrap full" }, table),
    empty,
    updated,
    openArea);

  const rows = new Map(); // talk id → {tr, cells, daysLeft}
  let timer = null;
  let ticker = null;
  let loading = false;

  function rowFor(talk) {
    let row = rows.get(talk.id);
    if (row) return row;
    const cells = {
      state: h("td", { class: "cell-state" }),
      end: h("td", { class: "cell-end" }),
      days: h("td", { class: "num cell-days" }),
      countdown: h("td", { class: "cell-countdown countdown" }),
      proposals: h("td", { class: "num cell-proposals" }),
      best: h("td", { class: "cell-best" }),
      version: h("td", { class: "num cell-version" }),
    };
    const link = h("a", { href: `#/talks/${encodeURIComponent(talk.id)}` });
    const tr = h("tr", { "data-talk": talk.id },
      h("th", { scope: "row" }, link),
      cells.state, cells.end, cells.days, cells.countdown, cells.proposals, cells.best, cells.version);
    row = { tr, link, cells, daysLeft: null };
    rows.set(talk.id, row);
    return row;
  }

  function fill(row, talk) {
    // Text is updated in place so keyboard focus on a link survives a refresh.
    const set = (node, text) => {
      if (node.textContent !== text) node.textContent = text;
    };
    set(row.link, `${talk.partner_name ?? talk.partner} (${talk.id})`);
    const state = talk.state ?? "";
    if (row.cells.state.dataset.state !== state) {
      row.cells.state.dataset.state = state;
      row.cells.state.replaceChildren(h("span", { class: `pill state-${state}` }, state.replace(/_/g, " ")));
    }
    set(row.cells.end, talk.pause_end ?? "—");
    // Only a talk the end of the pause can still expire has a clock running.
    const live = LIVE_STATES.has(state) && typeof talk.days_left === "number";
    row.daysLeft = live ? talk.days_left : null;
    row.idle = DEAL_STATES.has(state) ? "deal reached" : "—";
    set(row.cells.days, live ? String(talk.days_left) : "—");
    set(row.cells.proposals, String(talk.proposals ?? 0));
    const best = talk.best_score;
    const bestText = best
      ? `#${best.proposal}: ${signedPct(best.us_welfare_pct)} / ${signedPct(best.partner_welfare_pct)}`
      : "none yet";
    if (row.cells.best.textContent !== bestText) {
      row.cells.best.replaceChildren(best
        ? h("span", {}, `#${best.proposal}: `,
          h("span", { class: signClass(best.us_welfare_pct) }, signedPct(best.us_welfare_pct)), " / ",
          h("span", { class: signClass(best.partner_welfare_pct) }, signedPct(best.partner_welfare_pct)))
        : "none yet");
    }
    set(row.cells.version, String(talk.version ?? ""));
  }

  function tick() {
    const now = new Date();
    for (const row of rows.values()) {
      const text = row.daysLeft === null ? row.idle : formatCountdown(msLeft(row.daysLeft, now));
      if (row.cells.countdown.textContent !== text) row.cells.countdown.textContent = text;
    }
  }

  async function load() {
    if (loading) return;
    loading = true;
    try {
      const talks = await api("/negotiations");
      const seen = new Set();
      for (const talk of talks) {
        const row = rowFor(talk);
        fill(row, talk);
        seen.add(talk.id);
        tbody.append(row.tr); // keeps the server's order
      }
      for (const [id, row] of rows) {
        if (!seen.has(id)) {
          row.tr.remove();
          rows.delete(id);
        }
      }
      empty.hidden = talks.length > 0;
      updated.textContent = `Updated ${new Date().toLocaleTimeString()}`;
      tick();
    } catch (e) {
      showError(e);
    } finally {
      loading = false;
    }
  }

  await load();
  ticker = setInterval(tick, 1000);
  timer = setInterval(load, REFRESH_MS);

  const me = await session.ready;
  if (me && me.role === "admin") openArea.append(openTalkForm(load));

  return () => {
    clearInterval(ticker);
    clearInterval(timer);
  };
}

/** The US lead opens a talk: partner, and optionally the pause start and length or end. */
function openTalkForm(reload) {
  const partner = h("input", { id: "open-partner", required: true, size: "8", placeholder: "JPN", autocomplete: "off" });
  const start = h("input", { id: "open-start", type: "date" });
  const days = h("input", { id: "open-days", type: "number", min: "1", max: "3650", step: "1", placeholder: "90" });
  const end = h("input", { id: "open-end", type: "date" });
  const form = h("form", { id: "open-form" },
    h("fieldset", {},
      h("legend", {}, "Open a talk (US lead)"),
      h("div", { class: "row" },
        field("Partner (ISO3 or EU)", partner),
        field("Pause start", start, "blank: the server's default"),
        field("Pause length (days)", days, "or an end date"),
        field("Rates snap back on", end),
        h("button", { type: "submit" }, "Open talk"))));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearError();
    const body = { partner: partner.value.trim().toUpperCase() };
    if (start.value) body.start = start.value;
    if (days.value) body.days = Number(days.value);
    if (end.value) body.end = end.value;
    try {
      const answer = await api("/negotiations", { method: "POST", body });
      const opened = answer.talk ?? answer;
      announce(`Opened the talk with ${opened.partner_name ?? opened.partner ?? body.partner}`);
      partner.value = "";
      await reload();
    } catch (e) {
      showError(e);
    }
  });
  return form;
}
