// End-to-end test of the dashboard: a real `reciprocity serve` on a temp SQLite db, driven in
// Debian's Chromium through playwright-core. Two users at the table: the US lead (admin) and
// Japan's team. Run: `npm test` here, or `node tests/browser/e2e.mjs` from the repo root.
//
// Env: RECIPROCITY_BIN (default <repo>/target/debug/reciprocity), CHROMIUM (default
// /usr/bin/chromium), E2E_KEEP=1 keeps the temp folder. Screenshots go to tests/browser/artifacts/.

import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import { chromium } from "playwright-core";

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, "../..");
const bin = process.env.RECIPROCITY_BIN ?? path.join(repo, "target/debug/reciprocity");
const chromiumPath = process.env.CHROMIUM ?? "/usr/bin/chromium";
const artifacts = path.join(here, "artifacts");
const CLOCK = "2025-05-01";

// ------------------------------------------------------------------------------------------------
// A tiny runner: named steps in order; the first failure skips the rest (they depend on it).

const results = [];
let failedAlready = false;
async function step(name, fn) {
  if (failedAlready) {
    results.push({ name, status: "skipped" });
    console.log(`SKIP ${name}`);
    return;
  }
  const started = Date.now();
  try {
    await fn();
    results.push({ name, status: "passed" });
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    failedAlready = true;
    results.push({ name, status: "failed", error: e });
    console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).split("\n").join("\n     ")}`);
  }
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}
function assertEqual(actual, expected, message) {
  if (actual !== expected) {
    throw new Error(`assertion failed: ${message}: expected ${JSON.stringify(expected)}, found ${JSON.stringify(actual)}`);
  }
}

/** The dashboard's welfare format (assets/js/ui.js signedPct), to compare what the page shows. */
function signedPct(value) {
  const sign = value > 0 ? "+" : value < 0 ? "−" : "";
  const body = new Intl.NumberFormat("en-US", { minimumFractionDigits: 4, maximumFractionDigits: 4 }).format(Math.abs(value));
  return `${sign}${body}%`;
}

/** The dashboard's one-decimal percent (assets/js/ui.js pct). */
function pct1(value) {
  const shown = Math.abs(value) < 0.05 ? 0 : value;
  return `${new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(shown)}%`;
}

/** The score in a POST /proposals answer or a proposal (the dashboard's scoreOf, kept in step). */
function scoreOf(value) {
  if (!value || typeof value !== "object") return null;
  if (typeof value.us_welfare_pct === "number") return value;
  return scoreOf(value.score) ?? scoreOf(value.proposal && value.proposal.score) ?? null;
}

/**
 * axe-core's WCAG 2 A/AA rules on the page as it stands; serious and critical findings fail.
 * Injected through the DevTools protocol (page.evaluate), so a Content-Security-Policy does not block it.
 */
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
async function assertAccessible(page, what) {
  await page.evaluate(axeSource);
  const report = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }));
  const bad = report.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
  assertEqual(bad.length, 0, `accessibility of ${what}: ${text.join(" | ")}`);
}

// ------------------------------------------------------------------------------------------------
// The server.

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** `reciprocity users --db DB add NAME --role ROLE` → the token it printed once. */
function addUser(db, name, role) {
  const out = execFileSync(bin, ["users", "--db", db, "add", name, "--role", role], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const match = out.match(/rcp_[0-9a-f]{64}/);
  if (!match) throw new Error(`no rcp_ token in the output of users add ${name}: ${out}`);
  return match[0];
}

async function waitForHealth(base, server, log) {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`reciprocity serve exited with ${server.exitCode}:\n${fs.readFileSync(log, "utf8")}`);
    try {
      const res = await fetch(`${base}/api/v1/health`);
      if (res.ok) return res.json();
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no answer from ${base}/api/v1/health in 120 s:\n${fs.readFileSync(log, "utf8")}`);
}

