// The dashboard's router: hash routes (#/board, #/talks/JPN, ...) to page modules. Each page renders
// into its own <section> and may return a cleanup function (timers, charts) run when it is left.

import { api, token } from "./api.js";
import { clearError, announce, showError } from "./ui.js";
import * as login from "./pages/login.js";
import * as gap from "./pages/gap.js";
import * as board from "./pages/board.js";
import * as talk from "./pages/talk.js";
import * as scenarios from "./pages/scenarios.js";
import * as timeline from "./pages/timeline.js";
import * as products from "./pages/products.js";
import * as etr from "./pages/etr.js";

const routes = [
  { pattern: /^\/login$/, page: login, nav: "login" },
  { pattern: /^\/gap$/, page: gap, nav: "gap" },
  { pattern: /^\/board$/, page: board, nav: "board" },
  { pattern: /^\/talks\/([A-Za-z0-9_-]+)$/, page: talk, nav: "board" },
  { pattern: /^\/scenarios$/, page: scenarios, nav: "scenarios" },
  { pattern: /^\/timeline$/, page: timeline, nav: "timeline" },
  { pattern: /^\/products$/, page: products, nav: "products" },
  { pattern: /^\/etr$/, page: etr, nav: "etr" },
];

/**
 * Shared with the pages: who is signed in ({name, role} from GET /me), `ready` (a promise of it,
 * null when signed out or the token is refused) and `refresh()` (after a sign-in).
 */
const session = { me: null, ready: Promise.resolve(null), refresh: null };

let cleanup = null;

async function route() {
  const hash = window.location.hash;
  // Only "#/..." is a route; "#main" (the skip link) and the like are left alone.
  if (hash && !hash.startsWith("#/")) return;
  const path = hash ? hash.slice(1) : token.get() ? "/board" : "/login";
  const match = routes.map((r) => ({ r, m: path.match(r.pattern) })).find((x) => x.m);
  if (!match) {
    window.location.replace("#/board");
    return;
  }
  if (cleanup) {
    try {
      cleanup();
    } catch (e) {
      console.error(e);
    }
    cleanup = null;
  }
  clearError();
  announce("");
  for (const link of document.querySelectorAll("nav a[data-route]")) {
    if (link.dataset.route === match.r.nav) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  const main = document.getElementById("main");
  const section = document.createElement("section");
  main.replaceChildren(section);
  const params = match.m.slice(1).map(decodeURIComponent);
  document.title = `${match.r.page.title(...params)} — Reciprocity`;
  try {
    cleanup = (await match.r.page.render(section, params, session)) ?? null;
  } catch (e) {
    showError(e);
  }
}

/** Ask the server who the token belongs to and show it in the header. */
async function refreshIdentity() {
  const who = document.getElementById("whoami");
  const signOut = document.getElementById("sign-out");
  if (!token.get()) {
    session.me = null;
    who.textContent = "Not signed in";
    signOut.hidden = true;
    return null;
  }
  try {
    session.me = await api("/me");
    who.textContent = `Signed in as ${session.me.name} (${session.me.role})`;
    signOut.hidden = false;
    return session.me;
  } catch (e) {
    session.me = null;
    who.textContent = "Not signed in";
    signOut.hidden = true;
    throw e;
  }
}

function start() {
  document.getElementById("alert-dismiss").addEventListener("click", clearError);
  document.getElementById("skip-link").addEventListener("click", (event) => {
    // Move focus without touching the hash, which holds the route.
    event.preventDefault();
    document.getElementById("main").focus();
  });
  document.getElementById("sign-out").addEventListener("click", async () => {
    token.clear();
    await session.refresh();
    window.location.hash = "#/login";
  });
  window.addEventListener("hashchange", async () => {
    await route();
    document.getElementById("main").focus();
  });
  session.refresh = () => {
    const asked = refreshIdentity();
    session.ready = asked.catch(() => null);
    return asked;
  };
  session.refresh().catch((e) => {
    if (e.status === 401) token.clear();
    showError(e);
  });
  route();
}

start();
