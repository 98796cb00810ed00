// End-to-end: 外部系统推送 — a system administrator connects an outside system (a receiver this
// script runs on 127.0.0.1) to case events: the server's refusal of a bad URL on its field, the
// secret shown once, a signed test ping checked here with node:crypto, edit, pause and resume, a
// replaced secret signing the next ping, the deliveries drawer, delete; a community worker has no
// menu entry and the page tells them it is for administrators.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/webhooks.e2e.mjs
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { apiFrom, assert, baseUrl, desktop, launch, phone, run, settled, shotDir, signedIn, step, timeout, waitUntil } from "./harness.mjs";

/** A receiver that records every request and answers 200. */
async function startReceiver() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(200, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { received, url: `http://127.0.0.1:${port}/gongzhi-hook`, close: () => new Promise((r) => server.close(r)) };
}

/** Does the request carry X-Gongzhi-Signature = sha256=HMAC(secret, "timestamp.body")? */
function signedWith(request, secret) {
  const timestamp = request.headers["x-gongzhi-timestamp"];
  const header = request.headers["x-gongzhi-signature"];
  if (typeof timestamp !== "string" || typeof header !== "string" || !header.startsWith("sha256=")) return false;
  const expected = Buffer.from(createHmac("sha256", secret).update(`${timestamp}.${request.body}`).digest("hex"));
  const got = Buffer.from(header.slice("sha256=".length));
  return expected.length === got.length && timingSafeEqual(expected, got);
}

/**
 * Waits until no drawer or dialog is opening or closing and no toast shows, so a screenshot shows
 * the page at rest (a button's spinner fading out inside a closed drawer can hang, so buttons are left out).
 */
async function atRest(page) {
  await settled(page);
  let running = [];
  try {
    await waitUntil(async () => {
      running = await page.evaluate(
        `[...document.querySelectorAll("[class]")].flatMap((el) => [...el.classList].filter((c) => !c.startsWith("ant-btn") && /-(enter|leave|appear)(-active|-prepare|-start)?$/.test(c))).concat([...document.querySelectorAll(".ant-message-notice")].map(() => "a message"))`,
      );
      return running.length === 0;
    }, "animations or messages keep running");
  } catch (e) {
    throw new Error(`${e.message}: ${[...new Set(running)].join(", ")}`);
  }
}

const hookName = "区 12345 热线平台（联调）";
const renamed = "区 12345 热线平台";

