// End-to-end: 双找 — a resident who is a party member registers from the resident face (phone),
// the community worker confirms it in the console queue, the funnel counts it and the resident
// sees the answer; then the party organization detail page with its posts.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/party.e2e.mjs
import path from "node:path";
import { assert, baseUrl, desktop, launch, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    const residentCtx = await browser.newContext({ viewport: phone, locale: "zh-CN" });
    const resident = await residentCtx.newPage();
    watchPage(resident, problems);

    await step("a resident registers as an in-service member reporting in (双报到)", async () => {
      await submitLogin(resident, "resident");
      await resident.waitForURL(/\/resident(\/|$)/, { timeout });
      await resident.getByTestId("resident-party-link").click();
      await resident.waitForURL(/\/resident\/party$/, { timeout });
      await resident.getByTestId("party-org-name").locator("input").fill("武侯区教育局机关党委");
      await resident.getByTestId("party-phone").locator("input").fill("13812345678");
      await resident.getByTestId("party-register-submit").click();
      await resident.getByTestId("my-registration-status").first().waitFor({ timeout });
      const status = await resident.getByTestId("my-registration-status").first().innerText();
      assert(status.includes("待确认"), `the registration shows "${status}", not 待确认`);
      await resident.getByTestId("party-pending-note").waitFor({ timeout });
      await resident.screenshot({ path: path.join(shotDir, "resident-party-registered-phone.png"), fullPage: true });
    });

    const workerCtx = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const worker = await workerCtx.newPage();
    watchPage(worker, problems);

    await step("the community worker confirms it in the queue; the funnel counts it with its formula", async () => {
      await submitLogin(worker, "communityworker");
      await worker.waitForURL(/\/console(\/|$)/, { timeout });
      await worker.goto(`${baseUrl}/console/party/registrations`, { waitUntil: "domcontentloaded" });
      await worker.getByTestId("reg-confirm").first().waitFor({ timeout });
      const before = await worker.getByTestId("reg-confirm").count();
      await worker.getByTestId("reg-confirm").first().click();
      const dialog = worker.locator(".ant-modal-content", { hasText: "确认「" });
      await dialog.waitFor({ timeout });
      await dialog.locator(".ant-btn-primary").click();
      await waitUntil(async () => (await worker.getByTestId("reg-confirm").count()) === before - 1, "the confirmed registration is still pending");
      const funnel = await worker.getByTestId("party-funnel").innerText();
      assert(funnel.includes("已确认数 / 已处理数"), `the confirmation rate shows no formula: ${funnel}`);
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-party-registrations-desktop.png"), fullPage: true });
    });

    await step("the resident sees the registration confirmed", async () => {
      await resident.reload({ waitUntil: "domcontentloaded" });
      await waitUntil(async () => (await resident.getByTestId("my-registration-status").first().innerText()).includes("已确认"), "the resident does not see 已确认");
      await resident.screenshot({ path: path.join(shotDir, "resident-party-confirmed-phone.png"), fullPage: true });
    });

    await step("the member list shows the report-in; the party committee's page lists its posts and children", async () => {
      await worker.goto(`${baseUrl}/console/party/members`, { waitUntil: "domcontentloaded" });
      await worker.locator(".ant-table-row").first().waitFor({ timeout });
      await worker.goto(`${baseUrl}/console/organizations`, { waitUntil: "domcontentloaded" });
      await worker.getByTestId("org-node").first().waitFor({ timeout });
      await worker.getByTestId("org-node").first().locator("a").first().click();
      await worker.getByTestId("organization-page").waitFor({ timeout });
      await worker.getByTestId("org-posts").waitFor({ timeout });
      const children = await worker.getByTestId("org-children").innerText();
      assert(children.includes("网格党支部"), "the committee's page does not list its grid branches");
      await settled(worker);
      await worker.screenshot({ path: path.join(shotDir, "console-organization-desktop.png"), fullPage: true });
    });

    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
