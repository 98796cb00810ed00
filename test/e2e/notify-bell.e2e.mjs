// End-to-end: notices for staff. A resident reports a problem (API) and the street administrator
// registers it (API), then blows the whistle (吹哨) on a department in the case page (UI). The
// department's console, open all along, shows the new notice on its bell without reloading (the
// SSE stream refetches the count; the fallback poll is two minutes, longer than the wait here),
// and the drawer lists 吹哨报到 with the case number. Then 通知设置 shows the switches.
// Changes the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/notify-bell.e2e.mjs
import path from "node:path";
import { apiFrom, assert, baseUrl, desktop, launch, run, shotDir, signedIn, step, timeout, waitUntil } from "./harness.mjs";

const department = "武侯区住房和城乡建设局";

/** The unread count the bell announces (its accessible name), 0 when none. */
async function bellCount(page) {
  const label = (await page.locator("[data-testid=inbox-bell]").first().getAttribute("aria-label")) ?? "";
  const m = /(\d+) 条未读/.exec(label);
  return m ? Number(m[1]) : 0;
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    const resident = await signedIn(browser, "resident", desktop, problems);
    const street = await signedIn(browser, "streetadmin", desktop, problems);
    // The department's computer is set to New York time: the bell must still show China time.
    const dept = await signedIn(browser, "deptstaff", desktop, problems, false, { timezoneId: "America/New_York" });
    let caseId = "";
    let caseNo = "";
    let before = 0;

    await step("the department's console is open with its bell", async () => {
      await dept.page.goto(`${baseUrl}/console/summons`, { waitUntil: "domcontentloaded" });
      await dept.page.locator("[data-testid=inbox-bell]").first().waitFor({ timeout });
      // Wait for the first count, then mark the page: a reload would lose the mark.
      await waitUntil(async () => (await apiFrom(dept.page, "GET", "/api/inbox?unread=true")).status === 200, "the inbox does not answer");
      before = (await apiFrom(dept.page, "GET", "/api/inbox?unread=true")).json.unreadCount;
      await waitUntil(async () => (await bellCount(dept.page)) === before, `the bell does not show ${before}`);
      await dept.page.evaluate('document.body.dataset.notReloaded = "yes"');
      // Give the stream time to open (it is opened by the bell on mount).
      await dept.page.waitForTimeout(1500);
    });

    await step("a resident reports a problem and the street administrator registers it (API)", async () => {
      const persons = await apiFrom(resident.page, "GET", "/api/persons?pageSize=1");
      const household = await apiFrom(resident.page, "GET", `/api/households/${persons.json.items[0].householdId}`);
      const res = await apiFrom(resident.page, "POST", "/api/cases", {
        categoryCode: "0101",
        description: "楼道口的路面塌了一个大坑，电动车经过很危险，需要尽快修补",
        buildingId: household.json.buildingId,
        contactName: "王师傅",
        contactPhone: "13812345678",
        idempotencyKey: `notify-e2e-${Date.now()}`,
      });
      assert(res.status === 201, `POST /api/cases answered ${res.status}: ${JSON.stringify(res.json)}`);
      caseId = res.json.id;
      caseNo = res.json.caseNo;
      const reg = await apiFrom(street.page, "POST", `/api/cases/${caseId}/register`, { note: "情况属实，予以立案" });
      assert(reg.status === 200, `register answered ${reg.status}: ${JSON.stringify(reg.json)}`);
    });

    await step("the street administrator blows the whistle on the department (UI)", async () => {
      const page = street.page;
      await page.goto(`${baseUrl}/console/cases/${caseId}`, { waitUntil: "domcontentloaded" });
      await page.locator("[data-testid=action-whistle]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=whistle-reason]") });
      await dialog.waitFor({ timeout });
      await dialog.locator("[data-testid=whistle-departments]").click();
      await page.locator(".ant-select-item-option", { hasText: department }).first().click();
      await dialog.locator("[data-testid=whistle-reason]").fill("路面塌陷需住建部门到场查看修复");
      await dialog.locator(".ant-modal-title").click();
      await waitUntil(async () => (await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)").count()) === 0, "the department list stays open");
      await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
      await dialog.waitFor({ state: "hidden", timeout });
      await page.locator("[data-testid=case-summons]", { hasText: department }).waitFor({ timeout });
    });

    await step("the department's bell shows the new notice without reloading", async () => {
      await waitUntil(async () => (await bellCount(dept.page)) === before + 1, `the bell does not go from ${before} to ${before + 1}`);
      assert(await dept.page.evaluate('document.body.dataset.notReloaded === "yes"'), "the department's page was reloaded");
      await dept.page.locator("[data-testid=inbox-bell]").first().click();
      const item = dept.page.locator("[data-testid=inbox-item]", { hasText: caseNo }).first();
      await item.waitFor({ timeout });
      const text = (await item.textContent()) ?? "";
      assert(text.includes("吹哨报到") && text.includes("吹哨召集本部门"), `the notice reads ${text}`);
      // Shown in China time (as the timeline and the deadlines are), not the device's New York time.
      const listed = (await apiFrom(dept.page, "GET", "/api/inbox?unread=true")).json.items.find((i) => JSON.stringify(i).includes(caseNo));
      assert(listed, "the notice is not in the inbox answer");
      const [china, device] = await dept.page.evaluate((iso) => {
        const opts = { month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
        const d = new Date(iso);
        return [d.toLocaleString("zh-CN", { ...opts, timeZone: "Asia/Shanghai" }), d.toLocaleString("zh-CN", opts)];
      }, listed.createdAt);
      assert(china !== device, "the device time zone does not differ from China time");
      assert(text.includes(china) && !text.includes(device), `the notice's time is not China time ${china}: ${text}`);
      await dept.page.screenshot({ path: path.join(shotDir, "notify-bell-department.png") });
    });

    await step("通知设置 lists every kind, all on", async () => {
      await dept.page.locator("[data-testid=inbox-settings-open]").click();
      const settings = dept.page.locator("[data-testid=inbox-settings]");
      await settings.waitFor({ timeout });
      await dept.page.locator("[data-testid=notice-kind-work\\.summoned]").waitFor({ timeout });
      const text = (await settings.textContent()) ?? "";
      for (const label of ["吹哨召集", "新派给我的工作", "临期提醒", "超期提醒"]) assert(text.includes(label), `通知设置 has no ${label}`);
      assert((await dept.page.locator("[data-testid=inbox-settings] .ant-switch-checked").count()) === 6, "not every kind is on");
    });

    const serious = problems.filter((p) => !/favicon|ResizeObserver/.test(p));
    assert(serious.length === 0, `page problems: ${serious.join("; ")}`);
  } finally {
    await browser.close();
  }
}

await run(main);
