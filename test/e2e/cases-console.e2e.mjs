// End-to-end: the closed loop in the console. A resident reports a problem (API); the community
// worker finds it in 案件办理's 待受理立案 tab, registers it and dispatches it to the grid worker by
// name (UI); the grid worker has it in their queue and bell, receives it and reports the result
// (API); the community worker verifies it, blows the whistle on two departments, one marked 无账号
// (UI), and cannot close while they have not finished; the department with a login reports in and
// finishes (API), the one without is excused with a reason on the case page (UI); the community
// worker closes the case and the timeline shows every step. Screenshots: queue, map, case page, whistle dialog (desktop), queue and case (phone).
// Changes the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/cases-console.e2e.mjs
import path from "node:path";
import { apiFrom, assert, baseUrl, launch, phone, run, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

const desktop = { width: 1280, height: 800 };
const department = "武侯区住房和城乡建设局";
/** The demo gives this department no login: summoned, it can only be excused or recorded for. */
const noLoginDepartment = "武侯区综合行政执法局";

async function signedIn(browser, username, viewport, landing) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await ctx.newPage();
  const problems = [];
  watchPage(page, problems);
  await submitLogin(page, username);
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout });
  if (landing) await page.goto(`${baseUrl}${landing}`, { waitUntil: "domcontentloaded" });
  return { ctx, page, problems };
}

async function statusIs(page, label) {
  await waitUntil(async () => ((await page.locator("[data-testid=case-page] [data-testid=case-status]").first().textContent()) ?? "").includes(label), `the case status is not ${label}`);
}

/** Opens a step's dialog from the action bar (or 更多), fills its text, confirms. */
async function takeStep(page, action, text) {
  const button = page.locator(`[data-testid=case-actions] [data-testid=action-${action}]`);
  if ((await button.count()) === 0) {
    await page.locator("[data-testid=action-more]").click();
    await page.locator(`.ant-dropdown [data-testid=action-${action}]`).click();
  } else await button.click();
  const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=step-dialog]") });
  await dialog.waitFor({ timeout });
  if (text) await dialog.locator("[data-testid=step-text]").fill(text);
  await dialog.locator("[data-testid=step-ok]").click();
  await dialog.waitFor({ state: "detached", timeout });
}

async function timelineActions(page) {
  return page.locator("[data-testid=case-timeline] [data-testid=timeline-action]").allTextContents();
}

