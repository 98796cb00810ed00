// End-to-end: the red grid registry in the console — coverage with formulas, the coverage layer and
// topology check on the map, a grid, a person (revealing an ID number with a purpose, finding a
// person by ID number), a household, the party organization tree, and re-running the assignment.
// Plain Node ESM driving Debian's Chromium through playwright-core, against a running server:
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/registry.e2e.mjs
// Screenshots go to screenshots/ (gitignored). Logs in three times (the limit is 20 a minute).
import path from "node:path";
import { assert, baseUrl, desktop, launch, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

async function login(page, username) {
  await submitLogin(page, username);
  await page.waitForURL(/\/console(\/|$)/, { timeout });
}

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
  assert(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
}

/** Every grid gets a coverage colour (green, amber, red, grey) once its figures arrive. */
async function gridsColoured(page) {
  const coverageFills = ["#95de64", "#ffd666", "#ff7875", "#bfbfbf", "#f5f5f5"];
  await waitUntil(async () => {
    const fills = await page.locator("path.leaflet-interactive").evaluateAll((ps) => ps.map((p) => p.getAttribute("fill")));
    return fills.filter((f) => coverageFills.includes(f)).length >= 6;
  }, "the grids are not coloured by coverage");
}

const formulas = {
  grids: "有党组织的网格数 / 网格总数",
  members: "已编入网格的党员数 / 党员总数",
  households: "有红色网格员联系的户数 / 总户数",
};

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (registry) against ${baseUrl}`);

    // --- Community worker, desktop ------------------------------------------------------------
    const desk = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await desk.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);
    await login(page, "communityworker");

    let communityId = "";
    let gridId = "";
    await step("coverage: the report shows each ratio with its formula", async () => {
      await page.getByRole("menuitem", { name: "红色网格" }).click();
      await page.waitForURL(/\/console\/coverage$/);
      const summary = page.locator("[data-testid=coverage-summary]");
      await summary.waitFor();
      const text = await summary.innerText();
      for (const f of Object.values(formulas)) assert(text.includes(f), `the summary does not show the formula "${f}"`);
      assert(/\d+(\.\d)?%/.test(text), "the summary shows no percentage");
      // A community's report lists its grids, each with its three figures.
      const table = page.locator("[data-testid=coverage-table]");
      await waitUntil(async () => (await table.locator("tbody tr.ant-table-row").count()) >= 6, "fewer than 6 grid rows");
      await waitUntil(async () => (await table.locator(".ant-skeleton").count()) === 0, "grid figures did not load");
      const head = await table.locator("thead").innerText();
      assert(head.includes(formulas.households), "the table's header does not carry the household formula");
      await page.locator("[data-testid=grids-without-party]").waitFor();
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-coverage-desktop.png"), fullPage: true });
    });

    await step("map: 覆盖情况 colours the grids and 拓扑检查 reports on the community", async () => {
      await page.getByRole("menuitem", { name: "区域与网格" }).click();
      await page.waitForURL(/\/console\/areas\/[^/]+$/);
      communityId = new URL(page.url()).pathname.split("/").pop();
      await waitUntil(async () => (await page.locator("path.leaflet-interactive").count()) >= 6, "fewer than 6 polygons");
      await page.locator("[data-testid=map-layer-switch]").getByText("覆盖情况").click();
      const legend = page.locator(".gz-map-legend");
      await waitUntil(async () => (await legend.innerText()).includes("未建党组织"), "the coverage legend is not shown");
      await gridsColoured(page);
      await page.locator("[data-testid=topology-switch]").click();
      const summary = page.locator("[data-testid=topology-summary]");
      await summary.waitFor();
      const text = await summary.innerText();
      assert(/网格边界完整|发现|暂未提供/.test(text), `unexpected topology summary "${text}"`);
      console.log(`    topology: ${text.split("\n")[0]}`);
      await page.waitForTimeout(300);
      await page.screenshot({ path: path.join(shotDir, "console-areas-coverage-desktop.png") });
    });

    await step("grid: opened from the area browser, with its party branch, coverage and persons", async () => {
      const res = await page.request.get(`${baseUrl}/api/areas/${communityId}`);
      const body = await res.json();
      const grid = body.children.find((c) => c.level === "grid");
      assert(grid, "the community has no grid");
      gridId = grid.id;
      await page.locator("[data-testid=area-tree]").getByText(grid.name, { exact: true }).click();
      await page.locator("[data-testid=open-grid-page]").click();
      await page.waitForURL(new RegExp(`/console/grids/${gridId}$`));
      await page.locator("[data-testid=grid-page]").waitFor();
      const branch = page.locator("[data-testid=grid-party-branch]");
      await waitUntil(async () => (await branch.innerText()).includes("网格党支部"), "the grid's party branch is not shown");
      const coverage = page.locator("[data-testid=grid-coverage]");
      await waitUntil(async () => (await coverage.innerText()).includes(formulas.households), "the grid's coverage has no formula");
      await waitUntil(async () => (await page.locator("[data-testid=household-table] tbody tr.ant-table-row").count()) > 0, "no households");
      // The community's worker tells the rows apart: building, unit and room in clear, each row its own.
      const places = await page.locator("[data-testid=household-table] tbody tr.ant-table-row td:first-child").allInnerTexts();
      assert(places.every((p) => /栋 .*单元 \d+室$/.test(p.trim())), `the households are not listed by their room: ${places.slice(0, 3).join(" | ")}`);
      assert(new Set(places).size === places.length, `two rows read the same: ${places.join(" | ")}`);
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-grid-desktop.png"), fullPage: true });
    });

    let personUrl = "";
    let maskedId = "";
    let revealed = "";
    await step("person: the ID number is masked, and revealed with a purpose", async () => {
      await page.getByRole("tab", { name: "人员" }).click();
      const table = page.locator("[data-testid=person-table]");
      await waitUntil(async () => (await table.locator("tbody tr.ant-table-row").count()) > 0, "no persons listed");
      // The tag filter narrows the list (独居老人).
      await page.locator("[data-testid=person-tag-filter]").getByText("独居老人").click();
      await waitUntil(
        async () => {
          const tags = await table.locator("tbody tr.ant-table-row").allInnerTexts();
          return tags.length > 0 && tags.every((r) => r.includes("独居老人"));
        },
        "the 独居老人 filter did not apply",
      );
      const listMasked = (await table.locator("tbody tr.ant-table-row").first().innerText()).match(/\d{4}\*+\d{3}[\dX]/)?.[0];
      assert(listMasked, "the list does not show a masked ID number");
      await table.locator("tbody tr.ant-table-row a").first().click();
      await page.waitForURL(/\/console\/persons\/[^/]+$/);
      personUrl = page.url();
      maskedId = (await page.locator("[data-testid=masked-idNumber]").innerText()).trim();
      assert(/^\d{4}\*{10}\d{3}[\dX]$/.test(maskedId), `the ID number is not masked: "${maskedId}"`);
      assert(maskedId === listMasked, "the person page and the list show different masked numbers");

      await page.locator("[data-testid=reveal-idNumber]").click();
      const dialog = page.locator(".ant-modal").filter({ hasText: "查看完整身份证号" });
      await dialog.waitFor();
      // A purpose holding a phone number is refused by the server; its message is shown.
      await dialog.locator("[data-testid=reveal-purpose]").fill("核对 13812345678 的号码");
      await dialog.locator("[data-testid=reveal-submit]").click();
      await waitUntil(async () => (await dialog.innerText()).includes("个人信息"), "the server's message about the purpose is not shown");
      await dialog.locator("[data-testid=reveal-purpose]").fill("入户走访核对身份");
      await dialog.locator("[data-testid=reveal-submit]").click();
      const value = dialog.locator("[data-testid=revealed-value]");
      await value.waitFor();
      revealed = (await value.innerText()).trim();
      assert(/^\d{17}[\dX]$/.test(revealed), `the revealed value is not an 18-character ID number: "${revealed}"`);
      assert(revealed.slice(-4) === maskedId.slice(-4), "the revealed number does not match the masked one");
      const countdown = (await dialog.locator("[data-testid=reveal-countdown]").innerText()).trim();
      assert(/[45]:\d\d 后自动隐藏/.test(countdown), `no countdown: "${countdown}"`);
      // Elsewhere on the page the number stays masked.
      assert((await page.locator("[data-testid=masked-idNumber]").innerText()).trim() === maskedId, "the page no longer shows the masked number");
      await page.screenshot({ path: path.join(shotDir, "console-person-reveal-desktop.png") });
      await dialog.locator("[data-testid=reveal-hide]").click();
      await dialog.waitFor({ state: "hidden" });
      assert((await page.locator("body").innerText()).includes(revealed) === false, "the clear number is still on the page after hiding");
    });

    await step("person search: the header's box finds the person by ID number (the number goes in the body)", async () => {
      await page.goto(`${baseUrl}/console/grids/${gridId}`);
      await page.locator("[data-testid=grid-page]").waitFor();
      const input = page.locator("[data-testid=search-input]");
      const dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)");
      await input.fill("110105194912310021");
      await dropdown.locator("[data-testid=search-nothing]").waitFor();
      await input.fill(revealed);
      await dropdown.locator("[data-testid=search-hit-person]").first().click();
      await page.waitForURL(personUrl);
      assert(!page.url().includes(revealed), "the ID number is in the URL");
    });

    await step("household: address, members, note saved", async () => {
      await page.locator("[data-testid=person-page]").waitFor();
      await page.getByRole("link", { name: "查看住户" }).click();
      await page.waitForURL(/\/console\/households\/[^/]+$/);
      const address = (await page.locator("[data-testid=household-address]").innerText()).trim();
      assert(address.length > 6 && !address.includes("*"), `the household page does not show the full address: "${address}"`);
      const members = page.locator("[data-testid=household-members]");
      await waitUntil(async () => (await members.locator("tbody tr.ant-table-row").count()) > 0, "no members listed");
      await page.locator("[data-testid=household-served]").waitFor();
      const note = `e2e 走访备注 ${Date.now() % 100000}`;
      await page.locator("[data-testid=household-note-input]").fill(note);
      await page.locator("[data-testid=household-note-save]").click();
      await page.getByText("备注已保存").waitFor();
      await page.reload();
      await waitUntil(async () => (await page.locator("[data-testid=household-note-input]").inputValue()) === note, "the note did not stay after reload");
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-household-desktop.png"), fullPage: true });
    });

    await step("organizations: the party organization tree, then with community bodies", async () => {
      await page.getByRole("menuitem", { name: "党组织" }).click();
      await page.waitForURL(/\/console\/organizations$/);
      const tree = page.locator("[data-testid=org-tree]");
      await tree.waitFor();
      await waitUntil(async () => (await tree.innerText()).includes("网格党支部"), "no grid party branch in the tree");
      const text = await tree.innerText();
      assert(text.includes("社区(大)党委"), "no community party committee in the tree");
      assert(/党员 \d+ 名/.test(text), "the tree shows no member counts");
      assert(!text.includes("居委会"), "community bodies shown before asking");
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-organizations-desktop.png"), fullPage: true });
      await page.locator("[data-testid=org-bodies-switch]").click();
      await waitUntil(async () => (await page.locator("[data-testid=org-tree]").innerText()).includes("居委会"), "居委会 not shown with the bodies");
    });

    await step("organizations: 新建组织 offers the kinds the server rules (GET /api/org-kinds), with the parents each may have", async () => {
      await page.locator("[data-testid=org-create-open]").click();
      const dialog = page.getByRole("dialog", { name: "新建组织" });
      await dialog.waitFor();
      await dialog.locator("[data-testid=org-create-kind]").click();
      const options = page.locator(".ant-select-dropdown:visible .ant-select-item-option");
      await waitUntil(async () => (await options.count()) > 5, "the kind list did not load from the server");
      const kinds = await options.allInnerTexts();
      assert(kinds.includes("网格党支部"), `no 网格党支部 among ${kinds.join("、")}`);
      assert(!kinds.includes("职能部门"), "departments offered: they are managed with cases, the server leaves them out");
      await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "网格党支部" }).click();
      // A grid party branch stands under a community party committee: the parent choice appears.
      await dialog.locator("[data-testid=org-create-parent]").waitFor();
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
    });

    // --- The same pages on a phone --------------------------------------------------------------
    await step("phone: coverage, person, grid and organizations fit a 390 px screen", async () => {
      const ctx = await browser.newContext({ viewport: phone, deviceScaleFactor: 2, isMobile: true, hasTouch: true, storageState: await desk.storageState() });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await p.goto(`${baseUrl}/console/coverage`);
      await p.locator("[data-testid=coverage-summary]").waitFor();
      await waitUntil(async () => (await p.locator("[data-testid=coverage-table] .ant-skeleton").count()) === 0, "grid figures did not load");
      await noSidewaysScroll(p);
      await settled(p);
      await p.screenshot({ path: path.join(shotDir, "console-coverage-phone.png"), fullPage: true });
      await p.goto(personUrl);
      await p.locator("[data-testid=masked-idNumber]").waitFor();
      await noSidewaysScroll(p);
      await settled(p);
      await p.screenshot({ path: path.join(shotDir, "console-person-phone.png"), fullPage: true });
      await p.goto(`${baseUrl}/console/grids/${gridId}`);
      await waitUntil(async () => (await p.locator("[data-testid=household-table] tbody tr.ant-table-row").count()) > 0, "no households");
      await noSidewaysScroll(p);
      await settled(p);
      await p.screenshot({ path: path.join(shotDir, "console-grid-phone.png"), fullPage: true });
      await p.goto(`${baseUrl}/console/areas/${communityId}`);
      await waitUntil(async () => (await p.locator("path.leaflet-interactive").count()) >= 6, "fewer than 6 polygons on the phone");
      await p.locator("[data-testid=map-layer-switch]").getByText("覆盖情况").click();
      await waitUntil(async () => (await p.locator(".gz-map-legend").innerText()).includes("未建党组织"), "no coverage legend on the phone");
      await gridsColoured(p);
      await noSidewaysScroll(p);
      await p.screenshot({ path: path.join(shotDir, "console-areas-coverage-phone.png") });
      await p.goto(`${baseUrl}/console/organizations`);
      await p.locator("[data-testid=org-tree]").waitFor();
      await noSidewaysScroll(p);
      await settled(p);
      await p.screenshot({ path: path.join(shotDir, "console-organizations-phone.png"), fullPage: true });
      await ctx.close();
    });
    await desk.close();

    // --- Street administrator: re-run the assignment -----------------------------------------
    await step("assignment: streetadmin runs 重新分配 and sees the summary", async () => {
      const ctx = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await login(p, "streetadmin");
      await p.goto(`${baseUrl}/console/coverage`);
      await p.locator("[data-testid=coverage-summary]").waitFor();
      await waitUntil(async () => (await p.locator("[data-testid=coverage-table] tbody tr.ant-table-row").count()) >= 2, "no community rows");
      await p.locator("[data-testid=assign-run]").click();
      const confirm = p.locator(".ant-modal-confirm");
      await confirm.waitFor();
      assert((await confirm.innerText()).includes("手动指定的住户保持不变"), "the confirmation does not say pinned households stay");
      await confirm.getByRole("button", { name: "重新分配" }).click();
      const result = p.locator("[data-testid=assign-result]");
      await result.waitFor({ timeout: 60_000 });
      const text = await result.innerText();
      for (const label of ["已分配户数", "每人联系户数", "平均距离"]) assert(text.includes(label), `the summary lacks ${label}`);
      const assigned = Number((await p.locator("[data-testid=assign-assigned]").innerText()).replace(/[^\d]/g, ""));
      assert(assigned > 0, "no household was assigned");
      console.log(`    ${text.split("\n").filter(Boolean).slice(0, 16).join(" | ")}`);
      // Coverage is read again after the run.
      await waitUntil(
        async () => (await p.locator("[data-testid=figure-households] .gz-figure-value").innerText()).trim() !== "0%",
        "the coverage did not refresh",
      );
      await settled(p);
      await p.screenshot({ path: path.join(shotDir, "console-assign-desktop.png"), fullPage: true });
      await ctx.close();
    });

    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
