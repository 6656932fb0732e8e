// folio in a real browser: a reader's walk through the built catalogue,
// axe-core on every page template, the keyboard, print, JavaScript off,
// and screenshots at desktop and phone width.
//
//   node e2e.mjs URL SCREENSHOTS_DIR
//
// URL is the site's root as `folio serve` prints it; the Rust test
// (tests/testsuite/browser.rs) passes `target/screenshots`. The browser is
// Debian's Chromium (`CHROMIUM` overrides /usr/bin/chromium), driven by
// playwright-core, which never downloads one of its own. The script prints
// one JSON line (the summary) and exits 1 when any check failed.

import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";

import { chromium } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

// The flags that work on this machine's closed network. playwright-core
// adds `--headless` and a new empty `--user-data-dir` of its own.
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

// One page per template of the site, for axe. The instrument and the
// listing are the ones the reader's walk reaches when it gets there.
const TEMPLATES = {
  home: "",
  instrument: "instruments/revised-kyoto-protocol-1999/",
  listing: "types/protocol/",
  classification: "classification/",
  years: "years/",
  "in-force": "in-force/1990/",
  search: "search/?q=Kyoto",
  page: "about/",
  "not-found": "no-such-page/",
  "russian-home": "ru/",
  "russian-instrument": "ru/instruments/nairobi-convention-1977/",
  "russian-search": "ru/search/?q=Киотская",
};

// The instrument with the most relations, whose diagram is the tallest.
const MOST_RELATED = "instruments/nairobi-convention-1977/";

// Pictures for people to look at: page, path, and what to wait for.
const SCREENSHOTS = [
  ["home", "", "main h1"],
  ["instrument", "instruments/revised-kyoto-protocol-1999/", "#relations svg"],
  ["search", "search/?q=Kyoto", "#results .results-list"],
  ["years", "years/", "svg.timeline-chart"],
];
// Long pages are cut here: the years page alone is 13,000 pixels tall.
const SHOT_MAX_HEIGHT = 3000;
const WIDTHS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } };

const PATIENCE_MS = 15_000;
const DEADLINE_MS = 300_000;

// --- bookkeeping ----------------------------------------------------------

const checks = [];
const failures = [];
const visited = new Set();
const consoleErrors = [];
const axeFound = { pages: 0, critical: 0, serious: 0, moderate: 0, minor: 0 };
const shots = [];

function check(name, ok, detail = "") {
  checks.push(name);
  if (!ok) failures.push(detail ? `${name}: ${detail}` : name);
  return ok;
}

// Run one part of the suite; an exception fails that part and the rest
// still runs. FOLIO_E2E_ONLY=WORD runs only the parts named with WORD.
async function part(name, body) {
  if (process.env.FOLIO_E2E_ONLY && !name.includes(process.env.FOLIO_E2E_ONLY)) return;
  try {
    await body();
  } catch (error) {
    check(name, false, String(error.message || error).split("\n")[0]);
  }
}

// A page that records every console error and uncaught exception. The
// deliberate 404 may log the failed load of its own document, and the
// browser's own request for /favicon.ico (the site has no icon) does not
// count: the page did not ask for it.
async function openPage(context, label) {
  const page = await context.newPage();
  page.setDefaultTimeout(PATIENCE_MS);
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const at = message.location().url || page.url();
    if (isExpected404(at, message.text()) || at === url("/favicon.ico")) return;
    consoleErrors.push(`${label}: ${at}: ${message.text()}`);
  });
  page.on("pageerror", (error) => consoleErrors.push(`${label}: ${page.url()}: ${error.message}`));
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) visited.add(frame.url());
  });
  return page;
}

let site = "";

function isExpected404(at, text) {
  return at.startsWith(new URL(TEMPLATES["not-found"], site).href) && /\b404\b/.test(text);
}

function url(path) {
  return new URL(path, site).href;
}

async function go(page, path) {
  const response = await page.goto(url(path), { waitUntil: "load" });
  return response ? response.status() : 0;
}

// Click a link and wait for the page it leads to.
async function follow(page, link) {
  await Promise.all([page.waitForNavigation({ waitUntil: "load" }), link.click()]);
}

function samePage(a, b) {
  const [x, y] = [new URL(a), new URL(b)];
  return x.origin === y.origin && x.pathname === y.pathname;
}

// --- the reader's walk ----------------------------------------------------