/** A JSON API call from the test itself (to set up and to cross-check what the page shows). */
async function call(base, tokenValue, method, route, body) {
  const res = await fetch(`${base}/api/v1${route}`, {
    method,
    headers: { Authorization: `Bearer ${tokenValue}`, ...(body ? { "Content-Type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

// ------------------------------------------------------------------------------------------------

async function main() {
  fs.mkdirSync(artifacts, { recursive: true });
  for (const f of fs.readdirSync(artifacts)) if (f.endsWith(".png")) fs.rmSync(path.join(artifacts, f));
  assert(fs.existsSync(bin), `${bin} exists (cargo build -p reciprocity, or set RECIPROCITY_BIN)`);
  assert(fs.existsSync(chromiumPath), `${chromiumPath} exists (apt-get install chromium, or set CHROMIUM)`);

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "reciprocity-e2e-"));
  const db = path.join(tmp, "e2e.sqlite");
  const serverLog = path.join(artifacts, "server.log");
  const shots = [];
  let server = null;
  let browser = null;
  let context = null;

  const shot = async (page, name) => {
    const file = path.join(artifacts, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    shots.push(file);
  };

  try {
    let admin;
    let team;
    await step("users add: an admin and Japan's team", () => {
      admin = addUser(db, "us-lead", "admin");
      team = addUser(db, "tokyo", "team:JPN");
      assert(admin !== team, "two different tokens");
    });

    let base;
    await step(`serve --clock ${CLOCK} answers /api/v1/health`, async () => {
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      const out = fs.openSync(serverLog, "w");
      server = spawn(bin, ["serve", "--db", db, "--bind", `127.0.0.1:${port}`, "--clock", CLOCK], {
        stdio: ["ignore", out, out],
      });
      const health = await waitForHealth(base, server, serverLog);
      assertEqual(health.status, "ok", "health status");
      const index = await fetch(`${base}/`);
      assertEqual(index.status, 200, "GET / status");
      const chart = await fetch(`${base}/vendor/chart.umd.min.js`);
      assertEqual(chart.status, 200, "the vendored Chart.js is served");
    });

    const userDataDir = fs.mkdtempSync(path.join(tmp, "chromium-profile-"));
    await step("Chromium starts", async () => {
      context = await chromium.launchPersistentContext(userDataDir, {
        executablePath: chromiumPath,
        headless: true,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        viewport: { width: 1366, height: 768 },
      });
      browser = context.browser();
    });

    const pageErrors = [];
    const watch = (page, who) => {
      page.on("pageerror", (e) => pageErrors.push(`${who}: ${e.message}`));
      page.on("console", (m) => {
        if (m.type() === "error") pageErrors.push(`${who} console: ${m.text()}`);
      });
    };

    const adminPage = context ? await context.newPage() : null;
    if (adminPage) watch(adminPage, "admin");

    const signIn = async (page, tokenValue, who) => {
      await page.goto(`${base}/#/login`);
      await page.getByLabel("API token").fill(tokenValue);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.locator("#whoami").filter({ hasText: `Signed in as ${who}` }).waitFor({ timeout: 10_000 });
    };

    await step("admin signs in with the token; /me shows the name and role", async () => {
      await signIn(adminPage, admin, "us-lead");
      assertEqual(await adminPage.locator("#whoami").textContent(), "Signed in as us-lead (admin)", "header");
      const stored = await adminPage.evaluate(() => sessionStorage.getItem("reciprocity.token"));
      assertEqual(stored, admin, "the token is kept in sessionStorage");
      await shot(adminPage, "01-admin-signed-in");
      await assertAccessible(adminPage, "the sign-in page");
    });

    await step("admin opens the JPN talk from the board's form; KOR through the API", async () => {
      await adminPage.goto(`${base}/#/board`);
      await adminPage.getByLabel("Partner (ISO3 or EU)").fill("JPN");
      await adminPage.getByRole("button", { name: "Open talk" }).click();
      await adminPage.locator('tr[data-talk="JPN"]').waitFor({ timeout: 10_000 });
      const kor = await call(base, admin, "POST", "/negotiations", { partner: "KOR" });
      assert(kor.status === 200 || kor.status === 201, `POST /negotiations KOR: ${kor.status} ${JSON.stringify(kor.body)}`);
      await adminPage.locator('tr[data-talk="KOR"]').waitFor({ timeout: 10_000 });
    });

    let boardJpn;
    await step("the board matches the API and the countdown ticks every second", async () => {
      const board = await call(base, admin, "GET", "/negotiations");
      assertEqual(board.status, 200, "GET /negotiations");
      boardJpn = board.body.find((t) => t.id === "JPN");
      assert(boardJpn, "JPN on the API board");
      const row = adminPage.locator('tr[data-talk="JPN"]');
      assertEqual(await row.locator(".cell-days").textContent(), String(boardJpn.days_left), "days left");
      assertEqual(await row.locator(".cell-end").textContent(), boardJpn.pause_end, "pause end");
      assertEqual(await row.locator(".cell-proposals").textContent(), String(boardJpn.proposals), "proposal count");
      const first = await row.locator(".cell-countdown").textContent();
      await adminPage.waitForTimeout(1300);
      const second = await row.locator(".cell-countdown").textContent();
      assert(/^\d+ d \d\d:\d\d:\d\d$/.test(first), `countdown format: ${first}`);
      assert(first !== second, `the countdown moved: ${first} then ${second}`);
      // The countdown refines the server's whole days: it shows days_left - 1 full days and some hours.
      assertEqual(Number(second.split(" ")[0]), boardJpn.days_left - 1, "countdown days");
      await shot(adminPage, "02-admin-board");
      await assertAccessible(adminPage, "the admin's board");
    });

    await step("keyboard: the skip link is the first stop and moves focus to the content", async () => {
      await adminPage.reload();
      await adminPage.locator('tr[data-talk="JPN"]').waitFor({ timeout: 10_000 });
      await adminPage.keyboard.press("Tab");
      assertEqual(await adminPage.evaluate(() => document.activeElement.id), "skip-link", "first Tab stop");
      assert(await adminPage.locator("#skip-link").isVisible(), "the skip link shows when focused");
      await adminPage.keyboard.press("Enter");
      assertEqual(await adminPage.evaluate(() => document.activeElement.id), "main", "focus after the skip link");
      assertEqual(await adminPage.evaluate(() => window.location.hash), "#/board", "the route is kept");
      await adminPage.keyboard.press("Tab");
      const next = await adminPage.evaluate(() => document.activeElement.textContent);
      assert(/\(JPN\)|\(KOR\)/.test(next), `Tab from the content reaches a talk link first, found ${next}`);
    });

    // Marks the admin's page so a reload (which would clear it) is detected.
    if (adminPage) await adminPage.evaluate(() => { window.__noReload = true; }).catch(() => {});

    const teamContext = browser ? await browser.newContext({ viewport: { width: 1366, height: 768 } }) : null;
    const teamPage = teamContext ? await teamContext.newPage() : null;
    if (teamPage) watch(teamPage, "team");

    await step("Japan's team signs in in a second context and sees only its own talk", async () => {
      await signIn(teamPage, team, "tokyo");
      await teamPage.goto(`${base}/#/board`);
      await teamPage.locator('tr[data-talk="JPN"]').waitFor({ timeout: 10_000 });
      assertEqual(await teamPage.locator("#board-table tbody tr").count(), 1, "rows on the team's board");
      assertEqual(await teamPage.locator('tr[data-talk="KOR"]').count(), 0, "no KOR row");
      assertEqual(await teamPage.locator("#open-form").count(), 0, "no open-talk form for a team");
      const kor = await call(base, team, "GET", "/negotiations/KOR");
      assertEqual(kor.status, 404, "GET /negotiations/KOR as team:JPN");
      await shot(teamPage, "03-team-board");
    });

    await step("a talk the team may not see shows the API's 404 in the alert", async () => {
      await teamPage.goto(`${base}/#/talks/KOR`);
      const alert = teamPage.getByRole("alert");
      await alert.filter({ hasText: "not_found" }).waitFor({ timeout: 10_000 });
      assert(await alert.isVisible(), "the alert is visible");
    });

    let answer;
    await step("the team tables a proposal through the form and sees its score for both sides", async () => {
      await teamPage.goto(`${base}/#/board`);
      await teamPage.getByRole("link", { name: /\(JPN\)/ }).click();
      await teamPage.locator("#proposal-form").waitFor({ timeout: 10_000 });
      assertEqual(await teamPage.locator("#proposal-side option").count(), 1, "a team tables as partner only");
      const line = teamPage.locator(".tariff-line").first();
      await line.locator(".line-by").selectOption("us");
      await line.locator(".line-scope").fill("all");
      await line.locator(".line-rate").fill("10");
      await teamPage.getByRole("button", { name: "Add a tariff line" }).click();
      const line2 = teamPage.locator(".tariff-line").nth(1);
      await line2.locator(".line-by").selectOption("partner");
      await line2.locator(".line-scope").fill("all");
      await line2.locator(".line-rate").fill("0");
      await teamPage.getByLabel("Other terms (one per line)").fill("Japan invests in US shipbuilding");
      const posted = teamPage.waitForResponse(
        (r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/negotiations/JPN/proposals"),
        { timeout: 300_000 },
      );
      await teamPage.getByRole("button", { name: "Table and score" }).click();
      const response = await posted;
      answer = await response.json();
      assert(response.status() === 200 || response.status() === 201, `POST proposals: ${response.status()} ${JSON.stringify(answer)}`);
      const score = scoreOf(answer);
      assert(score, `a score in the answer: ${JSON.stringify(answer)}`);
      assert(Number.isFinite(score.us_welfare_pct) && Number.isFinite(score.partner_welfare_pct), "finite welfare numbers");
      const us = teamPage.locator("#score-us");
      const partner = teamPage.locator("#score-partner");
      await us.waitFor({ timeout: 10_000 });
      assertEqual(await us.getAttribute("data-value"), String(score.us_welfare_pct), "US welfare (exact)");
      assertEqual(await partner.getAttribute("data-value"), String(score.partner_welfare_pct), "partner welfare (exact)");
      assertEqual(await us.textContent(), signedPct(score.us_welfare_pct), "US welfare as shown");
      assertEqual(await partner.textContent(), signedPct(score.partner_welfare_pct), "partner welfare as shown");
      // The stored talk carries the same score.
      const talk = await call(base, team, "GET", "/negotiations/JPN");
      assertEqual(talk.status, 200, "GET /negotiations/JPN");
      const stored = (talk.body.proposals ?? []).at(-1);
      assert(stored, "the proposal is stored");
      const storedScore = scoreOf(stored);
      assert(storedScore, `the stored proposal has a score: ${JSON.stringify(stored)}`);
      assertEqual(storedScore.us_welfare_pct, score.us_welfare_pct, "stored US welfare");
      assertEqual(storedScore.partner_welfare_pct, score.partner_welfare_pct, "stored partner welfare");
      await teamPage.locator("#proposals-table tbody tr").first().waitFor();
      await shot(teamPage, "04-team-proposal-scored");
      await assertAccessible(teamPage, "the talk page with a score");
    });

    await step("an invalid proposal shows the API error in the alert", async () => {
      const line = teamPage.locator(".tariff-line").first();
      await line.locator(".line-scope").fill("no-such-sector");
      await teamPage.getByRole("button", { name: "Table and score" }).click();
      const alert = teamPage.getByRole("alert");
      await alert.filter({ hasText: "bad_request" }).waitFor({ timeout: 60_000 });
      await shot(teamPage, "05-team-error-alert");
      await assertAccessible(teamPage, "the talk page with an error");
    });

    await step("the admin's board shows the new proposal without a reload", async () => {
      const board = await call(base, admin, "GET", "/negotiations");
      const jpn = board.body.find((t) => t.id === "JPN");
      assertEqual(jpn.proposals, boardJpn.proposals + 1, "one more proposal on the API board");
      const row = adminPage.locator('tr[data-talk="JPN"]');
      await row.locator(".cell-proposals").filter({ hasText: String(jpn.proposals) }).waitFor({ timeout: 15_000 });
      if (jpn.best_score) {
        await row.locator(".cell-best").filter({ hasText: signedPct(jpn.best_score.us_welfare_pct) }).waitFor({ timeout: 15_000 });
      }
      assertEqual(await row.locator(".cell-version").textContent(), String(jpn.version), "version");
      assertEqual(await row.locator(".cell-state").textContent(), jpn.state.replace(/_/g, " "), "state");
      assertEqual(await adminPage.evaluate(() => window.__noReload === true), true, "the admin's page was not reloaded");
      await shot(adminPage, "06-admin-board-updated");
    });

    await step("a stale talk version is a visible conflict; the page reloads the talk and the retry succeeds", async () => {
      // The admin tables a counter-offer through the API while the team's page shows the older version.
      const us = await call(base, admin, "POST", "/negotiations/JPN/proposals", {
        side: "us",
        terms: { tariff_lines: [{ by: "us", scope: "all", rate_pct: 15 }] },
      });
      assertEqual(us.status, 201, `admin's proposal: ${JSON.stringify(us.body).slice(0, 300)}`);
      const line = teamPage.locator(".tariff-line").first();
      await line.locator(".line-scope").fill("all");
      await teamPage.getByRole("button", { name: "Table and score" }).click();
      await teamPage.getByRole("alert").filter({ hasText: "conflict" }).waitFor({ timeout: 60_000 });
      await teamPage.locator("#proposals-table tbody tr").nth(1).waitFor({ timeout: 10_000 });
      assertEqual(await teamPage.locator("#proposals-table tbody tr").count(), 2, "the admin's proposal shows after the reload");
      const posted = teamPage.waitForResponse(
        (r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/negotiations/JPN/proposals"),
        { timeout: 300_000 },
      );
      await teamPage.getByRole("button", { name: "Table and score" }).click();
      const retry = await posted;
      assertEqual(retry.status(), 201, "the retry is tabled");
      const body = await retry.json();
      assertEqual(body.proposal.number, 3, "the retry is proposal 3");
      await teamPage.locator("#score-us").filter({ hasText: signedPct(scoreOf(body).us_welfare_pct) }).waitFor({ timeout: 10_000 });
      await shot(teamPage, "06b-team-after-conflict");
    });

    await step("tariff-gap page: chart and a sortable table of every partner", async () => {
      const api = await call(base, admin, "GET", "/formula");
      assertEqual(api.status, 200, "GET /formula");
      // The document `reciprocity formula --format json` prints: parameters, summary and rows.
      assertEqual(api.body.summary.chart_partners, 185, "the chart's partners");
      const rows = api.body.rows;
      await adminPage.goto(`${base}/#/gap`);
      const table = adminPage.locator("#gap-table tbody tr");
      await table.first().waitFor({ timeout: 30_000 });
      assertEqual(await table.count(), rows.length, "one table row per partner");
      assertEqual(await adminPage.locator(".chart-box canvas").count(), 1, "one chart");
      // A numeric column sorts highest first on the first press.
      await adminPage.getByRole("button", { name: "Charged to USA", exact: true }).click();
      const sortedHeader = adminPage.locator('#gap-table th[data-key="charged_pct"]');
      assertEqual(await sortedHeader.getAttribute("aria-sort"), "descending", "aria-sort");
      const highest = Math.max(...rows.map((r) => r.charged_pct));
      const topNames = rows.filter((r) => r.charged_pct === highest).map((r) => r.country);
      const firstCell = await adminPage.locator("#gap-table tbody tr").first().locator("th").textContent();
      assert(topNames.includes(firstCell), `sorted by the charged rate, highest first: ${firstCell} not in ${topNames}`);
      const china = rows.find((r) => r.iso3 === "CHN");
      const chinaRow = adminPage.locator("#gap-table tbody tr", { has: adminPage.locator("td", { hasText: /^CHN$/ }) });
      const keys = await adminPage.locator("#gap-table thead th").evaluateAll((ths) => ths.map((th) => th.dataset.key));
      const cells = await chinaRow.locator("th, td").allTextContents();
      const cell = (key) => cells[keys.indexOf(key)];
      assertEqual(cell("charged_pct"), pct1(china.charged_pct), "China's charged rate as shown");
      assertEqual(cell("reciprocal_pct"), pct1(china.reciprocal_pct), "China's reciprocal rate as shown");
      // The April 2, 2025 chart printed 67% charged and 34% reciprocal for China.
      assertEqual(cell("charged_pct"), "67.0%", "China's charged rate against the published chart");
      assertEqual(cell("reciprocal_pct"), "34.0%", "China's reciprocal rate against the published chart");
      await shot(adminPage, "07-tariff-gap");
      await assertAccessible(adminPage, "the tariff-gap page");
    });

    await step("timeline page: the average US tariff, one row per change", async () => {
      const api = await call(base, admin, "GET", "/tariffs/average?from=2025-01-01&to=2025-12-31");
      assertEqual(api.status, 200, "GET /tariffs/average");
      const rows = api.body.points;
      await adminPage.goto(`${base}/#/timeline`);
      await adminPage.locator("#tl-to").fill("2025-12-31");
      await adminPage.getByRole("button", { name: "Show" }).click();
      await adminPage.locator("#timeline-table tbody tr").nth(rows.length - 1).waitFor({ timeout: 30_000 });
      assertEqual(await adminPage.locator("#timeline-table tbody tr").count(), rows.length, "one row per change");
      const shown = await adminPage.locator("#timeline-table tbody tr").evaluateAll((trs) =>
        trs.map((tr) => [tr.querySelector("th").textContent, tr.querySelector("td").textContent]));
      assertEqual(JSON.stringify(shown), JSON.stringify(rows.map((r) => [r.date, pct1(r.additional_pct)])), "dates and averages as shown");
      await shot(adminPage, "08-timeline");
      await assertAccessible(adminPage, "the timeline page");
    });

    await step("product lookup: \"watches\" finds HTS lines; one click shows the total duty and its measures", async () => {
      await adminPage.goto(`${base}/#/products`);
      await adminPage.getByLabel("Find a product").fill("wrist watches");
      await adminPage.getByRole("button", { name: "Search" }).click();
      const first = adminPage.locator("#pl-result-list button").first();
      await first.waitFor({ timeout: 30_000 });
      const hts = await first.getAttribute("data-hts");
      assert(/^91\d{8}$/.test(hts), `a watch line: ${hts}`);
      await adminPage.getByLabel("Partner (ISO3)").fill("CHE");
      await adminPage.getByLabel("Date", { exact: true }).fill("2025-09-01");
      await first.click();
      await adminPage.locator("#pl-measures tbody tr").first().waitFor({ timeout: 30_000 });
      const api = await call(base, admin, "GET", `/tariffs/product?hts=${hts}&partner=CHE&date=2025-09-01`);
      assertEqual(api.status, 200, "GET /tariffs/product");
      const d = api.body.duty;
      assertEqual(await adminPage.locator("#pl-total").textContent(),
        `Total duty ${pct1(d.total_pct)} = MFN ${pct1(d.mfn_pct)} + additional ${pct1(d.additional_pct)}`, "the total as the API says");
      assertEqual(await adminPage.locator("#pl-measures tbody tr").count(), d.measures.length, "one row per measure");
      await shot(adminPage, "09-products");
      await assertAccessible(adminPage, "the product lookup");
    });

    await step("effective-rate page: the daily series, one table row per change", async () => {
      const api = await call(base, admin, "GET", "/etr?from=2025-01-01&to=2025-12-31");
      assertEqual(api.status, 200, "GET /etr");
      const s = api.body.series;
      const changes = s.filter((p, i) => i === 0 || Math.abs(p.total_pct - s[i - 1].total_pct) > 1e-9);
      await adminPage.goto(`${base}/#/etr`);
      // Let the default range's table render first, so its load cannot land after ours.
      await adminPage.locator("#etr-table tbody tr").first().waitFor({ timeout: 60_000 });
      await adminPage.locator("#etr-to").fill("2025-12-31");
      await adminPage.getByRole("button", { name: "Show" }).click();
      // The page first shows its default range (to 2026-12-31, more rows): wait for the table of
      // the range asked for, not for any table with enough rows.
      await adminPage.waitForFunction(
        (n) => document.querySelectorAll("#etr-table tbody tr").length === n,
        changes.length,
        { timeout: 60_000 },
      );
      assertEqual(await adminPage.locator("#etr-table tbody tr").count(), changes.length, "one row per change");
      const last = await adminPage.locator("#etr-table tbody tr").last().locator("td").first().textContent();
      assertEqual(last, pct1(changes.at(-1).total_pct), "the last change as the API says");
      await shot(adminPage, "10-etr");
      await assertAccessible(adminPage, "the effective-rate page");
    });

    await step("scenario explorer: a 10% US tariff, welfare by country", async () => {
      await adminPage.goto(`${base}/#/scenarios`);
      await adminPage.getByLabel("Layer", { exact: true }).selectOption("rate");
      await adminPage.getByLabel("US rate (%)", { exact: true }).fill("10");
      const posted = adminPage.waitForResponse(
        (r) => r.request().method() === "POST" && r.url().endsWith("/api/v1/scenarios"),
        { timeout: 300_000 },
      );
      await adminPage.getByRole("button", { name: "Run scenario" }).click();
      const response = await posted;
      const result = await response.json();
      assertEqual(response.status(), 200, `POST /scenarios: ${JSON.stringify(result).slice(0, 300)}`);
      const countries = result.countries.filter((c) => Number.isFinite(c.welfare_pct));
      await adminPage.locator("#scenario-table tbody tr").nth(countries.length - 1).waitFor({ timeout: 10_000 });
      assertEqual(await adminPage.locator("#scenario-table tbody tr").count(), countries.length, "one row per country");
      const usa = countries.find((c) => c.iso3 === "USA");
      assert(usa, "USA in the result");
      const usaRow = adminPage.locator("#scenario-table tbody tr", { has: adminPage.locator("td", { hasText: /^USA$/ }) });
      assertEqual(await usaRow.locator("td.num").first().textContent(), signedPct(usa.welfare_pct), "USA welfare as shown");
      await shot(adminPage, "09-scenario");
      await assertAccessible(adminPage, "the scenario explorer");
    });

    await step("no script errors in either page", () => {
      // The 404 of the KOR talk, the 400 of the invalid proposal and the 409 of the stale version are expected.
      const unexpected = pageErrors.filter((e) => !/status of (400|404|409)/.test(e));
      assertEqual(unexpected.length, 0, `page errors: ${unexpected.join(" | ")}`);
    });
  } finally {
    if (context) await context.close().catch(() => {});
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((resolve) => {
        const t = setTimeout(() => {
          server.kill("SIGKILL");
          resolve();
        }, 10_000);
        server.once("exit", () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    if (process.env.E2E_KEEP) console.log(`kept ${tmp}`);
    else fs.rmSync(tmp, { recursive: true, force: true });
    for (const file of shots) console.log(`screenshot: ${path.relative(process.cwd(), file) || file}`);
    console.log(`server log: ${serverLog}`);
  }
}

try {
  await main();
} catch (e) {
  results.push({ name: "setup", status: "failed", error: e });
  console.log(`FAIL setup\n     ${e && e.stack ? e.stack : e}`);
}
const passed = results.filter((r) => r.status === "passed").length;
const failed = results.filter((r) => r.status === "failed").length;
const skipped = results.filter((r) => r.status === "skipped").length;
console.log(`browser: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