async function main() {
  const browser = await launch();
  try {
    const resident = await signedIn(browser, "resident", phone);
    const grid = await signedIn(browser, "gridworker", phone);
    const dept = await signedIn(browser, "deptstaff", desktop);
    const office = await signedIn(browser, "communityworker", desktop, "/console/cases");
    const page = office.page;
    let caseId = "";
    let caseNo = "";

    await step("a resident reports a problem from home (API)", async () => {
      const persons = await apiFrom(resident.page, "GET", "/api/persons?pageSize=1");
      const household = await apiFrom(resident.page, "GET", `/api/households/${persons.json.items[0].householdId}`);
      const res = await apiFrom(resident.page, "POST", "/api/cases", {
        categoryCode: "0101",
        description: "小区南门外的垃圾桶旁堆了好几袋生活垃圾，三天没人清运，气味很大",
        buildingId: household.json.buildingId,
        contactName: "李阿姨",
        contactPhone: "13812345678",
        idempotencyKey: `console-e2e-${Date.now()}`,
      });
      assert(res.status === 201, `POST /api/cases answered ${res.status}: ${JSON.stringify(res.json)}`);
      caseId = res.json.id;
      caseNo = res.json.caseNo;
    });

    await step("the community worker finds it in 案件办理 → 待受理立案 and opens it", async () => {
      await page.locator("[data-testid=cases-page]").waitFor({ timeout });
      const menu = await page.locator(".gz-console-sider .ant-menu-item-selected").textContent();
      assert((menu ?? "").includes("案件办理"), `the menu shows ${menu}`);
      const row = page.locator("[data-testid=case-row]", { hasText: caseNo });
      await row.waitFor({ timeout });
      assert(((await row.textContent()) ?? "").includes("待受理"), "the new case is not shown as 待受理");
      await page.screenshot({ path: path.join(shotDir, "cases-console-queue.png") });
      await row.click();
      await page.waitForURL((u) => u.pathname === `/console/cases/${caseId}`, { timeout });
      await statusIs(page, "待受理");
      const text = (await page.locator("[data-testid=case-description]").textContent()) ?? "";
      assert(text.includes("垃圾"), "the description is not shown");
      const shown = (await page.locator("[data-testid=case-page]").textContent()) ?? "";
      assert(!shown.includes("13812345678"), "the phone is shown in clear before any reveal");
      assert(shown.includes("138****5678") || shown.includes("138"), "the masked phone is not shown");
    });

    await step("查看联系方式 asks for a purpose and shows the phone", async () => {
      await page.locator("[data-testid=reveal-contact]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=contact-reveal-dialog]") });
      await dialog.waitFor({ timeout });
      await dialog.locator("[data-testid=contact-reveal-submit]").click();
      await waitUntil(async () => ((await dialog.locator("[data-testid=contact-phone]").textContent().catch(() => "")) ?? "").includes("13812345678"), "the phone is not revealed");
      await dialog.locator("button", { hasText: "立即隐藏" }).click();
      await dialog.waitFor({ state: "hidden", timeout });
    });

    await step("立案 and 派遣 to the grid worker by name (UI)", async () => {
      await takeStep(page, "register", "情况属实，予以立案");
      await statusIs(page, "已立案");
      const me = await apiFrom(grid.page, "GET", "/api/auth/me");
      const gridName = me.json.user?.displayName;
      assert(typeof gridName === "string" && gridName.length > 0, `no display name in /api/auth/me: ${JSON.stringify(me.json)}`);
      await page.locator("[data-testid=case-actions] [data-testid=action-dispatch]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=step-dialog]") });
      await dialog.waitFor({ timeout });
      await dialog.locator("[data-testid=step-assignee]").click();
      await page.locator(".ant-select-item-option", { hasText: gridName }).first().click();
      await dialog.locator("[data-testid=step-text]").fill("请网格员今天处理");
      await page.screenshot({ path: path.join(shotDir, "cases-console-dispatch-person.png") });
      await dialog.locator("[data-testid=step-ok]").click();
      await dialog.waitFor({ state: "detached", timeout });
      await statusIs(page, "已派遣");
      assert(((await page.locator("[data-testid=case-level]").textContent()) ?? "").includes("网格"), "not dispatched to the grid");
      await waitUntil(async () => ((await page.locator("[data-testid=case-assignee]").textContent().catch(() => "")) ?? "").includes(gridName), "the case page does not name the grid worker");
      const queue = await apiFrom(grid.page, "GET", "/api/cases?mine=handling&status=dispatched&page=1&pageSize=50");
      assert(queue.json.items.some((c) => c.id === caseId), "the named grid worker's queue lacks the case");
      const inbox = await apiFrom(grid.page, "GET", "/api/inbox");
      assert(JSON.stringify(inbox.json).includes(caseNo), "the named grid worker's bell lacks the case");
    });

    await step("the grid worker receives it and reports the result (API)", async () => {
      const received = await apiFrom(grid.page, "POST", `/api/cases/${caseId}/receive`, {});
      assert(received.status === 200, `receive answered ${received.status}: ${JSON.stringify(received.json)}`);
      const fed = await apiFrom(grid.page, "POST", `/api/cases/${caseId}/feedback`, { note: "已联系环卫清运，垃圾已清理干净" });
      assert(fed.status === 200, `feedback answered ${fed.status}: ${JSON.stringify(fed.json)}`);
    });

    await step("the case page shows 待核查 by itself; 核查通过 (UI)", async () => {
      await statusIs(page, "待核查");
      await takeStep(page, "verifyPass", "");
      await statusIs(page, "已核查");
    });

    await step("吹哨 in the dialog summons a department", async () => {
      await page.locator("[data-testid=action-whistle]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=whistle-reason]") });
      await dialog.waitFor({ timeout });
      await dialog.locator("[data-testid=whistle-departments]").click();
      await page.locator(".ant-select-item-option", { hasText: department }).first().click();
      const noLogin = page.locator(".ant-select-item-option", { hasText: noLoginDepartment }).first();
      assert(((await noLogin.textContent()) ?? "").includes("无账号"), "the department without a login is not marked 无账号");
      await noLogin.click();
      await dialog.locator("[data-testid=whistle-reason]").fill("垃圾桶点位设置需住建部门协调，防止再次堆积");
      await dialog.locator(".ant-modal-title").click();
      await waitUntil(async () => (await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").count()) === 0, "the department list stays open");
      await page.screenshot({ path: path.join(shotDir, "cases-console-whistle.png") });
      await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
      await dialog.waitFor({ state: "hidden", timeout });
      await page.locator("[data-testid=case-summons]", { hasText: department }).waitFor({ timeout });
    });

    await step("结案 is blocked while the department has not finished", async () => {
      await page.locator("[data-testid=close-blocked]").waitFor({ timeout });
      assert((await page.locator("[data-testid=action-close]").count()) === 0, "结案 is offered with a department unfinished");
      const refused = await apiFrom(page, "POST", `/api/cases/${caseId}/close`, {});
      assert(refused.status === 409 && refused.json.code === "case_summons_unfinished", `close answered ${refused.status} ${refused.json.code}`);
      await statusIs(page, "已核查");
    });

    await step("the department reports in and finishes (API)", async () => {
      const queue = await apiFrom(dept.page, "GET", `/api/summons?page=1&pageSize=20&caseNo=${encodeURIComponent(caseNo)}`);
      const summons = queue.json.items.find((s) => s.case.id === caseId);
      assert(summons, "the department does not see its summons");
      const inn = await apiFrom(dept.page, "POST", `/api/summons/${summons.id}/report-in`, { note: "已到现场" });
      assert(inn.status === 200, `report-in answered ${inn.status}: ${JSON.stringify(inn.json)}`);
      const done = await apiFrom(dept.page, "POST", `/api/summons/${summons.id}/finish`, { note: "已增设两个垃圾桶并调整清运时间", evidence: [] });
      assert(done.status === 200, `finish answered ${done.status}: ${JSON.stringify(done.json)}`);
    });

    await step("the department without a login is excused with a reason on the case page (UI)", async () => {
      await page.reload({ waitUntil: "domcontentloaded" });
      const row = page.locator("[data-testid=summons-row]", { hasText: noLoginDepartment });
      await row.locator("[data-testid=summons-excuse]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=summons-end-reason-input]") });
      await dialog.waitFor({ timeout });
      await dialog.locator("[data-testid=summons-end-reason-input]").fill("执法局尚无系统账号，已电话协调到场处置");
      await page.screenshot({ path: path.join(shotDir, "cases-console-excuse.png") });
      await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
      await dialog.waitFor({ state: "hidden", timeout });
      await waitUntil(async () => ((await row.textContent()) ?? "").includes("免予报到"), "the summons is not shown as 免予报到");
    });

    await step("结案 succeeds and the timeline shows every step", async () => {
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.locator("[data-testid=case-actions] [data-testid=action-close]").waitFor({ timeout });
      await takeStep(page, "close", "问题已解决，部门已办结");
      await statusIs(page, "已结案");
      const actions = await timelineActions(page);
      for (const a of ["受理登记", "立案", "派遣", "签收", "处置反馈", "核查通过", "吹哨", "部门报到", "部门办结", "免予报到", "结案"].slice(1)) {
        assert(actions.some((x) => x.includes(a)), `the timeline lacks ${a}: ${actions.join(", ")}`);
      }
      await page.screenshot({ path: path.join(shotDir, "cases-console-case.png"), fullPage: true });
    });

    await step("the queue's 全部 tab lists it as 已结案 with the whistle mark", async () => {
      await page.goto(`${baseUrl}/console/cases`, { waitUntil: "domcontentloaded" });
      await page.locator(".ant-tabs-tab", { hasText: "全部" }).click();
      const row = page.locator("[data-testid=case-row]", { hasText: caseNo });
      await row.waitFor({ timeout });
      const text = (await row.textContent()) ?? "";
      assert(text.includes("已结案") && text.includes("吹哨"), `the row reads ${text}`);
    });

    await step("the map of open cases draws grids and opens a case from its dot", async () => {
      // A second open case so the map has a dot.
      const persons = await apiFrom(resident.page, "GET", "/api/persons?pageSize=1");
      const household = await apiFrom(resident.page, "GET", `/api/households/${persons.json.items[0].householdId}`);
      const res = await apiFrom(resident.page, "POST", "/api/cases", { categoryCode: "0104", description: "单元门口贴满了小广告", buildingId: household.json.buildingId });
      assert(res.status === 201, `POST /api/cases answered ${res.status}`);
      await page.locator("[data-testid=open-case-map]").click();
      await page.waitForURL((u) => u.pathname === "/console/cases/map", { timeout });
      await page.locator("[data-testid=case-map] path.gz-case-dot").first().waitFor({ timeout });
      await waitUntil(async () => (await page.locator("[data-testid=case-map] path.leaflet-interactive").count()) > 3, "no grids drawn");
      await page.locator("[data-testid=case-map-grid]").first().waitFor({ timeout });
      await page.screenshot({ path: path.join(shotDir, "cases-console-map.png") });
      await page.locator("[data-testid=case-map] path.gz-case-dot").first().click({ force: true });
      await page.waitForURL((u) => /^\/console\/cases\/[0-9a-f-]{36}$/.test(u.pathname), { timeout });
    });

    await step("on a phone the queue is a list of cards and the case page fits", async () => {
      const small = await signedIn(browser, "communityworker", phone, "/console/cases");
      await small.page.locator("[data-testid=case-row]").first().waitFor({ timeout });
      await small.page.screenshot({ path: path.join(shotDir, "cases-console-phone-queue.png") });
      await small.page.goto(`${baseUrl}/console/cases/${caseId}`, { waitUntil: "domcontentloaded" });
      await statusIs(small.page, "已结案");
      const overflow = await small.page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the case page scrolls sideways by ${overflow}px`);
      await small.page.screenshot({ path: path.join(shotDir, "cases-console-phone-case.png") });
      assert(small.problems.length === 0, small.problems.join("\n"));
      await small.ctx.close();
    });

    await step("no page errors or outside requests", async () => {
      const all = [...office.problems, ...resident.problems, ...grid.problems, ...dept.problems];
      assert(all.length === 0, all.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
