// End-to-end: log in, land on the right face, browse the area tree and the grid map.
// Plain Node ESM driving Debian's Chromium through playwright-core, against a running server:
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/login-map.e2e.mjs
// Screenshots go to screenshots/ (gitignored). Exits non-zero with a message on any failure.
import path from "node:path";
import { assert, baseUrl, desktop, launch, password, phone, run, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

async function login(page, username) {
  await submitLogin(page, username);
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e against ${baseUrl}`);

    // --- Console: community worker, desktop -------------------------------------------------
    const desk = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await desk.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);

    await step("login: wrong password is refused with a clear message", async () => {
      await login(page, "nobody-e2e");
      const alert = page.locator("[data-testid=login-error]");
      await alert.waitFor();
      const text = (await alert.innerText()).trim();
      assert(text.includes("用户名或密码不正确"), `expected the invalid-credentials message, got "${text}"`);
    });

    await step("console: communityworker logs in and lands on the console", async () => {
      await login(page, "communityworker");
      await page.waitForURL(/\/console(\/|$)/, { timeout });
      await page.getByText("社区工作者").first().waitFor();
      await page.getByRole("button", { name: /退出登录/ }).waitFor();
    });

    let rootId = "";
    let gridNames = [];
    await step("console: area browser draws at least 6 grid polygons", async () => {
      await page.getByRole("menuitem", { name: "区域与网格" }).click();
      await page.waitForURL(/\/console\/areas\/[^/]+$/, { timeout });
      rootId = new URL(page.url()).pathname.split("/").pop();
      const count = await waitUntil(async () => {
        const n = await page.locator("path.leaflet-interactive").count();
        return n >= 6 ? n : 0;
      }, "fewer than 6 interactive polygons on the map");
      console.log(`    ${count} polygons drawn`);
    });

    await step("console: a grid name is visible in the tree", async () => {
      const res = await page.request.get(`${baseUrl}/api/areas/${rootId}`);
      assert(res.ok(), `GET /api/areas/${rootId} answered ${res.status()}`);
      const body = await res.json();
      gridNames = body.children.filter((c) => c.level === "grid").map((c) => c.name);
      assert(gridNames.length > 0, `area ${body.area.name} has no grids below it`);
      await page.locator("[data-testid=area-tree]").getByText(gridNames[0], { exact: true }).waitFor({ state: "visible" });
    });

    await step("console: clicking a grid on the map selects it", async () => {
      const before = page.url();
      const box = await page.locator("[data-testid=area-map]").boundingBox();
      assert(box, "the map has no box");
      // Grids tile their community, so a point near the map's centre falls in one of them.
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await waitUntil(async () => page.url() !== before, "the URL did not change after clicking the map");
      const details = page.locator("[data-testid=area-details]");
      await waitUntil(async () => (await details.innerText()).includes("网格类型"), "the details card does not show a grid");
      const title = (await details.locator(".ant-card-head-title").innerText()).trim();
      assert(gridNames.some((n) => title.includes(n)), `selected "${title}" is not one of the community's grids`);
    });

    await step("console: desktop screenshot", async () => {
      await page.goto(`${baseUrl}/console/areas/${rootId}`);
      await waitUntil(async () => (await page.locator("path.leaflet-interactive").count()) >= 6, "map did not redraw");
      await page.locator(".gz-map-label").first().waitFor();
      await page.screenshot({ path: path.join(shotDir, "console-areas-desktop.png") });
    });

    // --- Console on a phone-sized screen ------------------------------------------------------
    await step("console: area browser works on a phone-sized screen", async () => {
      const ctx = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await desk.storageState() });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await p.goto(`${baseUrl}/console/areas/${rootId}`);
      await waitUntil(async () => (await p.locator("path.leaflet-interactive").count()) >= 6, "fewer than 6 polygons on the phone");
      await p.locator("[data-testid=area-tree]").getByText(gridNames[0], { exact: true }).waitFor();
      const overflow = await p.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
      await p.screenshot({ path: path.join(shotDir, "console-areas-phone.png"), fullPage: true });
      // The side menu becomes a drawer behind the header's menu button.
      await p.getByRole("button", { name: "打开菜单" }).click();
      await p.getByRole("menuitem", { name: "工作台" }).click();
      await p.waitForURL(/\/console$/, { timeout });
      await ctx.close();
    });

    await step("console: logout returns to the login page", async () => {
      await page.getByRole("button", { name: /退出登录/ }).click();
      await page.waitForURL(/\/login$/, { timeout });
      await page.goto(`${baseUrl}/console`);
      await page.waitForURL(/\/login$/, { timeout });
    });

    await step("console: an expired session sends the person to /login and back after login", async () => {
      await login(page, "communityworker");
      await page.waitForURL(/\/console(\/|$)/, { timeout });
      const target = `${baseUrl}/console/areas/${rootId}`;
      await page.goto(target);
      await page.locator("[data-testid=area-tree]").getByText(gridNames[0], { exact: true }).waitFor();
      await desk.clearCookies();
      // Opening a grid not yet loaded makes an API call, which now answers 401.
      await page.locator("[data-testid=area-tree]").getByText(gridNames[gridNames.length - 1], { exact: true }).click();
      await page.waitForURL(/\/login$/, { timeout });
      await page.locator("input#username").fill("communityworker");
      await page.locator("input#password").fill(password);
      await page.locator("button[type=submit]").click();
      await page.waitForURL(/\/console\/areas\/[^/]+$/, { timeout });
    });
    await desk.close();

    // --- Resident, phone -----------------------------------------------------------------------
    await step("resident: logs in and sees the resident home", async () => {
      const ctx = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await login(p, "resident");
      await p.waitForURL(/\/resident(\/|$)/, { timeout });
      const home = p.locator("[data-testid=resident-home]");
      await home.waitFor();
      const text = await home.innerText();
      assert(text.includes("我要反映"), "the resident home does not offer 我要反映");
      assert(text.includes("即将推出"), "placeholders are not marked 即将推出");
      assert(/社区/.test(text), "the resident home does not name the community");
      await waitUntil(async () => !(await home.innerText()).includes("我的社区\n社区\n—"), "the community did not load");
      await p.waitForTimeout(300);
      await p.screenshot({ path: path.join(shotDir, "resident-home-phone.png") });
      await p.getByText("我要反映").last().click();
      await p.locator("[data-testid=resident-report]").waitFor();
      await ctx.close();
    });

    // --- Grid worker, phone --------------------------------------------------------------------
    await step("worker: logs in and sees the grid map and its households", async () => {
      const ctx = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await login(p, "gridworker");
      await p.waitForURL(/\/worker(\/|$)/, { timeout });
      await p.locator("[data-testid=worker-grid]").waitFor();
      await waitUntil(async () => (await p.locator("path.leaflet-interactive").count()) >= 1, "the worker's grid is not on the map");
      await waitUntil(async () => (await p.locator("[data-testid=household-list] .adm-list-item").count()) > 0, "no households listed");
      await p.screenshot({ path: path.join(shotDir, "worker-grid-phone.png") });
      await ctx.close();
    });

    await step("no external requests, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
