// End-to-end: the closed loop on the phone faces. A resident reports a problem with a photo (a
// file that is not an image is refused in words) and finds it under 我的诉求; a community worker
// registers and dispatches it (API calls from a signed-in page); the grid worker sees it in 任务,
// receives it and reports the result with a photo, and is not offered to verify their own result
// (separation of duties); the community worker verifies it on the console and closes it; the
// resident rates it and sees the whole timeline.
// Changes the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/cases-mobile.e2e.mjs
import path from "node:path";
import zlib from "node:zlib";
import { apiFrom, assert, baseUrl, desktop, launch, phone, run, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

/** CRC-32 of PNG chunks (zlib.crc32 is not in every Node 20). */
function crc32(buf) {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

/** A small solid-colour PNG, made here so the test needs no fixture file. */
function tinyPng(r, g, b, size = 8) {
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: size }, () => [r, g, b]).flat())]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", zlib.deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

/** Waits for every photo in an uploader to finish uploading and for `count` of them. */
async function uploaded(scope, count) {
  await waitUntil(
    async () => (await scope.locator(".adm-image-uploader-cell:not(.adm-image-uploader-upload-button)").count()) === count && (await scope.locator(".adm-image-uploader-cell-mask").count()) === 0,
    `${count} uploaded photo(s) expected`,
  );
}

async function statusIs(page, label) {
  await waitUntil(async () => ((await page.locator("[data-testid=case-status]").first().textContent()) ?? "").includes(label), `the case status is not ${label}`);
}

/** The console's case page shows more statuses than the case's own (related cases); read its header's. */
async function consoleStatusIs(page, label) {
  await waitUntil(async () => ((await page.locator("[data-testid=case-page] [data-testid=case-status]").first().textContent()) ?? "").includes(label), `the case status is not ${label}`);
}

