// End-to-end: 网格力量 — the grid page shows the grid's staff by post; a community worker appoints
// a part-time grid worker known only by name; the grid worker's 我的网格 lists the same staff.
// Changes the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/staff.e2e.mjs
import path from "node:path";
import { assert, baseUrl, desktop, launch, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (grid staff) against ${baseUrl}`);
    const desk = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await desk.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);
    await submitLogin(page, "communityworker");
    await page.waitForURL(/\/console(\/|$)/, { timeout });
    // A grid in force of the worker's community (another script may have split the first one).
    const grid = await page.evaluate(async () => {
      const roots = await (await fetch("/api/areas/roots")).json();
      const community = roots.items.find((a) => a.level === "community");
      const detail = await (await fetch(`/api/areas/${community.id}`)).json();
      return detail.children[detail.children.length - 1];
    });
    const newName = "何雨桐";

    await step("the grid page shows the grid's staff by post; a part-time worker is appointed by name", async () => {
      await page.goto(`${baseUrl}/console/grids/${grid.id}`);
      const card = page.locator("[data-testid=grid-staff]");
      await card.waitFor();
      await settled(page);
      const text = await card.innerText();
      for (const label of ["网格长", "网格指导员", "专职网格员", "兼职网格员"]) assert(text.includes(label), `the card does not show ${label}: ${text}`);
      assert(/\d{4}-\d{2}-\d{2} 起任职/.test(text), `no start dates on the card: ${text}`);
      await card.locator("[data-testid=staff-appoint]").click();
      // The modal's root element (which carries the test id) has no box of its own; wait for its content.
      const dialog = page.locator(".ant-modal-content").filter({ has: page.locator("[data-testid=staff-role]") });
      await dialog.waitFor();
      await dialog.locator("label:has([data-testid=staff-role-partTime])").click();
      await dialog.getByText("仅填姓名").click();
      await dialog.locator("[data-testid=staff-name]").fill(newName);
      await page.screenshot({ path: path.join(shotDir, "grid-staff-appoint-desktop.png") });
      await page.locator("[data-testid=staff-appoint-ok]").click();
      await dialog.waitFor({ state: "hidden" });
      await card.locator("[data-testid=staff-role-row-partTime]").getByText(newName).waitFor();
      await page.screenshot({ path: path.join(shotDir, "grid-staff-desktop.png"), fullPage: false });
      await card.screenshot({ path: path.join(shotDir, "grid-staff-card-desktop.png") });
    });

    await step("the grid page's staff card fits a phone", async () => {
      await page.setViewportSize(phone);
      const card = page.locator("[data-testid=grid-staff]");
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(shotDir, "grid-staff-card-phone.png") });
      const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    });
    await desk.close();

    await step("the grid worker's 我的网格 lists the staff, the worker as 专职网格员", async () => {
      const mobile = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
      const w = await mobile.newPage();
      w.setDefaultTimeout(timeout);
      watchPage(w, problems);
      await submitLogin(w, "gridworker");
      await w.waitForURL(/\/worker(\/|$)/, { timeout });
      const me = await w.evaluate(async () => (await (await fetch("/api/auth/me")).json()).user?.displayName ?? "");
      const section = w.locator("[data-testid=worker-grid-staff]");
      await section.waitFor();
      await waitUntil(async () => (await section.locator("[data-testid=worker-staff-entry]").count()) >= 3, "the worker page lists no staff");
      const text = await section.innerText();
      assert(text.includes("网格长") && text.includes("专职网格员"), `the worker page lacks posts: ${text}`);
      if (me) assert(text.includes(me), `the grid worker ${me} is not listed: ${text}`);
      await section.scrollIntoViewIfNeeded();
      await w.screenshot({ path: path.join(shotDir, "worker-grid-staff-phone.png") });
      await mobile.close();
    });
    await step("no external requests, page errors or ID numbers in URLs", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
