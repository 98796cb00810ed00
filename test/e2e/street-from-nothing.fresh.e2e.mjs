// End-to-end: a street office adopts Gongzhi from a clean install (its own server, empty database,
// no demo). The operator reads the one-time code in the server's log; on the first-run page they
// create the system administrator, pick 四川省 → 成都市 → 武侯区 → a street from the official
// division codes and keep two of its communities; the administrator logs in, imports the two
// communities' boundaries and one community's grids from GeoJSON (a boundary outside the street's
// neighbour is refused, nothing written), creates a community worker with a role on that community,
// and the worker logs in and lands on their home with to-dos. Then the loop runs on the new street:
// a department is registered at the district with no login; the worker registers a building and
// a household; a resident signs up (SMS code from the log), is checked against the registry and
// reports a problem; the worker dispatches it to the named grid worker, summons the department,
// excuses it with a reason (it has no login and never could report in), and after the grid worker's
// feedback and the worker's check the case closes. The first-run page is gone after.
// The registry, the case steps and the sign-up go through the API from signed-in pages: the pages
// of each are covered by their own e2e files on the demo street.
//   (run through scripts/e2e.mjs, which starts the server and sets E2E_SERVER_LOG)
import fs from "node:fs";
import path from "node:path";
import { apiFrom, assert, baseUrl, desktop, launch, run, settled, shotDir, step, timeout, waitUntil, watchPage } from "./harness.mjs";

const serverLog = process.env.E2E_SERVER_LOG;
const adminPassword = "Jiedao@2026start";
const workerPassword = "Sheqn@2026work";
const gridPassword = "Wangge@2026work";
const residentPassword = "Jumin@2026home";

/** The setup code the server printed at start (an operator reads it on the console). */
async function setupCodeFromLog() {
  assert(serverLog, "E2E_SERVER_LOG is not set (run through scripts/e2e.mjs)");
  return waitUntil(() => {
    const m = /enter the one-time code\s+(\S+)/.exec(fs.readFileSync(serverLog, "utf8"));
    return m ? m[1] : false;
  }, "no setup code in the server's log");
}

/** Picks an option of an antd Select by typing part of its label. */
async function choose(page, testId, text) {
  const select = page.getByTestId(testId);
  await waitUntil(async () => !(await select.locator(".ant-select-disabled").count()) && !(await select.evaluate((el) => el.classList.contains("ant-select-disabled"))), `${testId} stays disabled`);
  await select.click();
  await page.keyboard.type(text);
  const option = page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: text }).first();
  await option.waitFor();
  await option.click();
}

const square = (x0, y0, x1, y1) => ({ type: "Polygon", coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] });

async function uploadGeoJson(page, url, collection) {
  return page.evaluate(
    async ({ url, text }) => {
      const me = await (await fetch("/api/auth/me")).json();
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/geo+json", "x-csrf-token": me.csrfToken }, body: text });
      return { status: res.status, json: await res.json() };
    },
    { url, text: JSON.stringify(collection) },
  );
}

/** Passwords changed on 设置新密码, by username. */
const changed = new Map();

