// End-to-end: 代居民反映 on the worker's phone. The grid worker turns on 代居民反映 in 巡查上报,
// finds a resident of their grid by ID number (the demo resident, whose number the worker reads
// through the audited reveal route), sees the name masked (the lookup answers with it masked), adds a landline and submits; the case
// number is shown. Over the API the case is on behalf (source onBehalf), the resident reads it as
// their own, and the worker never gets the phone in clear. A mistyped number and a person outside
// the worker's grid give a message in the form, and nothing is submitted.
// Adds a case to the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/cases-behalf.e2e.mjs
import path from "node:path";
import { apiFrom, assert, baseUrl, desktop, launch, phone, pickPointInGrid, run, shotDir, signedIn, step, timeout, waitUntil } from "./harness.mjs";

/** A call that must answer 200; returns the JSON. */
async function okJson(page, method, url, body) {
  const res = await apiFrom(page, method, url, body);
  assert(res.status === 200, `${method} ${url} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

/** A person's ID number in clear, through the audited reveal (POST: the number never rides in a URL). */
async function revealIdNumber(page, personId) {
  const r = await okJson(page, "POST", `/api/persons/${personId}/reveal`, { field: "idNumber", purpose: "代居民反映演练，核对居民身份" });
  assert(typeof r.value === "string" && /^\d{17}[\dX]$/.test(r.value), `the revealed ID number is not 18 characters: ${JSON.stringify(r.value)}`);
  return r.value;
}

/** The same number with a wrong check digit: what a mistyped digit looks like. */
function mistyped(idNumber) {
  const digits = "0123456789X";
  return idNumber.slice(0, 17) + digits[(digits.indexOf(idNumber[17]) + 1) % digits.length];
}

/** 王建国 → 王** (as the server masks names). */
const masked = (name) => [...name][0] + "*".repeat([...name].length - 1);

/** The landline a neighbour lends the resident: kept for the handlers, never in clear for the worker. */
const landline = "028-85123456";
const landlineDigits = /85123456/;

/** Category, description and a point inside the worker's grid on the report form. */
async function fillReport(page, form, { top, sub, description }) {
  await form.locator("[data-testid=case-top-category]").getByText(top.name, { exact: true }).click();
  await form.locator("[data-testid=case-sub-category]").getByText(sub.name, { exact: true }).click();
  await form.locator("[data-testid=case-description] textarea").fill(description);
  await pickPointInGrid(form);
}

/** The on-behalf part of the form: its ID number box, 查找 button and the line under them. */
function behalfPart(page, form) {
  const card = form.locator(".adm-card").filter({ has: page.locator("[data-testid=case-on-behalf]") });
  const item = card.locator(".adm-form-item").filter({ hasText: "身份证号" });
  return {
    card,
    input: card.locator("[data-testid=case-person-id] input"),
    find: card.locator("[data-testid=case-person-find]"),
    description: item.locator(".adm-list-item-description"),
    phone: card.locator(".adm-form-item").filter({ hasText: "联系电话" }).locator("input"),
  };
}

async function main() {
  const browser = await launch();
  const problems = [];
  const run36 = Date.now().toString(36);
  try {
    console.log(`e2e (report on behalf of a resident) against ${baseUrl}`);

    // The demo resident lives in the grid worker's grid; their own session says who they are.
    const resident = await signedIn(browser, "resident", phone, problems, true);
    const residentMe = (await okJson(resident.page, "GET", "/api/auth/me")).user;
    const ownPerson = (await okJson(resident.page, "GET", "/api/persons?pageSize=1")).items[0];
    assert(ownPerson?.gridId, "the demo resident has no person record in a grid");

    const worker = await signedIn(browser, "gridworker", phone, problems, true);
    const page = worker.page;
    const workerMe = (await okJson(page, "GET", "/api/auth/me")).user;
    const workerGridId = workerMe.grants.find((g) => g.role === "gridWorker")?.areaId;
    assert(workerGridId === ownPerson.gridId, "the demo resident does not live in the grid worker's grid");
    const idNumber = await revealIdNumber(page, ownPerson.id);

    // Every POST /api/cases the worker's page sends, to prove a refused form sends none.
    const casePosts = [];
    page.on("request", (req) => {
      if (req.method() === "POST" && new URL(req.url()).pathname === "/api/cases") casePosts.push(req.url());
    });

    // 暴露垃圾 (a sub-category without extra questions), else the first one without them.
    const tree = await okJson(page, "GET", "/api/case-categories");
    const plain = tree.items.flatMap((t) => t.children.filter((c) => (c.attributes ?? []).length === 0).map((c) => ({ top: t, sub: c })));
    const { top, sub } = plain.find((x) => x.sub.name === "暴露垃圾") ?? plain[0] ?? {};
    assert(sub, "no sub-category without extra questions");
    let caseId = "";
    let caseNo = "";
    const description = `楼下的垃圾桶满了三天没人清运，住一楼的老人说味道很大（e2e ${run36}）`;

    await step("代居民反映 on the phone: found by ID number with the name masked, submitted, the case number shown", async () => {
      await page.goto(`${baseUrl}/worker/tasks/patrol`);
      const form = page.locator("[data-testid=case-report-form]");
      await form.waitFor();
      await fillReport(page, form, { top, sub, description });
      await form.locator("[data-testid=case-on-behalf]").click();
      const part = behalfPart(page, form);
      await part.input.waitFor();
      await part.input.fill(idNumber);
      const lookup = page.waitForResponse((r) => new URL(r.url()).pathname === "/api/cases/reporting-person");
      await part.find.click();
      // The lookup itself carries no clear name: the masked one is all the phone receives.
      const answer = await (await lookup).text();
      assert(!answer.includes(residentMe.displayName), "the lookup's answer holds the resident's name in clear");
      await waitUntil(async () => ((await part.description.textContent()) ?? "").includes("已找到"), "the resident is not found by ID number");
      const found = (await part.description.textContent()) ?? "";
      assert(found.includes(masked(residentMe.displayName)), `the form does not show the masked name ${masked(residentMe.displayName)}: "${found}"`);
      assert(!found.includes(residentMe.displayName), `the form shows the resident's name in clear: "${found}"`);
      await part.phone.fill(landline);
      await page.screenshot({ path: path.join(shotDir, "cases-behalf-found-phone.png"), fullPage: true });

      await form.locator("[data-testid=case-submit]").click();
      await page.waitForURL((u) => /^\/worker\/tasks\/[0-9a-f-]{36}$/.test(u.pathname), { timeout });
      caseId = page.url().split("/").pop();
      const no = page.locator("[data-testid=worker-case] [data-testid=case-no]");
      await no.waitFor();
      caseNo = ((await no.textContent()) ?? "").trim();
      assert(/^GZ\d{14}$/.test(caseNo), `no case number on the case page: ${caseNo}`);
      const text = await page.locator("[data-testid=worker-case]").innerText();
      assert(!landlineDigits.test(text), "the case page shows the resident's phone in clear");
      assert(/\*{3,}3456/.test(text), "the case page does not show the resident's phone masked");
      const source = page.locator("[data-testid=worker-case] .adm-list-item").filter({ hasText: "来源" });
      assert(((await source.innerText()) ?? "").includes("代居民反映"), "the case page does not say the case was reported on behalf of a resident");
      await page.screenshot({ path: path.join(shotDir, "cases-behalf-done-phone.png"), fullPage: true });
      assert(casePosts.length === 1, `${casePosts.length} case submissions were sent, not one`);
    });

    await step("over the API: source onBehalf, the resident's own case, no phone in clear for the worker", async () => {
      assert(caseId, "no case was submitted");
      const seen = await apiFrom(page, "GET", `/api/cases/${caseId}`);
      assert(seen.status === 200, `the worker reads the case: ${seen.status}`);
      const kase = seen.json;
      assert(kase.source === "onBehalf" && kase.caseNo === caseNo && kase.description === description, `the API shows ${JSON.stringify({ source: kase.source, caseNo: kase.caseNo })}`);
      assert(!landlineDigits.test(JSON.stringify(kase)), "the case as the worker reads it holds the phone in clear");
      // The worker handles the case, so the contact is there for them: masked, the number only through the audited reveal.
      // The reporter's name is the registry's, masked for the worker.
      assert(kase.reporter?.name === masked(residentMe.displayName), `the reporter's name is not the resident's, masked: ${JSON.stringify(kase.reporter?.name)}`);
      assert(kase.reporter?.hasPhone === true && /\*{3,}3456$/.test(kase.reporter.phoneMasked ?? ""), `the reporter's phone is not there masked: ${JSON.stringify(kase.reporter)}`);
      // Tied to the person: their login reads it as its reporter, among their own cases.
      const own = await okJson(resident.page, "GET", `/api/cases/${caseId}`);
      assert(own.source === "onBehalf" && own.caseNo === caseNo, `the resident reads ${JSON.stringify({ source: own.source, caseNo: own.caseNo })}`);
      const mine = await okJson(resident.page, "GET", `/api/cases?mine=reported&q=${caseNo}&page=1&pageSize=5`);
      assert(mine.items.some((c) => c.id === caseId), "the case is not among the resident's own cases");
      // The handlers have the phone: the street administrator's reading shows it masked and present.
      const admin = await signedIn(browser, "streetadmin", desktop, problems);
      const handler = await okJson(admin.page, "GET", `/api/cases/${caseId}`);
      assert(handler.reporter?.hasPhone === true, `the phone was not kept for the handlers: ${JSON.stringify(handler.reporter)}`);
      assert(!landlineDigits.test(JSON.stringify(handler)), "the case as the street administrator reads it holds the phone in clear");
      await admin.ctx.close();
    });

    await step("a mistyped or out-of-grid ID number: a message in the form, and nothing is submitted", async () => {
      // A resident of another grid of the community, whose number the community worker reads.
      const office = await signedIn(browser, "communityworker", desktop, problems);
      const others = await okJson(office.page, "GET", "/api/persons?pageSize=200");
      const elsewhere = others.items.find((p) => p.gridId && p.gridId !== workerGridId);
      assert(elsewhere, "no resident of another grid in the community");
      const elsewhereId = await revealIdNumber(office.page, elsewhere.id);
      await office.ctx.close();

      const before = (await okJson(page, "GET", "/api/cases?page=1&pageSize=1")).total;
      const postsBefore = casePosts.length;
      await page.goto(`${baseUrl}/worker/tasks/patrol`);
      const form = page.locator("[data-testid=case-report-form]");
      await form.waitFor();
      await fillReport(page, form, { top, sub, description: `小区门口的垃圾散落一地没人收拾（e2e ${run36}）` });
      await form.locator("[data-testid=case-on-behalf]").click();
      const part = behalfPart(page, form);
      await part.input.waitFor();

      await part.input.fill(mistyped(idNumber));
      await part.find.click();
      await waitUntil(async () => ((await part.card.innerText()) ?? "").includes("校验位"), "a mistyped ID number gives no message in the form");
      assert(!(await part.card.innerText()).includes("提交的内容"), "the lookup's message speaks of a submission that has not happened");
      // All 18 characters of the number are visible in the box on a phone.
      const fits = await part.input.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
      assert(fits, "the ID number box is too narrow for 18 characters on a phone");
      await part.card.locator(".gz-case-error").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shotDir, "cases-behalf-mistyped-phone.png"), fullPage: true });

      await part.input.fill(elsewhereId);
      await part.find.click();
      await waitUntil(async () => ((await part.card.innerText()) ?? "").includes("没有找到"), "a person outside the worker's grid gives no message in the form");
      assert(!((await part.description.textContent()) ?? "").includes("已找到"), "a person outside the worker's grid is shown as found");

      await form.locator("[data-testid=case-submit]").click();
      await waitUntil(async () => ((await part.card.innerText()) ?? "").includes("请先找到要代为反映的居民"), "submitting without a found resident gives no message");
      await part.card.locator(".gz-case-error").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shotDir, "cases-behalf-refused-phone.png"), fullPage: true });
      assert(new URL(page.url()).pathname === "/worker/tasks/patrol", `the form left the page: ${page.url()}`);
      assert(casePosts.length === postsBefore, `the refused form sent ${casePosts.length - postsBefore} case submissions`);
      const after = (await okJson(page, "GET", "/api/cases?page=1&pageSize=1")).total;
      assert(after === before, `the worker's cases went from ${before} to ${after}`);
    });

    await worker.ctx.close();
    await resident.ctx.close();
    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