async function main() {
  const browser = await launch();
  const receiver = await startReceiver();
  const problems = [];
  try {
    const { page } = await signedIn(browser, "admin", desktop, problems);
    const row = () => page.getByTestId("webhook-row").filter({ hasText: renamed });
    let firstSecret = "";
    let hookId = "";

    /** Reads the secret from the once-only dialog, checks it, closes the dialog. */
    const takeSecret = async () => {
      const secretEl = page.getByTestId("webhook-secret");
      await secretEl.waitFor({ timeout });
      const secret = (await secretEl.innerText()).trim();
      assert(/^whsec_[A-Za-z0-9_-]{20,}$/.test(secret), `the dialog shows "${secret}", not a whsec_ secret`);
      const dialog = await page.locator(".ant-modal-content").filter({ has: secretEl }).innerText();
      assert(dialog.includes("只显示这一次，请立即复制保存到对方系统"), "the secret dialog does not warn that it is shown once");
      assert(dialog.includes("X-Gongzhi-Signature"), "the secret dialog does not explain the signature header");
      assert((await page.locator(".ant-modal-content .ant-typography-copy").count()) === 1, "the secret dialog has no copy button");
      return secret;
    };
    const closeSecret = async () => {
      await page.getByTestId("webhook-secret-done").click();
      await waitUntil(async () => (await page.getByTestId("webhook-secret").count()) === 0, "the secret dialog stays open");
    };
    /** Sends a test ping from the row and waits for the receiver to get it and the page to show the answer. */
    const ping = async (r) => {
      const before = receiver.received.length;
      await r.getByTestId("webhook-test").click();
      const result = page.getByTestId("ping-result");
      await result.waitFor({ timeout });
      const text = await result.innerText();
      assert(text.includes("HTTP 200"), `the test result shows "${text}", not the receiver's HTTP 200`);
      assert(receiver.received.length === before + 1, `the receiver got ${receiver.received.length - before} requests for one test`);
      await page.locator(".ant-modal-confirm").filter({ has: result }).locator(".ant-modal-confirm-btns button").click();
      await waitUntil(async () => (await page.getByTestId("ping-result").count()) === 0, "the test result stays open");
      return receiver.received.at(-1);
    };

    await step("the administrator opens 外部系统推送 from the menu", async () => {
      await page.locator(".ant-menu-item", { hasText: "外部系统推送" }).click();
      await page.waitForURL(/\/console\/webhooks$/, { timeout });
      await page.getByTestId("webhook-new").waitFor({ timeout });
      await settled(page);
    });

    await step("a URL the server refuses is shown on the URL field; a good one creates the hook and its secret is shown once", async () => {
      await page.getByTestId("webhook-new").click();
      await page.getByTestId("webhook-name").fill(hookName);
      await page.getByTestId("webhook-url").fill("ftp://hotline.example/hook");
      await page.getByTestId("webhook-save").click();
      const urlItem = page.locator(".ant-form-item").filter({ has: page.getByTestId("webhook-url") });
      await waitUntil(async () => (await urlItem.locator(".ant-form-item-explain-error").innerText().catch(() => "")).includes("http:// 或 https://"), "the server's refusal is not shown on the URL field");
      await atRest(page);
      await page.screenshot({ path: path.join(shotDir, "console-webhooks-form-desktop.png") });

      await page.getByTestId("webhook-url").fill(receiver.url);
      await page.getByTestId("webhook-events").click();
      await page.keyboard.type("立案");
      await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: "case.registered" }).click();
      await page.keyboard.press("Escape");
      const chosen = await page.getByTestId("webhook-events").innerText();
      assert(chosen.includes("立案"), `the events field shows "${chosen}" after choosing 立案`);
      assert((await urlItem.innerText()).includes("明文"), "an http:// address gets no warning");
      await page.getByTestId("webhook-save").click();

      firstSecret = await takeSecret();
      await atRest(page);
      await page.screenshot({ path: path.join(shotDir, "console-webhooks-secret-desktop.png") });
      await closeSecret();

      const listed = await apiFrom(page, "GET", "/api/webhooks");
      assert(listed.status === 200, `GET /api/webhooks answered ${listed.status}`);
      const hook = listed.json.items.find((w) => w.name === hookName);
      assert(hook, "the new hook is not in the list");
      assert(JSON.stringify(hook.events) === JSON.stringify(["case.registered"]), `the hook listens to ${JSON.stringify(hook.events)}`);
      assert(!JSON.stringify(listed.json).includes(firstSecret), "the list answer contains the secret");
      hookId = hook.id;

      const r = page.getByTestId("webhook-row").filter({ hasText: hookName });
      await r.waitFor({ timeout });
      const text = await r.innerText();
      assert(text.includes("立案") && text.includes("启用") && text.includes(receiver.url), `the row reads: ${text}`);
      await page.reload({ waitUntil: "domcontentloaded" });
      await page.getByTestId("webhook-row").first().waitFor({ timeout });
      await settled(page);
      assert(!(await page.locator("body").innerText()).includes(firstSecret), "the page shows the secret again after closing the dialog");
    });

    await step("a test ping reaches the receiver, signed with the secret (checked with HMAC here)", async () => {
      const r = page.getByTestId("webhook-row").filter({ hasText: hookName });
      const got = await ping(r);
      assert(got.method === "POST" && got.url === "/gongzhi-hook", `the receiver got ${got.method} ${got.url}`);
      assert(got.headers["x-gongzhi-event"] === "ping", `the event header is ${got.headers["x-gongzhi-event"]}`);
      assert(JSON.parse(got.body).event === "ping", "the body is not a ping");
      assert(signedWith(got, firstSecret), "the ping's X-Gongzhi-Signature does not match HMAC-SHA256(secret, timestamp.body)");
      assert(!signedWith(got, `${firstSecret}x`), "the signature check accepts a wrong secret");
    });

    await step("edit renames the hook; pause and resume change its state", async () => {
      await page.getByTestId("webhook-row").filter({ hasText: hookName }).getByTestId("webhook-edit").click();
      await page.getByTestId("webhook-name").fill(renamed);
      await page.getByTestId("webhook-save").click();
      await waitUntil(async () => (await row().count()) === 1 && !(await row().innerText()).includes("联调"), "the renamed hook is not listed");

      await row().getByTestId("webhook-toggle").click();
      await waitUntil(async () => (await row().getByTestId("webhook-state").innerText()) === "已暂停", "the row does not show 已暂停");
      const paused = await apiFrom(page, "GET", "/api/webhooks");
      assert(paused.json.items.find((w) => w.id === hookId)?.active === false, "the server still has the hook active");
      await row().getByTestId("webhook-toggle").click();
      await waitUntil(async () => (await row().getByTestId("webhook-state").innerText()) === "启用", "the row does not show 启用 again");
      const resumed = await apiFrom(page, "GET", "/api/webhooks");
      assert(resumed.json.items.find((w) => w.id === hookId)?.active === true, "the server did not resume the hook");
    });

    let secondSecret = "";
    await step("a replaced secret is shown once and signs the next ping; the old one no longer does", async () => {
      await row().getByTestId("webhook-regenerate").click();
      const confirm = page.locator(".ant-modal-confirm", { hasText: "旧密钥立即失效" });
      await confirm.waitFor({ timeout });
      await page.getByTestId("webhook-regenerate-ok").click();
      secondSecret = await takeSecret();
      assert(secondSecret !== firstSecret, "the new secret is the old one");
      await closeSecret();
      const got = await ping(row());
      assert(signedWith(got, secondSecret), "the ping after replacing is not signed with the new secret");
      assert(!signedWith(got, firstSecret), "the ping after replacing is still signed with the old secret");
    });

    let reportedCaseNo = "";
    await step("a grid worker's patrol report (立案 at once) reaches the receiver as case.registered, signed with the new secret and with nothing personal", async () => {
      const { ctx, page: resident } = await signedIn(browser, "resident", phone, problems, true);
      const persons = await apiFrom(resident, "GET", "/api/persons?pageSize=1");
      const household = await apiFrom(resident, "GET", `/api/households/${persons.json.items[0].householdId}`);
      await ctx.close();
      const worker = await signedIn(browser, "gridworker", phone, problems, true);
      const before = receiver.received.length;
      const description = `楼道里堆满了纸箱，挡住了消防通道（推送联调 ${Date.now().toString(36)}）`;
      const res = await apiFrom(worker.page, "POST", "/api/cases", { categoryCode: "0107", description, buildingId: household.json.buildingId });
      await worker.ctx.close();
      assert(res.status === 201 && res.json.status === "registered", `the patrol report answered ${res.status} ${JSON.stringify(res.json)}`);
      reportedCaseNo = res.json.caseNo;
      // The worker in the running server delivers within a few seconds.
      const got = await waitUntil(() => receiver.received.slice(before).find((r) => r.headers["x-gongzhi-event"] === "case.registered"), "the receiver got no case.registered delivery", 30_000);
      assert(signedWith(got, secondSecret), "the case.registered delivery is not signed with the current secret");
      const payload = JSON.parse(got.body);
      assert(payload.case.caseNo === reportedCaseNo && payload.step.action === "register", `the delivery carries ${JSON.stringify({ caseNo: payload.case.caseNo, action: payload.step?.action })}`);
      assert(!got.body.includes("纸箱") && !("description" in payload.case), "the delivery carries what the reporter wrote");
      assert(receiver.received.slice(before).every((r) => r.headers["x-gongzhi-event"] !== "case.submitted"), "an event the hook did not subscribe to was delivered");
    });

    await step("the deliveries drawer lists both pings and the case's 立案 as delivered", async () => {
      await atRest(page);
      await page.screenshot({ path: path.join(shotDir, "console-webhooks-desktop.png"), fullPage: true });
      await row().getByTestId("webhook-deliveries-open").click();
      const drawer = page.getByTestId("webhook-deliveries");
      await waitUntil(async () => (await drawer.locator(".ant-table-row").count()) === 3, "the drawer does not list the two pings and the case's delivery");
      const statuses = await drawer.getByTestId("delivery-status").allInnerTexts();
      assert(statuses.every((s) => s === "已送达"), `the deliveries show ${statuses.join(", ")}`);
      const drawerText = await drawer.innerText();
      assert(drawerText.includes("测试推送"), "the ping event has no readable name");
      assert(drawerText.includes(reportedCaseNo), `the case delivery does not show its case number ${reportedCaseNo}`);
      await atRest(page);
      await page.screenshot({ path: path.join(shotDir, "console-webhooks-deliveries-desktop.png") });
      await page.locator(".ant-drawer-close").click();
      await waitUntil(async () => (await page.getByTestId("webhook-deliveries").count()) === 0, "the drawer stays open");
    });

    await step("on a phone the hooks are cards with their actions", async () => {
      const { ctx, page: phonePage } = await signedIn(browser, "admin", phone, problems, true);
      await phonePage.goto(`${baseUrl}/console/webhooks`, { waitUntil: "domcontentloaded" });
      const card = phonePage.getByTestId("webhook-row").filter({ hasText: renamed });
      await card.waitFor({ timeout });
      await atRest(phonePage);
      assert(await card.getByTestId("webhook-test").isVisible(), "the phone card has no test button in view");
      const overflow = await phonePage.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 0, `the page is ${overflow}px wider than the phone`);
      await phonePage.screenshot({ path: path.join(shotDir, "console-webhooks-phone.png"), fullPage: true });
      await ctx.close();
    });

    await step("delete, confirmed, removes the hook", async () => {
      await row().getByTestId("webhook-delete").click();
      await page.locator(".ant-modal-confirm", { hasText: "投递记录也会一并删除" }).waitFor({ timeout });
      await page.getByTestId("webhook-delete-ok").click();
      await waitUntil(async () => (await row().count()) === 0, "the deleted hook is still listed");
      const after = await apiFrom(page, "GET", "/api/webhooks");
      assert(!after.json.items.some((w) => w.id === hookId), "the server still lists the deleted hook");
    });

    await step("a community worker has no menu entry, and the page says it is for administrators", async () => {
      const { ctx, page: worker } = await signedIn(browser, "communityworker", desktop, problems);
      await worker.locator(".ant-menu-item").first().waitFor({ timeout });
      const menu = await worker.locator(".ant-menu").first().innerText();
      assert(!menu.includes("外部系统推送"), "the community worker's menu lists 外部系统推送");
      const api = await apiFrom(worker, "GET", "/api/webhooks");
      assert(api.status === 403, `GET /api/webhooks answered ${api.status} to a community worker`);
      await worker.goto(`${baseUrl}/console/webhooks`, { waitUntil: "domcontentloaded" });
      const message = await worker.getByTestId("webhooks-error").innerText();
      assert(message.includes("只有系统管理员"), `the page says "${message}"`);
      assert((await worker.getByTestId("webhook-row").count()) === 0 && (await worker.getByTestId("webhook-new").count()) === 0, "the worker sees hooks or the create button");
      await atRest(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-webhooks-forbidden-desktop.png") });
      await ctx.close();
    });

    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
    await receiver.close();
  }
}

await run(main);