async function noSideScroll(page) {
  const overflow = await page.evaluate(
    `Math.max(document.documentElement.scrollWidth - window.innerWidth, (() => { const b = document.querySelector(".gz-mobile-body"); return b ? b.scrollWidth - b.clientWidth : 0; })())`,
  );
  assert(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
}

/** Scrolls the phone body to an element and screenshots the screen. */
async function shot(page, name, locator) {
  if (locator) await locator.scrollIntoViewIfNeeded();
  // A step's toast would cover the screen: wait until it has gone.
  await waitUntil(async () => (await page.locator(".adm-toast-mask").count()) === 0, "a toast stays on the screen");
  await page.screenshot({ path: path.join(shotDir, name) });
}

async function main() {
  const browser = await launch();
  const problems = [];
  const description = `3栋2单元楼道堆满纸箱和旧家具，挡住了消防通道（e2e ${Date.now().toString(36)}）`;
  let caseId = "";
  let caseNo = "";
  try {
    console.log(`e2e (cases on the phone) against ${baseUrl}`);
    const residentCtx = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
    const resident = await residentCtx.newPage();
    resident.setDefaultTimeout(timeout);
    watchPage(resident, problems);
    await submitLogin(resident, "resident");
    await resident.waitForURL(/\/resident(\/|$)/, { timeout });

    await step("the resident reports a problem with a photo; a file that is not an image is refused in words", async () => {
      await resident.locator("[data-testid=resident-report-link]").click();
      const form = resident.locator("[data-testid=case-report-form]");
      await form.waitFor();
      await form.locator("[data-testid=case-top-category]").getByText("消防安全", { exact: true }).click();
      await form.locator("[data-testid=case-sub-category]").getByText("楼道堆物", { exact: true }).click();
      await form.locator("[data-testid=case-description] textarea").fill(description);
      // The resident has a household: 我家楼栋 is offered; the map is used here, for the similar-cases hint.
      await form.locator("[data-testid=case-where]").getByText("在地图上选点").click();
      const map = form.locator("[data-testid=case-point-map]");
      await map.waitFor();
      await waitUntil(async () => (await map.locator("path.leaflet-interactive, svg path").count()) > 0, "the grid is not drawn on the map");
      const box = await map.boundingBox();
      assert(box, "the map has no box");
      await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
      await waitUntil(async () => ((await form.locator("[data-testid=case-point-grid]").textContent()) ?? "").includes("网格"), "the picked point names no grid");

      const input = form.locator("[data-testid=case-photos] input[type=file]");
      await input.setInputFiles({ name: "说明.txt", mimeType: "text/plain", buffer: Buffer.from("不是照片") });
      const refused = resident.getByText("这个文件不是照片，或格式不支持。请上传 JPEG、PNG 或 WebP 格式的照片");
      await refused.waitFor();
      await refused.waitFor({ state: "hidden" });
      await uploaded(form.locator("[data-testid=case-photos]"), 0);
      await input.setInputFiles({ name: "现场.png", mimeType: "image/png", buffer: tinyPng(200, 120, 40) });
      await uploaded(form.locator("[data-testid=case-photos]"), 1);
      await form.locator("[data-testid=case-contact-phone] input").fill("13800138000");
      await noSideScroll(resident);
      await shot(resident, "cases-report-form-phone.png", form.locator("[data-testid=case-top-category]"));
      await shot(resident, "cases-report-form-location-phone.png", map);
      await shot(resident, "cases-report-form-contact-phone.png", form.locator("[data-testid=case-submit]"));

      await form.locator("[data-testid=case-submit]").click();
      const no = resident.locator("[data-testid=case-report-no]");
      await no.waitFor();
      caseNo = ((await no.textContent()) ?? "").trim();
      assert(/^GZ\d{14}$/.test(caseNo), `no case number on the success page: ${caseNo}`);
      const done = await resident.locator("[data-testid=case-report-done]").innerText();
      assert(done.includes("诉求编号") && !done.includes("案件"), `the resident's page should say 诉求, not 案件: ${done}`);
      await shot(resident, "cases-report-done-phone.png");
    });

    await step("the report is under 我的诉求, waiting to be accepted, with its photo and timeline", async () => {
      await resident.goto(`${baseUrl}/resident/cases`);
      const item = resident.locator(`[data-testid=case-item][data-case-no="${caseNo}"]`);
      await item.waitFor();
      assert(((await item.innerText()) ?? "").includes("待受理"), "the new report is not 待受理");
      await shot(resident, "cases-my-cases-phone.png");
      await item.click();
      await resident.locator("[data-testid=resident-case]").waitFor();
      caseId = resident.url().split("/").pop();
      await statusIs(resident, "待受理");
      await resident.locator("[data-testid=case-photos-strip] img").first().waitFor();
      await resident.locator("[data-testid=case-cancel]").waitFor();
      assert((await resident.locator("[data-testid=case-timeline-step]").count()) >= 1, "no timeline");
    });

    const deskCtx = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const office = await deskCtx.newPage();
    office.setDefaultTimeout(timeout);
    watchPage(office, problems);
    await submitLogin(office, "communityworker");
    await office.waitForURL(/\/console(\/|$)/, { timeout });

    await step("the community worker registers and dispatches it to the grid", async () => {
      const registered = await apiFrom(office, "POST", `/api/cases/${caseId}/register`, { note: "情况属实，予以立案" });
      assert(registered.status === 200, `register answered ${registered.status}: ${JSON.stringify(registered.json)}`);
      const dispatched = await apiFrom(office, "POST", `/api/cases/${caseId}/dispatch`, { level: "grid", note: "请网格员尽快处理" });
      assert(dispatched.status === 200 && dispatched.json.status === "dispatched", `dispatch answered ${dispatched.status}: ${JSON.stringify(dispatched.json)}`);
    });

    const workerCtx = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
    const worker = await workerCtx.newPage();
    worker.setDefaultTimeout(timeout);
    watchPage(worker, problems);
    await submitLogin(worker, "gridworker");
    await worker.waitForURL(/\/worker(\/|$)/, { timeout });

    await step("the grid worker finds it under 任务 · 待签收 and receives it", async () => {
      await worker.goto(`${baseUrl}/worker/tasks`);
      const item = worker.locator(`[data-testid=case-item][data-case-no="${caseNo}"]`);
      await item.waitFor();
      const text = await item.innerText();
      assert(text.includes("楼道堆物") && text.includes("签收时限"), `the queue item lacks category or deadline: ${text}`);
      await noSideScroll(worker);
      await shot(worker, "cases-worker-queue-phone.png");
      await item.click();
      await worker.locator("[data-testid=worker-case]").waitFor();
      await statusIs(worker, "已派遣");
      await shot(worker, "cases-worker-case-phone.png");
      await worker.locator("[data-testid=case-action-receive]").click();
      await worker.locator("[data-testid=case-step-popup]").waitFor();
      await worker.locator("[data-testid=case-step-confirm]").click();
      await statusIs(worker, "已签收");
    });

    await step("the grid worker's feedback needs a result; with a note and a photo it goes to verification", async () => {
      await worker.locator("[data-testid=case-action-feedback]").click();
      const popup = worker.locator("[data-testid=case-step-popup]");
      await popup.waitFor();
      await worker.locator("[data-testid=case-step-confirm]").click();
      await popup.locator("[data-testid=case-step-error]").getByText("请填写处理结果").waitFor();
      await popup.locator("[data-testid=case-step-text] textarea").fill("已联系住户清走纸箱和旧家具，楼道已畅通");
      await popup.locator("[data-testid=case-step-photos] input[type=file]").setInputFiles({ name: "处置后.png", mimeType: "image/png", buffer: tinyPng(40, 160, 80) });
      await uploaded(popup.locator("[data-testid=case-step-photos]"), 1);
      await shot(worker, "cases-worker-feedback-phone.png");
      await worker.locator("[data-testid=case-step-confirm]").click();
      await statusIs(worker, "待核查");
      await popup.waitFor({ state: "hidden" });
    });

    await step("the grid worker may not verify their own result: no 核查 on the phone, the API refuses it", async () => {
      await worker.locator("[data-testid=case-no-actions]").waitFor();
      assert((await worker.locator("[data-testid=case-action-verifyPass], [data-testid=case-action-verifyFail]").count()) === 0, "the author of the result is offered 核查");
      const own = await apiFrom(worker, "POST", `/api/cases/${caseId}/verify`, { passed: true });
      assert(own.status === 403 && own.json.code === "case_self_verification", `self-verification answered ${own.status}: ${JSON.stringify(own.json)}`);
    });

    await step("the community worker verifies it on the console (核查通过) and closes it", async () => {
      await office.goto(`${baseUrl}/console/cases/${caseId}`);
      await consoleStatusIs(office, "待核查");
      await office.locator("[data-testid=case-actions] [data-testid=action-verifyPass]").click();
      const dialog = office.locator(".ant-modal").filter({ has: office.locator("[data-testid=step-dialog]") });
      await dialog.waitFor();
      await dialog.locator("[data-testid=step-ok]").click();
      await dialog.waitFor({ state: "detached" });
      await consoleStatusIs(office, "已核查");
      const closed = await apiFrom(office, "POST", `/api/cases/${caseId}/close`, { note: "核查通过，予以结案" });
      assert(closed.status === 200 && closed.json.status === "closed", `close answered ${closed.status}: ${JSON.stringify(closed.json)}`);
    });

    await step("the resident sees every step and rates the result", async () => {
      await resident.goto(`${baseUrl}/resident/cases/${caseId}`);
      await statusIs(resident, "已结案");
      const rating = resident.locator("[data-testid=case-rating-form]");
      await rating.waitFor();
      const timeline = await resident.locator("[data-testid=case-timeline]").innerText();
      for (const label of ["立案", "派遣", "签收", "处置反馈", "核查通过", "结案"]) assert(timeline.includes(label), `the timeline lacks ${label}: ${timeline}`);
      await shot(resident, "cases-resident-rating-phone.png", rating);
      await rating.locator("[data-testid=case-rate-submit]").click();
      await rating.getByText("请选择是否解决和满意程度").waitFor();
      await rating.locator("[data-testid=case-rate-resolved]").getByText("已解决", { exact: true }).click();
      await rating.locator("[data-testid=case-rate-rating]").getByText("满意", { exact: true }).click();
      await rating.locator("[data-testid=case-rate-submit]").click();
      await statusIs(resident, "已评价");
      await resident.locator("[data-testid=case-my-rating]").getByText("满意").waitFor();
      assert((await resident.locator("[data-testid=case-reopen]").count()) === 0, "a satisfied resident is offered a reopen");
      await shot(resident, "cases-resident-timeline-phone.png", resident.locator("[data-testid=case-timeline]"));
      await noSideScroll(resident);
    });

    await step("the report form reads well on a desktop screen", async () => {
      await resident.setViewportSize({ width: 1280, height: 800 });
      await resident.goto(`${baseUrl}/resident/report`);
      await resident.locator("[data-testid=case-top-category]").waitFor();
      await resident.locator("[data-testid=case-where]").waitFor();
      await resident.screenshot({ path: path.join(shotDir, "cases-report-form-desktop.png") });
    });

    await residentCtx.close();
    await workerCtx.close();
    await deskCtx.close();
    await step("no external requests, page errors or console errors", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