// Home → a type listing → an instrument with relations → a related
// instrument → back by the inverse relation. Returns the instrument's URL.
async function walk(context) {
  const page = await openPage(context, "walk");
  check("home page answers 200", (await go(page, "")) === 200);
  check("home page has a heading", (await page.locator("main h1").count()) === 1);

  const typeLinks = page.locator(".cards .terms a[href*='types/']");
  check("home page links to type listings", (await typeLinks.count()) > 0);
  const listing = await typeLinks.evaluateAll((links) => links.map((a) => a.href));

  // The first instrument, in the first listing, that has a relation.
  let instrument = null;
  for (const listingUrl of listing) {
    await page.goto(listingUrl);
    const items = await page.locator(".items .item > a").evaluateAll((l) => l.map((a) => a.href));
    for (let i = 0; i < items.length && !instrument; i++) {
      await follow(page, page.locator(".items .item > a").nth(i));
      if ((await page.locator("#relations dd a").count()) > 0) instrument = page.url();
      else await page.goBack({ waitUntil: "load" });
    }
    if (instrument) break;
  }
  if (!check("a type listing leads to an instrument with relations", instrument !== null)) {
    await page.close();
    return null;
  }
  check("instrument page has its heading", (await page.locator("article.instrument h1").count()) === 1);
  check("instrument page draws its relations", (await page.locator("#relations svg title").count()) > 0);

  // There and back: the related page names this one on its inverse side.
  await follow(page, page.locator("#relations dd a").first());
  const related = page.url();
  check("a relation leads to another instrument", !samePage(related, instrument), related);
  const back = page.locator("#relations dd a");
  const backHrefs = await back.evaluateAll((links) => links.map((a) => a.href));
  const index = backHrefs.findIndex((href) => samePage(href, instrument));
  if (check("the related instrument links back", index >= 0, `${related} → ${instrument}`)) {
    await follow(page, back.nth(index));
    check("the inverse relation returns to the instrument", samePage(page.url(), instrument));
  }
  await page.goBack({ waitUntil: "load" });
  check("the browser's back button returns to the related page", samePage(page.url(), related));

  TEMPLATES.instrument = new URL(instrument).pathname.slice(new URL(site).pathname.length);
  TEMPLATES.listing = new URL(listing[0]).pathname.slice(new URL(site).pathname.length);
  await page.close();
  return instrument;
}

// Whether the server answers searches itself (`folio serve`) or is a
// plain static host, where only the browser's fallback can search.
async function hasSearchApi(context) {
  const response = await context.request.get(url("api/search?q=Kyoto"));
  return response.ok() && (response.headers()["content-type"] || "").includes("json");
}

// The header's search box → the results page → a hit; then the search
// page's own box, results as you type.
async function search(context, api) {
  const page = await openPage(context, "search");
  await go(page, "");
  await page.locator("#site-search-q").fill("Kyoto");
  await Promise.all([page.waitForNavigation(), page.locator("#site-search-q").press("Enter")]);
  const there = new URL(page.url());
  check("the header's search box opens the search page", there.pathname.endsWith("/search/"));
  check("the query travels in the address", there.searchParams.get("q") === "Kyoto");

  const hits = page.locator("#results .results-list a.result-title");
  await hits.first().waitFor();
  check("searching Kyoto finds entries", (await hits.count()) > 0);
  if (api) {
    const filters = page.locator(".search-facets input");
    await filters.first().waitFor().catch(() => {});
    check("the search page offers filters", (await filters.count()) > 0);
  }
  const first = await hits.first().textContent();
  await follow(page, hits.first());
  check("a hit opens an instrument", new URL(page.url()).pathname.includes("/instruments/"));
  check("the hit's page mentions Kyoto", (await page.locator("main").textContent()).includes("Kyoto"), first);

  // Results as the reader types, without submitting.
  await go(page, "search/");
  await page.locator("#q").pressSequentially("Kyoto", { delay: 30 });
  await hits.first().waitFor();
  check("results appear while typing", (await hits.count()) > 0);
  await page.close();
}

// From the home page to the Russian one and back, by the switcher.
async function languages(context) {
  const page = await openPage(context, "languages");
  await go(page, "");
  await follow(page, page.locator(".languages a[hreflang='ru']"));
  check("the switcher leads to /ru/", new URL(page.url()).pathname.endsWith("/ru/"), page.url());
  check("the Russian page says it is Russian", (await page.getAttribute("html", "lang")) === "ru");
  await follow(page, page.locator(".languages a[hreflang='en']"));
  check("the switcher leads back", samePage(page.url(), url("")), page.url());
  check("the English page says it is English", (await page.getAttribute("html", "lang")) === "en");
  await page.close();
}

