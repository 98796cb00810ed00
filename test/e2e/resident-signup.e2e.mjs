// End-to-end: a resident signs up on a phone (390×844) — details, community and dwelling picked
// from the registry, the SMS code read from the server's log (GONGZHI_SMS=log, as a developer
// reads it) — sees 待社区核实, reports a problem while pending; the community worker (1366×900)
// compares the sign-up with the registry and links it; the resident then sees their household.
// Then the worker prints invitation codes and a second resident signs up with one, linked at once.
//   E2E_ONLY=resident-signup npm run test:e2e
import fs from "node:fs";
import path from "node:path";
import { apiFrom, assert, baseUrl, launch, password, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

const consoleSize = { width: 1366, height: 900 };
const serverLog = process.env.E2E_SERVER_LOG;

/** The SMS code the server wrote to its log for this mobile (masked there: 139****1234). */
async function smsCodeFromLog(mobile) {
  assert(serverLog, "E2E_SERVER_LOG is not set (run through scripts/e2e.mjs)");
  const masked = `${mobile.slice(0, 3)}****${mobile.slice(-4)}`;
  return waitUntil(() => {
    const lines = fs.readFileSync(serverLog, "utf8").split("\n").filter((l) => l.includes('"sms":"log"') && l.includes(masked));
    const last = lines.at(-1);
    if (!last) return false;
    assert(!last.includes(mobile), "the full mobile number is in the server log");
    return JSON.parse(last).code;
  }, `no SMS code for ${masked} in the server log`);
}

async function shot(page, name) {
  await waitUntil(async () => (await page.locator(".adm-toast-mask").count()) === 0, "a toast stays on the screen");
  await page.screenshot({ path: path.join(shotDir, name) });
}

const uniq = Date.now().toString(36).slice(-5);
const mobileOf = (n) => `139${String(Date.now() % 100_000_000 + n).padStart(8, "0").slice(-8)}`;

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (resident sign-up) against ${baseUrl}`);
    const workerCtx = await browser.newContext({ viewport: consoleSize, locale: "zh-CN" });
    const worker = await workerCtx.newPage();
    worker.setDefaultTimeout(timeout);
    watchPage(worker, problems);
    await submitLogin(worker, "communityworker");
    await worker.waitForURL(/\/console(\/|$)/, { timeout });

    // Whom the resident will be: a head of household of the worker's community, read as the worker reads it.
    const me = await apiFrom(worker, "GET", "/api/auth/me");
    const community = me.json.user.grants[0];
    const list = await apiFrom(worker, "GET", `/api/households?areaId=${community.areaId}&page=1&pageSize=50`);
    assert(list.status === 200 && list.json.items.length > 3, `no households in the worker's community: ${list.status}`);
    const target = (await apiFrom(worker, "GET", `/api/households/${list.json.items.at(-1).id}`)).json;
    const invited = list.json.items.at(-2);
    assert(target.place && target.headName, "the household has no place or head in clear");
    const [compound, building, unit, room] = target.place.split(" ");
    const mobile = mobileOf(17);

    const residentCtx = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
    const resident = await residentCtx.newPage();
    resident.setDefaultTimeout(timeout);
    watchPage(resident, problems);

    await step("the login page offers 注册账号 and 用邀请码注册", async () => {
      await resident.goto(`${baseUrl}/login`, { waitUntil: "domcontentloaded" });
      await resident.getByTestId("signup-links").waitFor();
      await shot(resident, "signup-login-links-phone.png");
      await resident.getByTestId("signup-link").click();
      await resident.waitForURL(/\/signup$/, { timeout });
    });

    await step("a resident fills in name, mobile, account, community and their room from the registry", async () => {
      await resident.getByTestId("signup-page").waitFor();
      await resident.getByTestId("signup-name").locator("input").fill(target.headName);
      await resident.getByTestId("signup-phone").locator("input").fill(mobile);
      await resident.getByTestId("signup-username").locator("input").fill(`jumin_${uniq}`);
      await resident.getByTestId("signup-password").locator("input").fill(password);
      await resident.getByTestId("signup-community").click();
      await resident.getByTestId("signup-community-option").filter({ hasText: community.areaName }).first().click();
      await resident.getByTestId("signup-building").click();
      await resident.getByTestId("signup-building-option").filter({ hasText: `${compound} ${building}` }).first().click();
      await resident.getByTestId("signup-room").click();
      await resident.getByTestId("signup-room-option").filter({ hasText: `${unit} ${room}` }).first().click();
      await shot(resident, "signup-details-phone.png");
      await resident.getByTestId("signup-next").click();
      await resident.getByTestId("signup-send-code").waitFor();
    });

    await step("the mobile is confirmed with the 6-digit code the server wrote to its log (number masked there)", async () => {
      await resident.getByTestId("signup-send-code").click();
      const code = await smsCodeFromLog(mobile);
      assert(/^\d{6}$/.test(code), `not a 6-digit code: ${code}`);
      // A wrong code first: refused on its field with the tries left, nothing created.
      await resident.getByTestId("signup-sms-code").locator("input").fill(code === "000000" ? "111111" : "000000");
      await resident.getByTestId("signup-submit").click();
      await resident.getByText("验证码不正确，还可以再试 4 次").waitFor();
      await shot(resident, "signup-sms-wrong-phone.png");
      await resident.getByTestId("signup-sms-code").locator("input").fill(code);
      await resident.getByTestId("signup-submit").click();
      await resident.waitForURL(/\/resident$/, { timeout });
      await resident.getByTestId("signup-pending").waitFor();
      const text = await resident.getByTestId("signup-pending").innerText();
      assert(text.includes("待社区核实") && text.includes("反映问题"), `the pending banner says: ${text}`);
      await shot(resident, "signup-pending-home-phone.png");
    });

    let caseNo = "";
    await step("while pending, the resident reports a problem and finds it under 我的诉求", async () => {
      await resident.getByTestId("resident-report-link").click();
      const form = resident.locator("[data-testid=case-report-form]");
      await form.waitFor();
      await form.locator("[data-testid=case-top-category]").getByText("消防安全", { exact: true }).click();
      await form.locator("[data-testid=case-sub-category]").getByText("楼道堆物", { exact: true }).click();
      await form.locator("[data-testid=case-description] textarea").fill(`楼道里堆满杂物，挡住了消防通道（注册后反映 ${uniq}）`);
      const map = form.locator("[data-testid=case-point-map]");
      await map.waitFor();
      await waitUntil(async () => (await map.locator("path.leaflet-interactive, svg path").count()) > 0, "the grid is not drawn on the map");
      const box = await map.boundingBox();
      let inside = false;
      for (const [fx, fy] of [[0.5, 0.5], [0.45, 0.55], [0.55, 0.45], [0.4, 0.4], [0.6, 0.6]]) {
        await map.click({ position: { x: box.width * fx, y: box.height * fy } });
        const text = await waitUntil(async () => {
          const t = (await form.locator("[data-testid=case-point-grid]").textContent()) ?? "";
          return t.includes("位于") || t.includes("不在") ? t : false;
        }, "the picked point is neither in nor outside a grid");
        if (text.includes("位于")) {
          inside = true;
          break;
        }
      }
      assert(inside, "no point picked on the map lies in a grid");
      await form.locator("[data-testid=case-submit]").click();
      const no = resident.locator("[data-testid=case-report-no]");
      await no.waitFor();
      caseNo = ((await no.textContent()) ?? "").trim();
      assert(/^GZ\d{14}$/.test(caseNo), `no case number: ${caseNo}`);
      await resident.goto(`${baseUrl}/resident/cases`);
      await resident.locator(`[data-testid=case-item][data-case-no="${caseNo}"]`).waitFor();
      await shot(resident, "signup-pending-my-cases-phone.png");
    });

    await step("the community worker sees the sign-up in 居民账号核实, compares the registry's candidates and links the household's head", async () => {
      await worker.goto(`${baseUrl}/console`, { waitUntil: "domcontentloaded" });
      await worker.locator(".ant-menu-item", { hasText: "居民账号核实" }).click();
      await worker.waitForURL(/\/console\/accounts\/signups$/, { timeout });
      const row = worker.locator(".ant-table-row", { hasText: target.headName }).filter({ hasText: "待核实" }).first();
      await row.waitFor();
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-resident-signups-desktop.png") });
      await row.getByTestId("signup-review-open").click();
      const drawer = worker.getByTestId("signup-review");
      await drawer.waitFor();
      const candidate = drawer.locator(".ant-table-row", { hasText: target.headName }).filter({ hasText: "房屋" }).first();
      await candidate.waitFor();
      const matched = await candidate.innerText();
      assert(matched.includes("姓名") && matched.includes("房屋"), `the candidate is not matched by name and dwelling: ${matched}`);
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-resident-signup-review-desktop.png") });
      await candidate.getByTestId("signup-link-person").click();
      await drawer.waitFor({ state: "hidden" });
      await worker.locator(".ant-table-row", { hasText: target.headName }).filter({ hasText: "待核实" }).waitFor({ state: "detached" });
    });

    await step("the resident now sees their household on the phone", async () => {
      // The server may trust a checked session for a few seconds (GONGZHI_SESSION_CACHE_MS): reload until the link shows.
      const card = resident.getByTestId("my-household");
      await waitUntil(async () => {
        await resident.goto(`${baseUrl}/resident`, { waitUntil: "domcontentloaded" });
        return card.waitFor({ timeout: 3000 }).then(() => true, () => false);
      }, "the household card does not appear after the link");
      const text = await card.innerText();
      assert(text.includes(room) && text.includes(target.headName), `the household card says: ${text}`);
      assert((await resident.getByTestId("signup-pending").count()) === 0, "the pending banner is still shown");
      await shot(resident, "signup-linked-home-phone.png");
    });

    let code = "";
    await step("the worker makes an invitation code for a household and prints an A4 sheet", async () => {
      await worker.goto(`${baseUrl}/console/accounts/invitations?areaId=${community.areaId}`, { waitUntil: "domcontentloaded" });
      const row = worker.locator(`.ant-table-row[data-row-key="${invited.id}"]`);
      await row.waitFor();
      await row.locator(".ant-checkbox-input").check();
      await worker.getByTestId("invitation-generate").click();
      await worker.getByTestId("invitation-sheet").waitFor();
      code = ((await worker.getByTestId("invitation-code").first().textContent()) ?? "").trim();
      assert(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/.test(code), `not an invitation code: ${code}`);
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-invitations-desktop.png"), fullPage: true });
      await worker.emulateMedia({ media: "print" });
      await worker.screenshot({ path: path.join(shotDir, "console-invitations-print.png"), fullPage: true });
      await worker.emulateMedia({ media: "screen" });
    });

    await step("a second resident signs up with the code, picks who they are and sees their household at once", async () => {
      const ctx = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
      const page = await ctx.newPage();
      page.setDefaultTimeout(timeout);
      watchPage(page, problems);
      await page.goto(`${baseUrl}/signup/invite`, { waitUntil: "domcontentloaded" });
      await page.getByTestId("invite-code").locator("input").fill(code.toLowerCase());
      await page.getByTestId("invite-open").click();
      await page.getByTestId("invite-member").first().waitFor();
      const names = await page.getByTestId("invite-member").allInnerTexts();
      assert(names.every((n) => /^.\*+（/.test(n)), `member names are not masked but the first character: ${names.join(", ")}`);
      await shot(page, "signup-invite-members-phone.png");
      await page.getByTestId("invite-member").last().click();
      const mobile2 = mobileOf(29);
      await page.getByTestId("signup-name").locator("input").fill("邀请码居民");
      await page.getByTestId("signup-phone").locator("input").fill(mobile2);
      await page.getByTestId("signup-username").locator("input").fill(`yaoqing_${uniq}`);
      await page.getByTestId("signup-password").locator("input").fill(password);
      await page.getByTestId("signup-send-code").click();
      await page.getByTestId("signup-sms-code").locator("input").fill(await smsCodeFromLog(mobile2));
      await page.getByTestId("signup-submit").click();
      await page.waitForURL(/\/resident$/, { timeout });
      await page.getByTestId("my-household").waitFor();
      await shot(page, "signup-invite-linked-home-phone.png");
      // The code works once.
      const again = await page.evaluate(async (c) => (await fetch("/api/signup/invitation", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: c }) })).json(), code);
      assert(again.code === "invitation_used", `a used code answers ${JSON.stringify(again)}`);
      await ctx.close();
    });

    await step("no page showed an error or sent a request off the site", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
