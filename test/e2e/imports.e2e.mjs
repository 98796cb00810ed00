// End-to-end: the ledger import wizard in the console — choose the households ledger and the
// community, upload a small .csv with one bad row and one unknown column, ignore the column,
// read the report (row, column, reason), fix the file, check again, import with progress, and
// see the result; the page on a phone.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/imports.e2e.mjs
import path from "node:path";
import ExcelJS from "exceljs";
import { assert, baseUrl, desktop, launch, phone, run, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

/** The first sheet of an .xlsx fetched by the page (with its session), as objects keyed by header. */
async function sheetFromPage(page, url) {
  const b64 = await page.evaluate(async (u) => {
    const res = await fetch(u, { credentials: "same-origin" });
    if (!res.ok) throw new Error(`${u} answered ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    let s = "";
    for (const b of bytes) s += String.fromCharCode(b);
    return btoa(s);
  }, url);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(b64, "base64"));
  const ws = book.worksheets[0];
  const headers = ws.getRow(1).values.slice(1).map(String);
  const out = [];
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const values = row.values.slice(1);
    out.push(Object.fromEntries(headers.map((h, i) => [h, values[i] === undefined || values[i] === null ? "" : String(values[i])])));
  });
  return out;
}

async function chooseOption(page, testId, label) {
  await page.getByTestId(testId).click();
  await page.locator(".ant-select-dropdown:visible .ant-select-item-option", { hasText: label }).first().click();
}

async function uploadCsv(page, name, text) {
  await page.locator("input[type=file]").setInputFiles({ name, mimeType: "text/csv", buffer: Buffer.from(text, "utf8") });
}

async function main() {
  const browser = await launch();
  const problems = [];
  const context = await browser.newContext({ viewport: desktop, locale: "zh-CN", acceptDownloads: true });
  const page = await context.newPage();
  watchPage(page, problems);
  let csvGood = "";
  let csvBad = "";

  await step("a community worker opens 台账导入导出 from the menu", async () => {
    await submitLogin(page, "communityworker");
    await page.waitForURL(/\/console(\/|$)/, { timeout });
    await page.getByRole("menuitem", { name: "台账导入导出" }).click();
    await page.waitForURL(/\/console\/imports$/, { timeout });
    await page.getByTestId("import-kind").waitFor({ timeout });
    await waitUntil(async () => (await page.getByTestId("import-area").textContent())?.includes("社区"), "no community chosen");
    await waitUntil(async () => page.getByTestId("import-next").isEnabled(), "the next step stays disabled");
    await page.mouse.move(700, 700);
    await page.screenshot({ path: path.join(shotDir, "imports-choose.png"), fullPage: true });
  });

  await step("finds a registered building with a free room (from the exports)", async () => {
    const me = await page.evaluate(async () => (await fetch("/api/auth/me")).json());
    const areaId = me.user.grants[0].areaId;
    const buildings = await sheetFromPage(page, `/api/exports/buildings?areaId=${areaId}`);
    assert(buildings.length > 0, "the community has no buildings");
    const households = await sheetFromPage(page, `/api/exports/households?areaId=${areaId}`);
    const b = buildings[0];
    const taken = new Set(households.filter((h) => h["小区"] === b["小区"] && h["楼栋"] === b["楼栋名称"]).map((h) => `${h["单元"]}/${h["房号"]}`));
    const floors = Number(b["层数"]);
    let room = "";
    for (let r = 90; r < 99 && !room; r++) if (!taken.has(`1单元/${floors}${r}`)) room = `${floors}${r}`;
    assert(room, "no free room found");
    const header = "小区,楼栋,单元,房号,户主姓名,户人数,楼长";
    csvBad = `${header}\n${b["小区"]},${b["楼栋名称"]},1,${room},测试户主,2,\n${b["小区"]},不存在的楼,1,101,测试户主乙,3,\n`;
    csvGood = `${header}\n${b["小区"]},${b["楼栋名称"]},1,${room},测试户主,2,\n`;
  });

  await step("uploads a ledger: the columns are matched, the unknown one flagged, then ignored", async () => {
    await page.getByTestId("import-next").click();
    await uploadCsv(page, "户台账.csv", csvBad);
    await page.getByTestId("import-mapping").waitFor({ timeout });
    await page.getByTestId("import-undecided").waitFor({ timeout });
    assert((await page.getByTestId("import-undecided").textContent()).includes("楼长"), "the unknown column is not flagged");
    assert(await page.getByTestId("import-check").isDisabled(), "checking is possible with an undecided column");
    await page.screenshot({ path: path.join(shotDir, "imports-mapping.png"), fullPage: true });
    await chooseOption(page, "map-楼长", "忽略这一列");
    await waitUntil(async () => (await page.getByTestId("import-undecided").count()) === 0, "the column is still undecided");
  });

  await step("the check lists the bad row with its column and reason, writing nothing", async () => {
    await page.getByTestId("import-check").click();
    await page.getByTestId("import-rejected").waitFor({ timeout });
    const text = await page.getByTestId("import-problems").textContent();
    assert(text.includes("3") && text.includes("楼栋") && text.includes("不存在的楼"), `the report does not name row 3 and its building: ${text}`);
    assert(!text.includes("测试户主"), "the report shows a name");
    const download = page.waitForEvent("download", { timeout });
    await page.getByTestId("import-report").click();
    assert((await download).suggestedFilename().endsWith(".xlsx"), "the report is not an .xlsx");
    await page.screenshot({ path: path.join(shotDir, "imports-report.png"), fullPage: true });
  });

  await step("the fixed file passes the check and is imported with progress", async () => {
    await page.getByTestId("import-reupload").click();
    await uploadCsv(page, "户台账-修改后.csv", csvGood);
    await page.getByTestId("import-mapping").waitFor({ timeout });
    await chooseOption(page, "map-楼长", "忽略这一列");
    await page.getByTestId("import-check").click();
    await page.getByTestId("import-checked").waitFor({ timeout });
    await page.getByTestId("import-run").click();
    await page.getByTestId("import-done").waitFor({ timeout });
    assert((await page.getByTestId("import-done").textContent()).includes("已导入 1 条"), "the result does not say 1 record");
    await page.screenshot({ path: path.join(shotDir, "imports-done.png"), fullPage: true });
  });

  await step("the wizard fits a phone", async () => {
    await page.setViewportSize(phone);
    await page.getByTestId("import-again").click();
    await page.getByTestId("import-kind").waitFor({ timeout });
    const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
    assert(overflow <= 1, `the page scrolls sideways by ${overflow}px on a phone`);
    await page.screenshot({ path: path.join(shotDir, "imports-phone.png"), fullPage: true });
  });

  await step("no external requests, page errors or ID numbers in URLs", async () => {
    assert(problems.length === 0, problems.join("\n"));
  });
  await browser.close();
  void baseUrl;
}

await run(main);