// Print media: no navigation, and web links printed after their text.
async function print(context) {
  const page = await openPage(context, "print");
  await go(page, TEMPLATES.instrument);
  await page.emulateMedia({ media: "print" });
  for (const selector of ["#site-nav", ".site-search", ".languages", ".contents"]) {
    check(`print hides ${selector}`, !(await page.locator(selector).first().isVisible()));
  }
  const printed = await page.evaluate(() => {
    const link = document.querySelector(".metadata a[href^='http'], .body a[href^='http']");
    return link ? [link.href, getComputedStyle(link, "::after").content] : null;
  });
  check("print shows where a web link leads", printed && printed[1].includes(printed[0]), String(printed));
  check("print keeps the relations picture", await page.locator("#relations svg").isVisible());
  await page.emulateMedia({ media: "screen" });
  await page.close();
}

// --- keyboard -------------------------------------------------------------

// Tab from the top: the skip link first, then every link, field and button
// of the header, each with a visible focus outline.
async function keyboard(context) {
  const page = await openPage(context, "keyboard");
  await go(page, "");
  const wanted = await page.$$eval("#site-header a[href], #site-header button, #site-header input",
    (elements) => elements.length);
  const reached = [];
  for (let i = 0; i < wanted + 2; i++) {
    await page.keyboard.press("Tab");
    const focused = await page.evaluate(() => {
      const el = document.activeElement;
      const style = getComputedStyle(el);
      return {
        skip: el.classList.contains("skip"),
        inHeader: Boolean(el.closest("#site-header")),
        name: `${el.tagName.toLowerCase()} ${(el.textContent || el.name || "").trim()}`,
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        onScreen: el.getBoundingClientRect().left >= 0,
      };
    });
    if (i === 0) {
      check("Tab reaches the skip link first", focused.skip, focused.name);
      check("the focused skip link is on screen", focused.onScreen);
      continue;
    }
    if (!focused.inHeader) break;
    reached.push(focused.name);
    check(`focus is visible on ${focused.name}`, focused.outline);
  }
  check("Tab reaches every link and button of the header", reached.length === wanted,
    `${reached.length} of ${wanted}`);

  await go(page, "");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  check("the skip link moves to the content", new URL(page.url()).hash === "#main", page.url());
  await page.close();
}

// Every link, button and field a page shows is reached by Tab, in the
// links of the pictures too, and shows where the focus is: an outline, or
// on a picture's link a stroke that only the focus gives its shape.
async function everyActionByKeyboard(context) {
  const pages = [["home", ""], ["instrument", MOST_RELATED], ["search", TEMPLATES.search],
    ["years", TEMPLATES.years]];
  for (const [name, path] of pages) {
    const page = await openPage(context, `keyboard ${name}`);
    await go(page, path);
    // The search page's script redraws the results and adds the filters
    // after the load; the count waits for it to settle.
    if (name === "search") {
      await page.locator(".search-facets input").first().waitFor();
      await page.waitForLoadState("networkidle");
    }
    const wanted = await page.evaluate(() => {
      const actions = "a[href], button, input:not([type=hidden]), select, textarea, summary";
      const shown = [...document.querySelectorAll(actions)].filter((el) =>
        !el.disabled && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
      shown.forEach((el, i) => el.setAttribute("data-action", String(i)));
      return shown.length;
    });
    const reached = new Set();
    const unmarked = [];
    const unseen = [];
    for (let i = 0; i < wanted + 5; i++) {
      await page.keyboard.press("Tab");
      const focused = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        let shown;
        if (el instanceof SVGElement) {
          const shape = el.querySelector("rect") || el;
          const stroke = () => `${getComputedStyle(shape).stroke} ${getComputedStyle(shape).strokeWidth}`;
          const focusedStroke = stroke();
          el.blur();
          shown = stroke() !== focusedStroke;
          el.focus();
        } else {
          const style = getComputedStyle(el);
          shown = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
        }
        return { id: el.getAttribute("data-action"), name: el.outerHTML.slice(0, 80), shown };
      });
      if (!focused || reached.has(focused.id)) break;
      if (focused.id === null) unmarked.push(focused.name);
      reached.add(focused.id);
      if (!focused.shown) unseen.push(focused.name);
    }
    reached.delete(null);
    check(`Tab reaches every action of the ${name} page`, reached.size === wanted,
      `${reached.size} of ${wanted}`);
    check(`Tab stops only at visible actions on the ${name} page`, unmarked.length === 0,
      unmarked.slice(0, 3).join(", "));
    check(`focus is visible on every action of the ${name} page`, unseen.length === 0,
      unseen.slice(0, 3).join(", "));
    await page.close();
  }
}

