// End-to-end: the console home (工作台) of each console role — its to-do cards (我的待办) with counts,
// no "coming soon" list; a card opens the list filtered to exactly those, with as many rows as the
// card said. Screenshots home-<login>.png at 1366×900.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/home.e2e.mjs
import path from "node:path";
import { assert, launch, run, settled, shotDir, signedIn, step, timeout, waitUntil } from "./harness.mjs";

const viewport = { width: 1366, height: 900 };

/** The count shown on a to-do card. */
async function cardCount(page, key) {
  return Number((await page.getByTestId(`todo-${key}`).getByTestId("todo-count").innerText()).trim());
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    for (const username of ["communityworker", "streetadmin", "deptstaff", "secretary", "admin"]) {
      await step(`${username}: the home lists to-dos with counts, no coming-soon list`, async () => {
        const { ctx, page } = await signedIn(browser, username, viewport, problems);
        try {
          await page.waitForURL(/\/console$/, { timeout });
          await page.getByTestId("todos").waitFor({ timeout });
          await settled(page);
          const text = await page.getByTestId("console-home").innerText();
          assert(!text.includes("即将推出") && !text.includes("建设中"), `${username}'s home still announces coming features`);
          assert(text.includes("我的待办"), `${username}'s home has no 我的待办`);
          await page.screenshot({ path: path.join(shotDir, `home-${username}.png`) });
        } finally {
          await ctx.close();
        }
      });
    }

    await step("communityworker: a card opens the case queue filtered, with as many rows as it counts", async () => {
      const { ctx, page } = await signedIn(browser, "communityworker", viewport, problems);
      try {
        await page.getByTestId("todo-cases.overdue").waitFor({ timeout });
        const n = await cardCount(page, "cases.overdue");
        await page.getByTestId("todo-cases.overdue").click();
        await page.waitForURL(/\/console\/cases\?/, { timeout });
        await settled(page);
        const total = await waitUntil(async () => {
          if (n === 0) return (await page.locator(".ant-empty").count()) > 0 ? "0" : null;
          const t = await page.locator(".ant-pagination-total-text").first().textContent().catch(() => null);
          return t?.match(/\d+/)?.[0] ?? null;
        }, "the case queue shows no total");
        assert(Number(total) === n, `the card says ${n}, the queue shows ${total}`);
      } finally {
        await ctx.close();
      }
    });

    await step("deptstaff: 吹哨待报到 opens the summons queue of that step", async () => {
      const { ctx, page } = await signedIn(browser, "deptstaff", viewport, problems);
      try {
        await page.getByTestId("todo-summons.toReportIn").click();
        await page.waitForURL(/\/console\/summons\?mine=reportIn/, { timeout });
        await page.getByTestId("summons-mine-filter").waitFor({ timeout });
      } finally {
        await ctx.close();
      }
    });

    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
