// Shared by the end-to-end scripts: settings, a step runner that counts, polling, the page
// watcher (no external requests, no ID numbers in URLs, no page or console errors), the browser
// launch with the flags this machine needs, and the closing "e2e: N passed, M failed" line.
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const baseUrl = (process.env.E2E_BASE_URL ?? "http://127.0.0.1:3000").replace(/\/+$/, "");
export const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const password = process.env.E2E_PASSWORD ?? "Gongzhi@2026";
export const shotDir = path.resolve(process.cwd(), "screenshots");
export const timeout = 20_000;
export const desktop = { width: 1366, height: 800 };
export const phone = { width: 390, height: 844 };

const counts = { passed: 0, failed: 0 };

export async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    counts.passed++;
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (e) {
    counts.failed++;
    console.error(`  ✗ ${name}\n    ${String(e instanceof Error ? e.message : e).split("\n").join("\n    ")}`);
  }
}

export function assert(condition, message) {
  if (!condition) throw new Error(message);
}

/** Poll until `probe()` returns a truthy value, or fail with `message`. */
export async function waitUntil(probe, message, ms = timeout) {
  const deadline = Date.now() + ms;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${message} (waited ${ms} ms)`);
}

/** Every request must stay on the app's own origin (no CDN, fonts or tile server) and carry no ID number in its URL. */
export function watchPage(page, problems) {
  const origin = new URL(baseUrl).origin;
  page.on("request", (req) => {
    const url = req.url();
    if (url.startsWith("data:") || url.startsWith("blob:")) return;
    const u = new URL(url);
    if (u.origin !== origin) problems.push(`external request: ${url}`);
    if (/\d{17}[\dXx]/.test(decodeURIComponent(u.search + u.pathname))) problems.push(`an ID number in a URL: ${url}`);
  });
  page.on("pageerror", (err) => problems.push(`page error: ${err.message}`));
  page.on("console", (msg) => {
    // 4xx answers (a 401 from /api/auth/me on the login page) are logged by Chromium as failed loads.
    if (msg.type() === "error" && !/Failed to load resource/.test(msg.text())) problems.push(`console error: ${msg.text()}`);
  });
}

/** Fills and submits the login form. */
export async function submitLogin(page, username) {
  await page.goto(`${baseUrl}/login`, { waitUntil: "domcontentloaded" });
  await page.locator("input#username").waitFor({ timeout });
  await page.locator("input#username").fill(username);
  await page.locator("input#password").fill(password);
  await page.locator("button[type=submit]").click();
}

/** A JSON API call from a signed-in page (its session cookie), with the session's CSRF token. */
export async function apiFrom(page, method, url, body) {
  return page.evaluate(
    async ({ method, url, body }) => {
      const me = await (await fetch("/api/auth/me")).json();
      const res = await fetch(url, { method, headers: { "content-type": "application/json", "x-csrf-token": me.csrfToken }, body: body === undefined ? undefined : JSON.stringify(body) });
      return { status: res.status, json: await res.json() };
    },
    { method, url, body },
  );
}

/**
 * A new browser context signed in as `username` (zh-CN; a touch phone with `mobile`), watched for
 * problems; `options` adds context options (e.g. a device time zone).
 */
export async function signedIn(browser, username, viewport, problems, mobile = false, options = {}) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN", ...(mobile ? { isMobile: true, hasTouch: true } : {}), ...options });
  const page = await ctx.newPage();
  page.setDefaultTimeout(timeout);
  watchPage(page, problems);
  await submitLogin(page, username);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout });
  return { ctx, page };
}

/**
 * Picks a point inside a grid on the report form's map (fitted to the worker's grid): its middle,
 * or one of a few points near it, until the form says the point lies in a grid.
 */
export async function pickPointInGrid(form) {
  const map = form.locator("[data-testid=case-point-map]");
  await map.waitFor();
  await waitUntil(async () => (await map.locator("path.leaflet-interactive, svg path").count()) > 0, "the grid is not drawn on the map");
  const box = await map.boundingBox();
  assert(box, "the map has no box");
  // The map is fitted to the worker's grid: its middle is inside, or a point near it.
  let inside = false;
  for (const [fx, fy] of [[0.5, 0.5], [0.45, 0.55], [0.55, 0.45], [0.4, 0.4], [0.6, 0.6]]) {
    await map.click({ position: { x: box.width * fx, y: box.height * fy } });
    inside = await waitUntil(async () => {
      const text = (await form.locator("[data-testid=case-point-grid]").textContent()) ?? "";
      return text.includes("位于") ? "in" : text.includes("不在") ? "out" : false;
    }, "the picked point is neither in nor outside a grid").then((r) => r === "in");
    if (inside) break;
  }
  assert(inside, "no point picked on the map lies in a grid");
}

/** Waits until no antd or antd-mobile spinner or skeleton is showing. */
export async function settled(page) {
  await waitUntil(async () => (await page.locator(".ant-spin-spinning, .ant-skeleton, .adm-skeleton").count()) === 0, "the page is still loading");
}

/** Checks Chromium and the server are there, then launches Chromium headless with this machine's flags. */
export async function launch() {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`Chromium not found at ${executablePath}; install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  try {
    const res = await fetch(`${baseUrl}/api/health`);
    assert(res.ok, `GET /api/health answered ${res.status}`);
  } catch (e) {
    throw new Error(`the server at ${baseUrl} is not answering (${e instanceof Error ? e.message : e}); start it or set E2E_BASE_URL`);
  }
  fs.mkdirSync(shotDir, { recursive: true });
  const browser = await chromium.launch({
    executablePath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  // Every context asks for reduced motion, which the console honours (AntdShell): a dialog or
  // drawer is gone when its action is done, not when its closing animation reports its end. A
  // step that waited for a confirm dialog to detach once hung there for 20 s on a loaded machine.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => newContext({ reducedMotion: "reduce", ...options });
  return browser;
}

/** Runs a script's main, prints the closing count line and exits with its verdict. */
export async function run(main) {
  try {
    await main();
  } catch (e) {
    counts.failed++;
    console.error(`e2e: ${e instanceof Error ? e.message : e}`);
  }
  console.log(`e2e: ${counts.passed} passed, ${counts.failed} failed`);
  process.exit(counts.failed === 0 ? 0 : 1);
}