// --- axe-core -------------------------------------------------------------

// Every template in the given colour scheme and width; serious and
// critical violations fail, the others are counted.
async function accessibility(browser, colorScheme, viewport) {
  const context = await browser.newContext({ colorScheme, viewport });
  for (const [template, path] of Object.entries(TEMPLATES)) {
    const page = await openPage(context, `axe ${colorScheme} ${template}`);
    const status = await go(page, path);
    check(`${template} answers`, status === (template === "not-found" ? 404 : 200), `${status}`);
    if (template.endsWith("search")) {
      await page.locator("#results .results-list").waitFor();
      await page.waitForLoadState("networkidle");
    }
    const overflow = await page.evaluate(() =>
      document.documentElement.scrollWidth - document.documentElement.clientWidth);
    check(`${template} fits ${viewport.width} pixels`, overflow <= 0, `${overflow}px too wide`);
    await page.evaluate(AXE_SOURCE);
    const result = await page.evaluate(() =>
      window.axe.run(document, { resultTypes: ["violations"] }).then((r) =>
        r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }))));
    axeFound.pages += 1;
    for (const violation of result) {
      axeFound[violation.impact] = (axeFound[violation.impact] || 0) + 1;
      const blocking = violation.impact === "serious" || violation.impact === "critical";
      const where = violation.nodes.slice(0, 3).join(", ");
      if (blocking) check(`axe ${colorScheme} ${template}: ${violation.id}`, false, where);
      else if (process.env.FOLIO_AXE_VERBOSE) console.error(`note: ${template} ${violation.id} ${where}`);
    }
    await page.close();
  }
  await context.close();
}

// --- pictures -------------------------------------------------------------

// axe does not read SVG text, so the pictures get their own checks: every
// label is legible against what it is drawn on (WCAG AA, 4.5:1), stays
// inside the picture, and no relation label runs into a box; in English
// and in Russian, whose relation names are longer, and on the instrument
// with the most relations.
async function pictures(browser, colorScheme) {
  const context = await browser.newContext({ colorScheme, viewport: WIDTHS.desktop });
  const paths = [TEMPLATES.years, TEMPLATES.instrument, MOST_RELATED, `ru/${MOST_RELATED}`];
  for (const path of paths) {
    const page = await openPage(context, `pictures ${colorScheme}`);
    await go(page, path);
    const found = await page.evaluate(svgProblems);
    check(`${path} has a picture`, found.texts > 0);
    for (const problem of found.problems.slice(0, 5)) {
      check(`picture ${colorScheme} ${path}`, false, problem);
    }
    await page.close();
  }
  await context.close();
}

// Runs in the page.
function svgProblems() {
  const rgb = (colour) => (colour.match(/[\d.]+/g) || []).slice(0, 3).map(Number);
  const luminance = (colour) => {
    const [r, g, b] = rgb(colour).map((c) => {
      const v = c / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (a, b) => {
    const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
    return (x + 0.05) / (y + 0.05);
  };
  const page = getComputedStyle(document.body).backgroundColor;
  const problems = [];
  const texts = [...document.querySelectorAll("figure svg text")];
  const boxes = [...document.querySelectorAll("figure svg rect.node")].map((r) => r.getBBox());
  for (const text of texts) {
    const frame = text.ownerSVGElement.viewBox.baseVal;
    const box = text.getBBox();
    if (box.x < 0 || box.y < 0 || box.x + box.width > frame.width || box.y + box.height > frame.height) {
      problems.push(`"${text.textContent}" runs out of the picture`);
    }
    const under = text.previousElementSibling;
    const ground = under && under.matches("rect.node") ? getComputedStyle(under).fill : page;
    const ratio = contrast(getComputedStyle(text).fill, ground);
    if (ratio < 4.5) problems.push(`"${text.textContent}" has contrast ${ratio.toFixed(2)}`);
    if (!text.matches(".edge-label")) continue;
    const b = text.getBBox();
    const hit = boxes.some((r) => b.x < r.x + r.width && r.x < b.x + b.width
      && b.y < r.y + r.height && r.y < b.y + b.height);
    if (hit) problems.push(`"${text.textContent}" runs into a box`);
  }
  return { texts: texts.length, problems };
}

// --- JavaScript off -------------------------------------------------------

async function withoutJavaScript(browser, api) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: WIDTHS.desktop });
  const page = await openPage(context, "no-js");
  await go(page, "");
  await follow(page, page.locator(".cards .terms a[href*='types/']").first());
  check("without JavaScript a listing opens", (await page.locator(".items .item").count()) > 0);
  await follow(page, page.locator(".items .item > a").first());
  check("without JavaScript an instrument opens", (await page.locator("article.instrument").count()) === 1);
  await follow(page, page.locator(".languages a[hreflang='ru']"));
  check("without JavaScript the language switches", (await page.getAttribute("html", "lang")) === "ru");
  await go(page, TEMPLATES.years);
  check("without JavaScript the timeline is drawn", await page.locator("svg.timeline-chart").isVisible());
  await go(page, MOST_RELATED);
  check("without JavaScript the relations are drawn", await page.locator("svg.relations-chart").isVisible());

  await page.locator("#site-search-q").fill("Kyoto");
  await Promise.all([page.waitForNavigation(), page.locator("#site-search-q").press("Enter")]);
  const there = new URL(page.url());
  check("without JavaScript the search form submits",
    there.pathname.endsWith("/search/") && there.searchParams.get("q") === "Kyoto", page.url());
  if (api) {
    const hits = page.locator("#results .results-list a.result-title");
    check("without JavaScript the server writes the results", (await hits.count()) > 0);
    await follow(page, hits.first());
    check("without JavaScript a hit opens", new URL(page.url()).pathname.includes("/instruments/"));
  }
  await context.close();
}

