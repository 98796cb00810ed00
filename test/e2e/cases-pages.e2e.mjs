// End-to-end: the case pages around the closed loop. 案件分类: a street administrator starts a
// revision, changes a sub-category's handling limit in the drawer, gives another one a
// single-choice question (附加信息; on a phone too) and publishes it. 考核指标: the
// table's rates and formulas agree with the API. 吹哨报到: a department reports in to a summons.
// 巡查上报: a grid worker reports a problem from patrol on the phone, answering that question. The public board of a
// community lists its cases with no phone number and nothing the reporters wrote. 导入12345工单:
// a two-row sheet made from the API's template is checked, imported and found in the queue.
// Changes the demo street: run it against a fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/cases-pages.e2e.mjs
import path from "node:path";
import zlib from "node:zlib";
import { apiFrom, assert, baseUrl, desktop, launch, phone, pickPointInGrid, run, shotDir, signedIn, step, timeout, waitUntil, watchPage } from "./harness.mjs";

/** GET that must answer 200; returns the JSON. */
async function getJson(page, url) {
  const res = await apiFrom(page, "GET", url);
  assert(res.status === 200, `GET ${url} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

/** The text of every file in a .zip (an .xlsx), by name. */
function unzipTexts(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert(eocd >= 0, "the template is not a zip file");
  const entries = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out = {};
  for (let i = 0; i < entries; i++) {
    assert(buf.readUInt32LE(p) === 0x02014b50, "a broken zip directory");
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString("utf8");
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    out[name] = (method === 8 ? zlib.inflateRawSync(data) : data).toString("utf8");
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** The header row of the template: the strings of its first sheet's first row, in order. */
function templateHeaders(xlsx) {
  const files = unzipTexts(xlsx);
  const sheetName = Object.keys(files).find((n) => /^xl\/worksheets\/[^/]+\.xml$/.test(n));
  assert(sheetName, "the template has no sheet");
  const unescape = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, "&");
  const shared = [...(files["xl/sharedStrings.xml"] ?? "").matchAll(/<(?:\w+:)?si>([\s\S]*?)<\/(?:\w+:)?si>/g)].map((m) =>
    [...m[1].matchAll(/<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/g)].map((t) => unescape(t[1])).join(""),
  );
  const firstRow = /<(?:\w+:)?row\b[^>]*>([\s\S]*?)<\/(?:\w+:)?row>/.exec(files[sheetName]);
  assert(firstRow, "the template has no header row");
  return [...firstRow[1].matchAll(/<(?:\w+:)?c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:\w+:)?c>)/g)].map((c) => {
    const attrs = c[1];
    const inner = c[2] ?? "";
    if (/t="s"/.test(attrs)) return shared[Number(/<(?:\w+:)?v>(\d+)</.exec(inner)?.[1])] ?? "";
    const t = /<(?:\w+:)?t(?:\s[^>]*)?>([\s\S]*?)<\/(?:\w+:)?t>/.exec(inner) ?? /<(?:\w+:)?v>([\s\S]*?)</.exec(inner);
    return t ? unescape(t[1]) : "";
  });
}

const csvCell = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** China time "2026-11-20 09:15", `minutesAgo` minutes ago. */
function chinaTime(minutesAgo) {
  return new Date(Date.now() - minutesAgo * 60_000 + 8 * 3600_000).toISOString().slice(0, 16).replace("T", " ");
}

/** A phone number as a whole number of 11 digits starting with 1 (not part of a longer number such as a case number). */
const phonePattern = /(?<!\d)1\d{10}(?!\d)/;

async function main() {
  const browser = await launch();
  const problems = [];
  const run36 = Date.now().toString(36);
  try {
    console.log(`e2e (case pages) against ${baseUrl}`);
    const admin = await signedIn(browser, "streetadmin", desktop, problems);
    const page = admin.page;
    /** The sub-category given a question by the 案件分类 step, for the patrol step: { code, name, attribute }. */
    let asked = null;

    await step("案件分类: a revision draft, one sub-category's handling limit changed in the drawer, another given a single-choice question (read back from the API), published", async () => {
      const before = await getJson(page, "/api/case-catalogues");
      const active = before.items.find((c) => c.status === "active");
      assert(active, "no catalogue version in use");
      // A draft left from an earlier run would hide 新建修订草稿: discard it.
      for (const d of before.items.filter((c) => c.status === "draft")) {
        const res = await apiFrom(page, "DELETE", `/api/case-catalogues/${d.id}`);
        assert(res.status === 200 || res.status === 204, `discarding an old draft answered ${res.status}`);
      }
      await page.goto(`${baseUrl}/console/case-categories`);
      await page.locator("[data-testid=case-catalogue-page]").waitFor();
      await page.locator("[data-testid=new-draft]").click();
      await page.waitForURL((u) => u.searchParams.has("id"), { timeout });
      const draftId = new URL(page.url()).searchParams.get("id");
      const draft = await getJson(page, `/api/case-catalogues/${draftId}`);
      assert(draft.catalogue.status === "draft" && draft.catalogue.version > active.version, `the new version is not a later draft: ${JSON.stringify(draft.catalogue)}`);
      await page.getByText("修订草稿", { exact: true }).first().waitFor();

      // The first sub-category of the first top-level category (its row is open by default).
      const tops = draft.items.filter((c) => c.parentId === null && c.active).sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code));
      const sub = draft.items
        .filter((c) => c.parentId === tops[0].id && c.active && c.handleLimit)
        .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))[0];
      assert(sub, "the first top-level category has no sub-category with a handling limit");
      const newValue = sub.handleLimit.value >= 999 ? sub.handleLimit.value - 1 : sub.handleLimit.value + 1;
      await page.locator(`[data-testid=edit-${sub.code}]`).click();
      const drawer = page.locator(".ant-drawer-content").filter({ has: page.locator("[data-testid=category-form]") });
      await drawer.waitFor();
      const limit = drawer.locator("input[data-testid=handle-limit-value], [data-testid=handle-limit-value] input").first();
      await waitUntil(async () => (await limit.inputValue()) === String(sub.handleLimit.value), "the drawer does not show the current handling limit");
      await limit.fill(String(newValue));
      await page.screenshot({ path: path.join(shotDir, "cases-catalogue-drawer.png") });
      await drawer.locator("[data-testid=category-save]").click();
      await drawer.waitFor({ state: "hidden" });
      await waitUntil(
        async () => ((await page.locator(`tr[data-row-key="${sub.id}"]`).innerText().catch(() => "")) ?? "").includes(String(newValue)),
        "the table does not show the new handling limit",
      );

      // 附加信息: the next sub-category gets a required single-choice question with two options.
      const second = draft.items
        .filter((c) => c.parentId === tops[0].id && c.active && c.id !== sub.id)
        .sort((a, b) => a.sortOrder - b.sortOrder || a.code.localeCompare(b.code))[0];
      assert(second, "the first top-level category has no second sub-category");
      const question = `现场是否还有人在倾倒（e2e ${run36}）`;
      const options = ["还在倾倒", "已经停了"];
      await page.locator(`[data-testid=edit-${second.code}]`).click();
      const drawer2 = page.locator(".ant-drawer-content").filter({ has: page.locator("[data-testid=category-form]") });
      await drawer2.waitFor();
      const n = second.attributes.length;
      await drawer2.locator("[data-testid=attribute-add]").click();
      const card = drawer2.locator(`[data-testid=attribute-${n}]`);
      await card.waitFor();
      const input = (id) => card.locator(`input[data-testid=${id}], [data-testid=${id}] input`);
      await input("attribute-description").first().fill(question);
      assert(((await card.locator("[data-testid=attribute-datatype]").innerText()) ?? "").includes("单选"), "a new question is not a single choice");
      for (const [i, name] of options.entries()) await input("attribute-option-name").nth(i).fill(name);
      const attributeCode = await input("attribute-code").first().inputValue();
      assert(/^[A-Za-z0-9_]+$/.test(attributeCode), `the new question has no usable code: ${attributeCode}`);
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shotDir, "cases-catalogue-attribute-drawer.png") });
      // A refusal naming the field attributes (the server's catalogue check) is shown with the questions, and the drawer stays open.
      const categoryUrl = `**/api/case-catalogues/${draftId}/categories/${second.id}`;
      const refusal = "类别设置有误：附加信息的编码不能重复";
      await page.route(
        categoryUrl,
        (route) =>
          route.request().method() === "PATCH"
            ? route.fulfill({ status: 400, contentType: "application/json", body: JSON.stringify({ code: "category_invalid", message: refusal, field: "attributes", requestId: "e2e-refusal" }) })
            : route.continue(),
        { times: 1 },
      );
      await drawer2.locator("[data-testid=category-save]").click();
      await drawer2.locator("[data-testid=category-attributes]").getByText(refusal).waitFor();
      await page.unroute(categoryUrl);
      await drawer2.locator("[data-testid=category-save]").click();
      await drawer2.waitFor({ state: "hidden" });
      const saved = (await getJson(page, `/api/case-catalogues/${draftId}`)).items.find((c) => c.id === second.id);
      const attribute = saved?.attributes.find((a) => a.code === attributeCode);
      assert(
        attribute &&
          attribute.datatype === "singlevaluelist" &&
          attribute.required === true &&
          attribute.variable === true &&
          attribute.description === question &&
          attribute.order === n + 1 &&
          JSON.stringify(attribute.values.map((v) => v.name)) === JSON.stringify(options) &&
          new Set(attribute.values.map((v) => v.key)).size === options.length,
        `the draft does not hold the question as entered: ${JSON.stringify(saved?.attributes)}`,
      );
      assert(saved.attributes.length === n + 1, `the draft has ${saved.attributes.length} questions on ${second.code}, expected ${n + 1}`);

      // The same drawer on a phone: the saved question is loaded back and fits the width.
      const phoneAdmin = await signedIn(browser, "streetadmin", phone, problems, true);
      await phoneAdmin.page.goto(`${baseUrl}/console/case-categories?id=${draftId}`);
      await phoneAdmin.page.locator(`[data-testid=edit-${second.code}]`).click();
      const phoneCard = phoneAdmin.page.locator(`.ant-drawer-content [data-testid=attribute-${n}]`);
      await phoneCard.waitFor();
      const phoneQuestion = phoneCard.locator("input[data-testid=attribute-description], [data-testid=attribute-description] input").first();
      await waitUntil(async () => (await phoneQuestion.inputValue()) === question, "the phone drawer does not load the saved question");
      // Once the drawer has slid in, the card lies within the screen's width.
      const fits = async () => {
        const box = await phoneCard.boundingBox();
        return box !== null && box.x >= 0 && box.x + box.width <= phone.width;
      };
      await waitUntil(fits, "the question card does not fit within the phone's width");
      await phoneCard.scrollIntoViewIfNeeded();
      await phoneAdmin.page.screenshot({ path: path.join(shotDir, "cases-catalogue-attribute-drawer-phone.png") });
      await phoneAdmin.ctx.close();

      await page.locator("[data-testid=publish]").click();
      const confirm = page.locator(".ant-modal-confirm");
      await confirm.waitFor();
      // The click and the server's answer to the request it sends are awaited together, so a
      // failure says which of the two did not happen; the dialog closes once the answer is in.
      const publishPath = `/api/case-catalogues/${draftId}/publish`;
      const [answer] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === publishPath),
        confirm.locator(".ant-btn-primary").click(),
      ]);
      assert(answer.status() === 200, `publishing answered ${answer.status()}: ${await answer.text()}`);
      await confirm.waitFor({ state: "detached" });
      await waitUntil(
        async () => ((await page.locator("[data-testid=case-catalogue-page] .ant-card-head").first().innerText().catch(() => "")) ?? "").includes("使用中"),
        "the published version is not shown as 使用中",
      );
      await page.screenshot({ path: path.join(shotDir, "cases-catalogue-published.png") });

      const after = await getJson(page, "/api/case-catalogues");
      const nowActive = after.items.filter((c) => c.status === "active");
      assert(nowActive.length === 1 && nowActive[0].id === draftId, `the new version is not the one in use: ${JSON.stringify(after.items.map((c) => [c.version, c.status]))}`);
      assert(after.items.find((c) => c.id === active.id)?.status === "retired", "the previous version was not retired");
      const tree = await getJson(page, "/api/case-categories");
      assert(tree.catalogue.id === draftId, "GET /api/case-categories does not answer with the new version");
      const changed = tree.items.flatMap((t) => t.children).find((c) => c.code === sub.code);
      assert(changed?.handleLimit?.value === newValue, `the published ${sub.code} has handling limit ${JSON.stringify(changed?.handleLimit)}, not ${newValue}`);
      const published = tree.items.flatMap((t) => t.children).find((c) => c.code === second.code);
      assert(published?.attributes.some((a) => a.code === attributeCode), `the category list residents use does not carry the question of ${second.code}`);
      asked = { code: second.code, name: second.name, attribute };
    });

    await step("考核指标: the rates of a month with data match GET /api/measures, and a formula opens from the header", async () => {
      const roots = await getJson(page, "/api/areas/roots");
      const street = roots.items[0];
      const china = new Date(Date.now() + 8 * 3600_000);
      const thisMonth = china.toISOString().slice(0, 7);
      const prev = new Date(Date.UTC(china.getUTCFullYear(), china.getUTCMonth() - 1, 1)).toISOString().slice(0, 7);
      const q = (month) => `/api/measures?unit=community&areaId=${street.id}&month=${month}&basicCounts=true`;
      const weight = (v) => v.rows.reduce((n, r) => n + Object.values(r.measures).reduce((m, x) => m + (x?.denominator ?? 0), 0), 0);
      // The previous month, closed and with data, exercises the month picker; this month if the previous one is sparse.
      let month = prev;
      let view = await getJson(page, q(prev));
      if (weight(view) < 20) {
        month = thisMonth;
        view = await getJson(page, q(thisMonth));
      }
      assert(weight(view) >= 20, `neither ${prev} nor ${thisMonth} has figures`);
      const row = view.rows.find((r) => Object.values(r.measures).some((x) => x && x.denominator > 0));
      assert(row, `no community has figures in ${month}`);
      const key = Object.keys(row.measures).find((k) => row.measures[k] && row.measures[k].denominator > 0);
      const ratio = row.measures[key];
      const formula = view.formulas.find((f) => f.key === key);
      assert(formula, `no formula for ${key}`);

      await page.goto(`${baseUrl}/console/measures`);
      await page.locator("[data-testid=measures-page]").waitFor();
      if (month !== thisMonth) {
        const input = page.locator("[data-testid=measures-page] .ant-picker input").first();
        await input.click();
        const panel = page.locator(".ant-picker-dropdown:not(.ant-picker-dropdown-hidden)");
        await panel.waitFor();
        // In January the previous month is in last year's panel.
        if (month.slice(0, 4) !== thisMonth.slice(0, 4)) await panel.locator(".ant-picker-header-super-prev-btn").click();
        await panel.locator(`td[title="${month}"]`).click();
        await waitUntil(async () => (await input.inputValue()) === month, `the month picker does not show ${month}`);
      }
      const tr = page.locator(`[data-testid=measures-page] tr[data-row-key="${row.unitId}"]`);
      await waitUntil(
        async () => ((await tr.locator(`[data-testid=rate-${key}]`).innerText().catch(() => "")) ?? "").replace(/\s/g, "").includes(`${ratio.numerator}/${ratio.denominator}`),
        `the ${key} cell of ${row.unitName} does not show ${ratio.numerator}/${ratio.denominator}`,
      );
      const rowText = await tr.innerText();
      assert(rowText.includes(row.unitName), `the row does not name ${row.unitName}`);
      const cell = (await tr.locator(`[data-testid=rate-${key}] .gz-measure-value`).innerText()).replace(/\s/g, "");
      const expected = ratio.value === null ? "—" : `${(ratio.value * 100).toLocaleString("zh-CN", { maximumFractionDigits: 1, minimumFractionDigits: 1 })}%`;
      assert(cell === expected, `the ${key} rate shows ${cell}, the API says ${expected}`);
      if (row.composite !== null) {
        const composite = await tr.locator("[data-testid=composite]").innerText();
        assert(composite.trim() === row.composite.toFixed(2), `the composite shows ${composite}, the API says ${row.composite}`);
      }
      // Each unit's 办件量, and units with too few cases said in words, after the ranked ones.
      const shownCount = (await tr.locator("[data-testid=case-count]").innerText()).trim();
      assert(shownCount === String(row.caseCount), `${row.unitName} shows ${shownCount} cases, the API says ${row.caseCount}`);
      const few = view.rows.find((r) => r.tooFewCases);
      if (few) {
        const fewText = await page.locator(`[data-testid=measures-page] tr[data-row-key="${few.unitId}"]`).innerText();
        assert(fewText.includes("样本不足"), `${few.unitName} (${few.caseCount} cases) is not marked 样本不足`);
      }
      const rule = await page.locator("[data-testid=measures-rank-rule]").innerText();
      assert(rule.includes(`少于 ${view.minCases} 件`) && rule.includes("不参与排名"), `the line under the table does not state the ranking rule: ${rule}`);
      await page.locator(`[data-testid=formula-${key}]`).first().hover();
      const popover = page.locator(".ant-popover:not(.ant-popover-hidden)").filter({ hasText: formula.formula.zh });
      await popover.waitFor();
      await waitUntil(async () => !/-(appear|enter|leave)/.test((await popover.getAttribute("class")) ?? ""), "the formula popover does not settle");
      await page.screenshot({ path: path.join(shotDir, "cases-measures-formula.png") });
    });

    await step("考核指标 opens for a community worker on their grids in the latest month with cases, not on an empty table", async () => {
      const office = await signedIn(browser, "communityworker", desktop, problems);
      const view = await getJson(office.page, "/api/measures");
      assert(view.unit === "grid" && view.monthSource === "latestWithData", `GET /api/measures chose ${view.unit} / ${view.monthSource}`);
      const counted = view.rows.filter((r) => r.caseCount > 0);
      assert(counted.length > 0, `no grid of the community has cases in ${view.month}`);
      await office.page.goto(`${baseUrl}/console/measures`);
      await office.page.locator("[data-testid=measures-page]").waitFor();
      const first = office.page.locator(`[data-testid=measures-page] tr[data-row-key="${counted[0].unitId}"]`);
      await first.waitFor();
      const input = office.page.locator("[data-testid=measures-page] .ant-picker input").first();
      await waitUntil(async () => (await input.inputValue()) === view.month, `the month picker does not show ${view.month}`);
      const chosen = await office.page.locator("[data-testid=measures-month-chosen]").innerText();
      assert(chosen.includes(view.month), `the page does not say it opened on ${view.month}: ${chosen}`);
      assert((await office.page.locator("[data-testid=measures-table] .ant-empty").count()) === 0, "the measures table is empty");
      await office.page.screenshot({ path: path.join(shotDir, "cases-measures-community.png"), fullPage: true });
      await office.ctx.close();
    });

    const dept = await signedIn(browser, "deptstaff", desktop, problems);

    await step("吹哨报到: the department's summons is listed under 待报到; 报到 moves it to 已报到", async () => {
      const waiting = await getJson(dept.page, "/api/summons?status=summoned&page=1&pageSize=50");
      const item = waiting.items.find((s) => s.abilities.reportIn);
      assert(item, `no summons waiting for deptstaff to report in (${waiting.total} listed)`);
      await dept.page.goto(`${baseUrl}/console/summons`);
      await dept.page.locator("[data-testid=summons-page]").waitFor();
      const search = dept.page.locator("[data-testid=summons-search] input, input[data-testid=summons-search]").first();
      await search.fill(item.case.caseNo);
      await search.press("Enter");
      const row = dept.page.locator("tr.ant-table-row", { hasText: item.case.caseNo });
      await row.waitFor();
      assert((await row.innerText()).includes("待报到"), "the summons is not shown as 待报到");
      await row.locator("[data-testid=summons-report-in]").click();
      const dialog = dept.page.locator(".ant-modal").filter({ has: dept.page.locator("[data-testid=report-in-note]") });
      await dialog.waitFor();
      await dialog.locator("[data-testid=report-in-note]").fill("已安排执法中队到场处置");
      await dept.page.screenshot({ path: path.join(shotDir, "cases-summons-report-in.png") });
      await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
      await dialog.waitFor({ state: "hidden" });
      await row.waitFor({ state: "detached" });
      await dept.page.locator("[data-testid=summons-tabs]").getByText("已报到", { exact: true }).click();
      const moved = dept.page.locator("tr.ant-table-row", { hasText: item.case.caseNo });
      await moved.waitFor();
      await waitUntil(async () => (await moved.locator("[data-testid=summons-finish]").count()) > 0, "the reported-in summons offers no 办结");
      const reported = await getJson(dept.page, `/api/summons?status=reportedIn&caseNo=${encodeURIComponent(item.case.caseNo)}&page=1&pageSize=20`);
      const found = reported.items.find((s) => s.id === item.id);
      assert(found && found.status === "reportedIn" && found.reportedInAt, `the API does not show the summons as reported in: ${JSON.stringify(found)}`);
    });
    await dept.ctx.close();

    const worker = await signedIn(browser, "gridworker", phone, problems, true);

    await step("巡查上报 on the phone: category, the category's question (required), description, a point in the grid; the case number is shown and the case's source is patrol", async () => {
      assert(asked, "the 案件分类 step did not add a question to a category");
      const tree = await getJson(worker.page, "/api/case-categories");
      const top = tree.items.find((t) => t.children.some((c) => c.code === asked.code));
      assert(top, `${asked.code} is not in the categories in use`);
      const sub = top.children.find((c) => c.code === asked.code);
      const description = `人行道上的井盖松动，踩上去会晃（巡查 e2e ${run36}）`;
      await worker.page.goto(`${baseUrl}/worker/tasks/patrol`);
      const form = worker.page.locator("[data-testid=case-report-form]");
      await form.waitFor();
      await form.locator("[data-testid=case-top-category]").getByText(top.name, { exact: true }).click();
      await form.locator("[data-testid=case-sub-category]").getByText(sub.name, { exact: true }).click();
      const questions = form.locator("[data-testid=case-attributes]");
      await questions.waitFor();
      const item = questions.locator(".adm-form-item", { hasText: asked.attribute.description });
      await item.waitFor();
      assert((await item.locator(".adm-form-item-required-asterisk").count()) === 1, "the required question is not marked as required");
      await form.locator("[data-testid=case-description] textarea").fill(description);
      await pickPointInGrid(form);
      await worker.page.screenshot({ path: path.join(shotDir, "cases-patrol-form-phone.png") });
      // Unanswered, the form stops at the question; answered, the answer goes with the report.
      const posts = [];
      const onRequest = (req) => {
        if (req.method() === "POST" && new URL(req.url()).pathname === "/api/cases") posts.push(req);
      };
      worker.page.on("request", onRequest);
      await form.locator("[data-testid=case-submit]").click();
      await item.getByText("请填写这一项").waitFor();
      await questions.scrollIntoViewIfNeeded();
      await worker.page.screenshot({ path: path.join(shotDir, "cases-patrol-question-phone.png") });
      assert(posts.length === 0, "the report was sent without the required answer");
      const choice = asked.attribute.values[1];
      await form.locator(`[data-testid=case-attribute-${asked.attribute.code}]`).getByText(choice.name, { exact: true }).click();
      await waitUntil(async () => (await item.getByText("请填写这一项").count()) === 0, "the answered question still shows its error");
      await form.locator("[data-testid=case-submit]").click();
      await waitUntil(async () => posts.length > 0, "no report was sent");
      worker.page.off("request", onRequest);
      const sent = posts[0].postDataJSON();
      assert(
        JSON.stringify(sent.attributes) === JSON.stringify({ [asked.attribute.code]: choice.key }),
        `the report sent the answers ${JSON.stringify(sent.attributes)}, not ${asked.attribute.code}=${choice.key}`,
      );
      await worker.page.waitForURL((u) => /^\/worker\/tasks\/[0-9a-f-]{36}$/.test(u.pathname), { timeout });
      const caseId = worker.page.url().split("/").pop();
      const no = worker.page.locator("[data-testid=worker-case] [data-testid=case-no]");
      await no.waitFor();
      const caseNo = ((await no.textContent()) ?? "").trim();
      assert(/^GZ\d{14}$/.test(caseNo), `no case number on the case page: ${caseNo}`);
      // The answer is on the case page, under its question, by the option's name.
      const answer = worker.page.locator("[data-testid=worker-case] [data-testid=case-answer]").filter({ hasText: asked.attribute.description });
      await answer.waitFor();
      assert((await answer.innerText()).includes(choice.name), `the case page does not show the answer ${choice.name}: ${await answer.innerText()}`);
      const caseText = await worker.page.locator("[data-testid=worker-case]").innerText();
      assert(caseText.includes("巡查发现，没有反映人") && !caseText.includes("未留姓名"), "the patrol case's page speaks of a reporter who left no name");
      await worker.page.screenshot({ path: path.join(shotDir, "cases-patrol-done-phone.png") });
      const kase = await getJson(worker.page, `/api/cases/${caseId}`);
      assert(kase.source === "patrol" && kase.caseNo === caseNo && kase.description === description, `the API shows ${JSON.stringify({ source: kase.source, caseNo: kase.caseNo })}`);
    });
    await worker.ctx.close();

    await step("the public board (no login) lists a community's cases with no phone number and nothing the reporters wrote", async () => {
      const office = await signedIn(browser, "communityworker", desktop, problems);
      const roots = await getJson(office.page, "/api/areas/roots");
      const community = roots.items.find((a) => a.level === "community") ?? roots.items[0];
      const queue = await getJson(office.page, `/api/cases?areaId=${community.id}&page=1&pageSize=40`);
      // A case with a contact phone; its phone is never revealed here, only known to exist.
      let withPhone = null;
      for (const item of queue.items) {
        const detail = await getJson(office.page, `/api/cases/${item.id}`);
        if (detail.reporter?.hasPhone && detail.community?.id === community.id) {
          withPhone = detail;
          break;
        }
      }
      assert(withPhone, `no case with a contact phone among ${queue.items.length} cases of ${community.name}`);
      await office.ctx.close();

      const ctx = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
      const pub = await ctx.newPage();
      pub.setDefaultTimeout(timeout);
      watchPage(pub, problems);
      await pub.goto(`${baseUrl}/public/communities`);
      await pub.locator("[data-testid=public-communities]").waitFor();
      await pub.locator("[data-testid=public-community]", { hasText: community.name }).first().click();
      await pub.waitForURL((u) => u.pathname === `/public/communities/${community.id}/cases`, { timeout });
      await pub.locator("[data-testid=board-case]").first().waitFor();
      assert(((await pub.locator("[data-testid=public-board] h1").textContent()) ?? "").includes(community.name), "the board does not name the community");
      // Find the case with a phone on the board (newest first), paging on if needed.
      let shown = false;
      for (let p = 0; p < 30 && !shown; p++) {
        const text = await pub.locator("[data-testid=public-board]").innerText();
        assert(!phonePattern.test(text), `a phone number appears on the public board: page ${p + 1}`);
        const snippet = withPhone.description.slice(0, 12);
        assert(!text.includes(snippet), "a reporter's description appears on the public board");
        if (withPhone.locationText) assert(!text.includes(withPhone.locationText), "a case's location text appears on the public board");
        if (withPhone.reporter?.name) assert(!text.includes(withPhone.reporter.name), "a reporter's name appears on the public board");
        if (text.includes(withPhone.caseNo)) {
          shown = true;
          break;
        }
        const next = pub.locator(".gz-public-pager button").last();
        if ((await next.count()) === 0 || (await next.isDisabled())) break;
        const first = await pub.locator("[data-testid=board-case]").first().innerText();
        await next.click();
        await waitUntil(async () => (await pub.locator("[data-testid=board-case]").first().innerText().catch(() => first)) !== first, "the next page of the board does not load");
      }
      assert(shown, `the case ${withPhone.caseNo} is not on the public board`);
      const html = await pub.content();
      assert(!phonePattern.test(html.replace(/<script[\s\S]*?<\/script>/g, "")), "a phone number is in the public board's page");
      await pub.screenshot({ path: path.join(shotDir, "cases-public-board-phone.png") });
      await ctx.close();
    });

    await step("导入12345工单: a two-row sheet from the template is checked, imported and found in the queue as 12345 热线", async () => {
      const roots = await getJson(page, "/api/areas/roots");
      const street = roots.items[0];
      const template = await page.request.get(`${baseUrl}/api/imports/hotline/template?areaId=${street.id}`);
      assert(template.status() === 200, `the template answered ${template.status()}`);
      const headers = templateHeaders(await template.body());
      for (const h of ["工单编号", "来电时间", "诉求类别", "诉求内容", "经度", "纬度"]) assert(headers.includes(h), `the template lacks the column ${h}: ${headers.join(",")}`);

      const some = await getJson(page, "/api/cases?page=1&pageSize=50");
      const gridIds = [...new Set(some.items.map((c) => c.gridId))];
      const points = [];
      for (const gridId of gridIds) {
        const b = await getJson(page, `/api/buildings?gridId=${gridId}`);
        if (b.items[0]) points.push(b.items[0]);
        if (points.length === 2) break;
      }
      assert(points.length >= 1, "no building found in the demo grids");
      const tree = await getJson(page, "/api/case-categories");
      const sub = tree.items.find((t) => t.children.length > 0).children[0];
      const tickets = [0, 1].map((i) => {
        const b = points[i % points.length];
        return {
          工单编号: `12345-E2E-${run36}-${i + 1}`,
          来电时间: chinaTime(90 - i * 30),
          诉求类别: sub.code,
          诉求内容: i === 0 ? `市民来电反映${b.name}附近路灯不亮，晚上出行不便` : `市民来电反映${b.name}楼下有人占道经营，影响通行`,
          经度: String(b.lng),
          纬度: String(b.lat),
          地址: `${b.compoundName}${b.name}`,
          联系人: "王先生",
          联系电话: "",
          紧急程度: "一般",
        };
      });
      const csv = [headers.map(csvCell).join(","), ...tickets.map((t) => headers.map((h) => csvCell(t[h] ?? "")).join(","))].join("\r\n") + "\r\n";

      await page.goto(`${baseUrl}/console/cases`);
      await page.locator("[data-testid=cases-page]").waitFor();
      await page.locator("[data-testid=open-hotline-import]").click();
      const dialog = page.locator(".ant-modal").filter({ has: page.locator("[data-testid=hotline-upload]") });
      await dialog.waitFor();
      await waitUntil(async () => ((await dialog.locator("[data-testid=hotline-area]").innerText().catch(() => "")) ?? "").includes(street.name), "the import area is not preset to the street");
      await dialog.locator("[data-testid=hotline-upload] input[type=file], input[type=file]").first().setInputFiles({ name: "12345工单.csv", mimeType: "text/csv", buffer: Buffer.from(`\ufeff${csv}`, "utf8") });
      await dialog.getByText("12345工单.csv").waitFor();
      await dialog.locator("[data-testid=hotline-check]").click();
      const report = page.locator("[data-testid=hotline-report]");
      await report.waitFor();
      const checked = await report.innerText();
      assert(checked.includes("全部校验通过"), `the check found problems: ${checked}`);
      const queueBefore = await getJson(page, "/api/cases?source=hotline&page=1&pageSize=1");
      await page.screenshot({ path: path.join(shotDir, "cases-hotline-checked.png") });
      await page.locator("[data-testid=hotline-run]").click();
      const done = page.locator(".ant-modal .ant-result-success");
      await done.waitFor();
      const doneText = await done.innerText();
      assert(doneText.includes("已导入 2 条工单"), `the import did not say 2 tickets: ${doneText}`);
      const caseNos = (await done.locator("a").allTextContents()).map((s) => s.trim());
      assert(caseNos.length === 2 && caseNos.every((n) => /^GZ\d{14}$/.test(n)), `the import lists ${caseNos.join(",")}`);
      const queueAfter = await getJson(page, "/api/cases?source=hotline&page=1&pageSize=1");
      assert(queueAfter.total === queueBefore.total + 2, `hotline cases went from ${queueBefore.total} to ${queueAfter.total}`);
      await page.screenshot({ path: path.join(shotDir, "cases-hotline-done.png") });
      await page.locator(".ant-modal-footer .ant-btn-primary").click();
      await dialog.waitFor({ state: "hidden" });

      await page.locator("[data-testid=case-tabs]").getByText("全部", { exact: true }).click();
      for (const caseNo of caseNos) {
        const search = page.locator("[data-testid=case-search] input, input[data-testid=case-search]").first();
        await search.fill(caseNo);
        await search.press("Enter");
        const row = page.locator("[data-testid=case-row]", { hasText: caseNo });
        await row.waitFor();
        assert((await row.innerText()).includes("12345 热线"), `the queue does not show ${caseNo} as 12345 热线`);
        const found = await getJson(page, `/api/cases?q=${caseNo}&source=hotline&page=1&pageSize=5`);
        assert(found.items.some((c) => c.caseNo === caseNo), `GET /api/cases?source=hotline does not find ${caseNo}`);
      }
      await page.screenshot({ path: path.join(shotDir, "cases-hotline-queue.png") });
    });

    await admin.ctx.close();
    await step("no external requests, page errors or console errors", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