/** Logs in; a password an administrator chose is replaced first on 设置新密码, as the page asks. */
async function login(page, username, given) {
  const pw = changed.get(username) ?? given;
  await page.goto(`${baseUrl}/login`, { waitUntil: "domcontentloaded" });
  await page.locator("input#username").waitFor({ timeout });
  await page.locator("input#username").fill(username);
  await page.locator("input#password").fill(pw);
  await page.locator("button[type=submit]").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout });
  if (new URL(page.url()).pathname === "/change-password") {
    await page.getByTestId("password-current").fill(pw);
    await page.getByTestId("password-new").fill(`${pw}!`);
    await page.getByTestId("password-confirm").fill(`${pw}!`);
    await page.getByTestId("password-submit").click();
    await page.waitForURL((u) => u.pathname !== "/change-password", { timeout });
    changed.set(username, `${pw}!`);
  }
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (a street from nothing) against ${baseUrl}`);
    const ctx = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await ctx.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);

    await step("with no administrator, setup is pending and the page asks for the code from the server's log", async () => {
      const state = await (await fetch(`${baseUrl}/api/setup`)).json();
      assert(state.needed === true, `setup is not pending: ${JSON.stringify(state)}`);
      await page.goto(`${baseUrl}/setup`, { waitUntil: "domcontentloaded" });
      await page.getByTestId("setup-code").waitFor();
      await page.getByTestId("setup-code").fill("AAAA-BBBB-CCCC");
      await page.getByTestId("setup-code-next").click();
      // A wrong code is refused under the field.
      await page.locator(".ant-form-item-explain-error").waitFor();
      await page.getByTestId("setup-code").fill(await setupCodeFromLog());
      await page.getByTestId("setup-code-next").click();
      await page.getByTestId("setup-username").waitFor();
    });

    await step("the system administrator is entered", async () => {
      await page.getByTestId("setup-username").fill("jiedao_admin");
      await page.getByTestId("setup-display-name").fill("王建国");
      await page.getByTestId("setup-password").fill(adminPassword);
      await page.getByTestId("setup-confirm").fill(adminPassword);
      await page.getByTestId("setup-admin-next").click();
      await page.getByTestId("setup-province").waitFor();
    });

    let streetName = "";
    await step("province → city → district → street from the official division codes", async () => {
      await choose(page, "setup-province", "四川省");
      await choose(page, "setup-city", "成都市");
      await choose(page, "setup-district", "武侯区");
      await choose(page, "setup-street", "玉林街道");
      streetName = "玉林街道";
      await page.screenshot({ path: path.join(shotDir, "fresh-setup-street-desktop.png") });
      await page.getByTestId("setup-street-next").click();
      await page.getByTestId("setup-communities").waitFor();
    });

    let communities = [];
    await step("two of its communities are kept, one renamed, and setup finishes", async () => {
      const table = page.getByTestId("setup-communities");
      await waitUntil(async () => (await table.locator(".ant-table-row").count()) >= 3, "the street's communities are not listed");
      const rows = table.locator(".ant-table-row");
      const n = await rows.count();
      for (let i = 2; i < n; i++) await rows.nth(i).locator("input[type=checkbox]").uncheck();
      const first = rows.nth(0).locator("input[type=text], input:not([type])").first();
      const original = await first.inputValue();
      await first.fill(`${original}（新）`);
      await page.screenshot({ path: path.join(shotDir, "fresh-setup-communities-desktop.png") });
      await page.getByTestId("setup-submit").click();
      await page.getByTestId("setup-login").waitFor();
      const state = await (await fetch(`${baseUrl}/api/setup`)).json();
      assert(state.needed === false, "setup is still pending after it finished");
    });

    await step("the administrator logs in and finds the street with its two communities", async () => {
      await login(page, "jiedao_admin", adminPassword);
      await page.waitForURL(/\/console(\/|$)/, { timeout });
      const me = await apiFrom(page, "GET", "/api/auth/me");
      assert(me.json.user.grants.some((g) => g.role === "systemAdmin"), "the administrator holds no systemAdmin grant");
      const roots = await apiFrom(page, "GET", "/api/areas/roots");
      assert(roots.status === 200, `areas: ${roots.status}`);
      const search = await apiFrom(page, "GET", `/api/areas/search?q=${encodeURIComponent(streetName)}`);
      const street = (search.json.items ?? []).find((a) => a.level === "street");
      assert(street, `no street ${streetName}: ${JSON.stringify(search.json).slice(0, 300)}`);
      const detail = await apiFrom(page, "GET", `/api/areas/${street.id}`);
      communities = detail.json.children.filter((c) => c.level === "community");
      assert(communities.length === 2, `the street has ${communities.length} communities, not 2`);
      assert(communities.some((c) => c.name.endsWith("（新）")), "the renamed community kept its official name");
      page.street = street;
    });

    await step("community boundaries are imported from GeoJSON; one overlapping its neighbour is refused and nothing is written", async () => {
      const [a, b] = communities;
      const overlapping = {
        type: "FeatureCollection",
        features: [
          { type: "Feature", properties: { name: a.name, code: a.code }, geometry: square(104.04, 30.63, 104.047, 30.636) },
          { type: "Feature", properties: { name: b.name, code: b.code }, geometry: square(104.046, 30.63, 104.052, 30.636) },
        ],
      };
      const refused = await apiFrom(page, "POST", `/api/imports/communities?streetId=${page.street.id}`, overlapping);
      assert(refused.status === 422, `an overlap was not refused: ${refused.status} ${JSON.stringify(refused.json).slice(0, 300)}`);
      const stillNone = await apiFrom(page, "GET", `/api/areas/${a.id}`);
      assert(stillNone.json.area.bbox === null, "a refused import wrote a boundary");
      overlapping.features[0].geometry = square(104.04, 30.63, 104.046, 30.636);
      const done = await apiFrom(page, "POST", `/api/imports/communities?streetId=${page.street.id}`, overlapping);
      assert(done.status === 200 || done.status === 201, `community import: ${done.status} ${JSON.stringify(done.json).slice(0, 300)}`);
      const drawn = await apiFrom(page, "GET", `/api/areas/${a.id}`);
      assert(Array.isArray(drawn.json.area.bbox), "the community has no boundary after the import");
    });

    await step("the first community's grids are imported from GeoJSON", async () => {
      const [a] = communities;
      const grids = {
        type: "FeatureCollection",
        features: [
          { type: "Feature", properties: { name: "第一网格", type: "综合" }, geometry: square(104.04, 30.63, 104.043, 30.636) },
          { type: "Feature", properties: { name: "第二网格", type: "综合" }, geometry: square(104.043, 30.63, 104.046, 30.636) },
        ],
      };
      const res = await uploadGeoJson(page, `/api/imports/grids?communityId=${a.id}&dryRun=false&replace=false`, grids);
      assert(res.status === 200 || res.status === 201, `grid import: ${res.status} ${JSON.stringify(res.json).slice(0, 300)}`);
      const detail = await apiFrom(page, "GET", `/api/areas/${a.id}`);
      assert(detail.json.children.filter((c) => c.level === "grid").length === 2, "the community does not have its two grids");
      await page.goto(`${baseUrl}/console/areas/${a.id}`, { waitUntil: "domcontentloaded" });
      await waitUntil(async () => (await page.locator("path.leaflet-interactive").count()) >= 2, "the grids are not drawn on the area's map");
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "fresh-community-grids-desktop.png") });
    });

    await step("staff: a community worker is created with a role on the first community; a weak password is refused", async () => {
      const [a] = communities;
      const weak = await apiFrom(page, "POST", "/api/users", { username: "sq_worker", displayName: "李秀英", password: "123456", grants: [{ role: "communityWorker", areaId: a.id }] });
      assert(weak.status === 400 && weak.json.code === "password_too_weak", `a weak password: ${weak.status} ${weak.json.code}`);
      const made = await apiFrom(page, "POST", "/api/users", { username: "sq_worker", displayName: "李秀英", password: workerPassword, grants: [{ role: "communityWorker", areaId: a.id }] });
      assert(made.status === 201, `create staff: ${made.status} ${JSON.stringify(made.json).slice(0, 300)}`);
      const again = await apiFrom(page, "POST", "/api/users", { username: "sq_worker", displayName: "李秀英", password: workerPassword, grants: [{ role: "communityWorker", areaId: a.id }] });
      assert(again.status === 409, `a duplicate username: ${again.status}`);
      await page.goto(`${baseUrl}/console/users`, { waitUntil: "domcontentloaded" });
      await page.locator(".ant-table-row", { hasText: "sq_worker" }).waitFor();
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "fresh-users-desktop.png") });
    });

    await step("the community worker logs in and lands on their home with their community's to-dos", async () => {
      const workerCtx = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
      const worker = await workerCtx.newPage();
      worker.setDefaultTimeout(timeout);
      watchPage(worker, problems);
      await login(worker, "sq_worker", workerPassword);
      await worker.waitForURL(/\/console(\/|$)/, { timeout });
      const todos = await apiFrom(worker, "GET", "/api/home/todos");
      assert(todos.status === 200 && todos.json.items.some((i) => i.key === "cases.toRegister"), `the worker's to-dos: ${JSON.stringify(todos.json).slice(0, 300)}`);
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "fresh-worker-home-desktop.png") });
      await workerCtx.close();
    });

    const as = {};
    const newPage = async (username, pw, viewport = desktop) => {
      const c = await browser.newContext({ viewport, locale: "zh-CN" });
      const p = await c.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await login(p, username, pw);
      await p.waitForURL(/\/(console|worker|resident)(\/|$)/, { timeout });
      return p;
    };
    const ok = (res, what) => {
      assert(res.status >= 200 && res.status < 300, `${what}: ${res.status} ${JSON.stringify(res.json).slice(0, 400)}`);
      return res.json;
    };

    let department;
    await step("a department with no login is registered at the district; the departments list marks it", async () => {
      const street = await apiFrom(page, "GET", `/api/areas/${page.street.id}`);
      const district = street.json.ancestors.find((a) => a.level === "district");
      assert(district, "the street has no district above it");
      department = ok(await apiFrom(page, "POST", "/api/organizations", { kind: "department", name: "武侯区综合行政执法局", parentId: null, areaId: district.id }), "register the department").id;
      const [a] = communities;
      const gridList = (await apiFrom(page, "GET", `/api/areas/${a.id}`)).json.children.filter((c) => c.level === "grid");
      page.grid = gridList.find((g) => g.name === "第一网格");
      ok(await apiFrom(page, "POST", "/api/users", { username: "wg_first", displayName: "赵海燕", password: gridPassword, grants: [{ role: "gridWorker", areaId: page.grid.id }] }), "create the grid worker");
      as.worker = await newPage("sq_worker", workerPassword);
      const list = ok(await apiFrom(as.worker, "GET", "/api/departments"), "departments");
      const dept = list.items.find((d) => d.id === department);
      assert(dept && dept.hasActiveLogin === false, `the department is not marked as without a login: ${JSON.stringify(dept)}`);
    });

    let household;
    let person;
    await step("the community worker registers a compound, a building, a room and a household with its head", async () => {
      const [a] = communities;
      const compound = ok(await apiFrom(as.worker, "POST", "/api/compounds", { communityId: a.id, name: "桂荷苑", address: "玉林北路2号" }), "compound");
      const building = ok(await apiFrom(as.worker, "POST", "/api/buildings", { compoundId: compound.id, name: "1栋", floors: 6, lng: 104.0415, lat: 30.633 }), "building");
      const unit = ok(await apiFrom(as.worker, "POST", `/api/buildings/${building.id}/units`, { name: "1单元" }), "unit");
      const dwelling = ok(await apiFrom(as.worker, "POST", `/api/units/${unit.id}/dwellings`, { floor: 3, roomNo: "301" }), "dwelling");
      household = ok(await apiFrom(as.worker, "POST", "/api/households", { dwellingId: dwelling.id, headName: "陈桂兰", size: 2 }), "household");
      person = ok(await apiFrom(as.worker, "POST", `/api/households/${household.id}/persons`, { name: "陈桂兰", gender: "female", birthYear: 1956, relation: "户主", phone: "13912345678" }), "person");
      page.building = building;
    });

    await step("a resident signs up with the SMS code from the log, is checked against the registry and linked", async () => {
      const [a] = communities;
      const c = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "zh-CN", isMobile: true, hasTouch: true });
      const phone = await c.newPage();
      phone.setDefaultTimeout(timeout);
      watchPage(phone, problems);
      await phone.goto(`${baseUrl}/signup`, { waitUntil: "domcontentloaded" });
      await phone.getByTestId("signup-page").waitFor();
      const post = (url, body) => phone.evaluate(async ({ url, body }) => {
        const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, json: await res.json() };
      }, { url, body });
      const sent = ok(await post("/api/signup/sms-code", { phone: "13912345678" }), "SMS code");
      const code = await waitUntil(() => {
        const line = fs.readFileSync(serverLog, "utf8").split("\n").filter((l) => l.includes('"sms":"log"') && l.includes("139****5678")).at(-1);
        return line ? JSON.parse(line).code : false;
      }, "no SMS code in the server's log");
      ok(await post("/api/signup", { username: "chen_guilan", name: "陈桂兰", password: residentPassword, phone: "13912345678", communityId: a.id, address: "桂荷苑1栋1单元301室", verificationId: sent.verificationId, smsCode: code }), "sign up");
      const pending = ok(await apiFrom(as.worker, "GET", "/api/accounts/signups?status=pending"), "pending sign-ups");
      const mine = pending.items.find((x) => x.name === "陈桂兰");
      assert(mine, "the sign-up is not in the community worker's list");
      ok(await apiFrom(as.worker, "POST", `/api/accounts/signups/${mine.id}/link`, { personId: person.id }), "link the sign-up");
      await c.close();
      as.resident = await newPage("chen_guilan", residentPassword, { width: 390, height: 844 });
      const me = ok(await apiFrom(as.resident, "GET", "/api/auth/me"), "me");
      assert(me.user.face === "resident", `the resident's face is ${me.user.face}`);
    });

    let caseId;
    await step("the resident reports a problem; the worker registers it and dispatches it to the named grid worker", async () => {
      const receipt = ok(await apiFrom(as.resident, "POST", "/api/cases", { categoryCode: "0104", description: "单元门口贴满了小广告，请帮忙清理", buildingId: page.building.id }), "report");
      caseId = receipt.id;
      ok(await apiFrom(as.worker, "POST", `/api/cases/${caseId}/register`, {}), "register");
      const candidates = ok(await apiFrom(as.worker, "GET", `/api/cases/${caseId}/dispatch-candidates?level=grid`), "dispatch candidates");
      const zhao = candidates.items.find((c) => c.displayName === "赵海燕");
      assert(zhao, `the grid worker is not a candidate: ${JSON.stringify(candidates.items)}`);
      ok(await apiFrom(as.worker, "POST", `/api/cases/${caseId}/dispatch`, { level: "grid", assigneeUserId: zhao.userId }), "dispatch to the grid worker");
      as.grid = await newPage("wg_first", gridPassword, { width: 390, height: 844 });
      const queue = ok(await apiFrom(as.grid, "GET", "/api/cases?queue=handling"), "the grid worker's queue");
      assert(queue.items.some((c) => c.id === caseId), "the case is not in the named grid worker's queue");
    });

    await step("the department without a login is summoned, then excused with a reason; the case closes", async () => {
      ok(await apiFrom(as.worker, "POST", `/api/cases/${caseId}/whistle`, { departmentOrgIds: [department], reason: "小广告反复张贴，需要执法部门一起处理" }), "whistle");
      const summons = ok(await apiFrom(as.worker, "GET", `/api/summons?status=summoned`), "summons");
      const waiting = summons.items.find((x) => x.case.id === caseId || x.caseId === caseId);
      assert(waiting, `no summons for the case: ${JSON.stringify(summons.items).slice(0, 300)}`);
      const empty = await apiFrom(as.worker, "POST", `/api/summons/${waiting.id}/excuse`, { reason: "" });
      assert(empty.status === 400, `an excuse without a reason: ${empty.status}`);
      ok(await apiFrom(as.worker, "POST", `/api/summons/${waiting.id}/excuse`, { reason: "执法局还没有开通账号，已电话协调，由网格员先行清理" }), "excuse");
      ok(await apiFrom(as.grid, "POST", `/api/cases/${caseId}/receive`, {}), "receive");
      ok(await apiFrom(as.grid, "POST", `/api/cases/${caseId}/feedback`, { note: "小广告已全部清除" }), "feedback");
      ok(await apiFrom(as.worker, "POST", `/api/cases/${caseId}/verify`, { passed: true }), "verify");
      const closed = ok(await apiFrom(as.worker, "POST", `/api/cases/${caseId}/close`, {}), "close");
      assert(closed.status === "closed", `the case is ${closed.status}`);
      await as.worker.goto(`${baseUrl}/console/cases/${caseId}`, { waitUntil: "domcontentloaded" });
      await as.worker.getByTestId("case-page").waitFor();
      await settled(as.worker);
      await as.worker.screenshot({ path: path.join(shotDir, "fresh-case-closed-desktop.png") });
    });

    await step("the first-run page is gone: setup answers 409", async () => {
      const res = await fetch(`${baseUrl}/api/setup/code`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "AAAA-BBBB-CCCC" }) });
      assert(res.status === 409, `setup after setup: ${res.status}`);
    });

    await step("no page errors or console errors", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