// --- screenshots ----------------------------------------------------------

async function screenshots(browser, folder) {
  mkdirSync(folder, { recursive: true });
  for (const colorScheme of ["light", "dark"]) {
    for (const [width, viewport] of Object.entries(WIDTHS)) {
      const context = await browser.newContext({ colorScheme, viewport });
      for (const [name, path, ready] of SCREENSHOTS) {
        const page = await openPage(context, `screenshot ${name}`);
        await go(page, path);
        await page.locator(ready).first().waitFor();
        await page.waitForLoadState("networkidle");
        const overflow = await page.evaluate(() =>
          document.documentElement.scrollWidth - document.documentElement.clientWidth);
        check(`${name} fits the ${width} width`, overflow <= 0, `${overflow}px too wide`);
        const file = join(folder, `${name}-${width}-${colorScheme}.png`);
        const height = Math.min(SHOT_MAX_HEIGHT,
          await page.evaluate(() => document.documentElement.scrollHeight));
        await page.screenshot({ path: file, fullPage: true, clip: { x: 0, y: 0, ...viewport, height } });
        shots.push(file);
        await page.close();
      }
      await context.close();
    }
  }
}

// --- main -----------------------------------------------------------------

async function main() {
  const [address, folder] = process.argv.slice(2);
  if (!address || !folder) {
    console.error("usage: node e2e.mjs URL SCREENSHOTS_DIR");
    process.exit(2);
  }
  site = address.endsWith("/") ? address : `${address}/`;
  const started = Date.now();
  const watchdog = setTimeout(() => {
    console.log(JSON.stringify({ ok: false, failures: [`gave up after ${DEADLINE_MS} ms`] }));
    process.exit(1);
  }, DEADLINE_MS);

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
  });
  try {
    const context = await browser.newContext({ viewport: WIDTHS.desktop });
    const api = await hasSearchApi(context);
    await part("walk", () => walk(context));
    await part("search", () => search(context, api));
    await part("languages", () => languages(context));
    await part("print", () => print(context));
    await part("keyboard", () => keyboard(context));
    await part("every action by keyboard", () => everyActionByKeyboard(context));
    await context.close();
    await part("axe light", () => accessibility(browser, "light", WIDTHS.desktop));
    await part("axe dark", () => accessibility(browser, "dark", WIDTHS.phone));
    await part("pictures light", () => pictures(browser, "light"));
    await part("pictures dark", () => pictures(browser, "dark"));
    await part("no JavaScript", () => withoutJavaScript(browser, api));
    await part("screenshots", () => screenshots(browser, resolve(folder)));
    check("no console errors", consoleErrors.length === 0, consoleErrors.slice(0, 5).join(" | "));

    const summary = {
      ok: failures.length === 0,
      site,
      search_api: api,
      checks: checks.length,
      failures,
      pages_visited: visited.size,
      console_errors: consoleErrors.length,
      axe: axeFound,
      screenshots: shots.length,
      screenshots_dir: resolve(folder),
      ms: Date.now() - started,
    };
    console.log(JSON.stringify(summary));
    process.exitCode = summary.ok ? 0 : 1;
  } finally {
    clearTimeout(watchdog);
    await browser.close();
  }
}

main().catch((error) => {
  console.log(JSON.stringify({ ok: false, failures: [String(error.stack || error)] }));
  process.exit(1);
});
