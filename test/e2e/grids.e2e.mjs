// End-to-end: grid boundaries in the console — splitting a grid by drawing a cutting line on the
// map (preview, name, confirm), the retired grid's history, the grids as they were on a past day,
// the GeoJSON import's report of bad features and its dry run with repairs, editing a grid's name and type, and a redrawn or
// newly drawn boundary the server refuses (its message shown, nothing changed). Changes the demo street: run it against a
// fresh server (scripts/e2e.mjs starts one per run).
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/grids.e2e.mjs
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { assert, baseUrl, desktop, launch, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

async function noSidewaysScroll(page) {
  const overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth");
  assert(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
}

/** A grid of the community worker's community, by the API (the same session as the page). */
async function firstGrid(page) {
  return page.evaluate(async () => {
    const roots = await (await fetch("/api/areas/roots")).json();
    const community = roots.items.find((a) => a.level === "community");
    const detail = await (await fetch(`/api/areas/${community.id}`)).json();
    return { communityId: community.id, communityName: community.name, grid: detail.children[0] };
  });
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (grids) against ${baseUrl}`);
    const desk = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await desk.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);
    await submitLogin(page, "communityworker");
    await page.waitForURL(/\/console(\/|$)/, { timeout });
    const { communityId, grid } = await firstGrid(page);
    const newNames = [`${grid.name}北片`, `${grid.name}南片`];

    await step("split: a cutting line drawn on the map previews the parts", async () => {
      await page.goto(`${baseUrl}/console/grids/${grid.id}`);
      await page.locator("[data-testid=grid-page]").waitFor();
      await settled(page);
      await page.locator("[data-testid=grid-split]").click();
      const map = page.locator("[data-testid=split-map]");
      await map.waitFor();
      // The grid being split is drawn in the selection colour; cut it across, west to east.
      const selected = map.locator('path.leaflet-interactive[stroke="#d4380d"]');
      await selected.first().waitFor();
      await page.waitForTimeout(300);
      const box = await selected.first().boundingBox();
      assert(box, "the grid is not drawn on the split map");
      const y = box.y + box.height / 2;
      await page.mouse.click(box.x - 8, y);
      await page.mouse.click(box.x + box.width / 2, y + 2);
      await page.mouse.click(box.x + box.width + 8, y);
      await page.getByText("已画 3 个点").waitFor();
      await page.locator("[data-testid=split-preview]").click();
      const parts = page.locator("[data-testid=split-parts] .ant-list-item");
      await waitUntil(async () => (await parts.count()) >= 2, "the preview lists no parts");
      await page.screenshot({ path: path.join(shotDir, "grids-split-preview-desktop.png") });
    });

    await step("split: the parts are named and the split is confirmed; the old grid keeps its history", async () => {
      const inputs = page.locator("[data-testid=split-parts] input[aria-label=网格名称]");
      const n = await inputs.count();
      for (let i = 0; i < Math.min(n, 2); i++) await inputs.nth(i).fill(newNames[i]);
      await page.locator("[data-testid=split-confirm]").click();
      await page.waitForURL(new RegExp(`/console/areas/${communityId}$`));
      await page.getByText(/已拆分为 \d+ 个网格/).waitFor();
      await page.goto(`${baseUrl}/console/grids/${grid.id}`);
      const retired = page.locator("[data-testid=grid-retired]");
      await retired.waitFor();
      const text = await retired.innerText();
      assert(/已于 \d{4}-\d{2}-\d{2} 停用/.test(text), `the retired notice says: ${text}`);
      assert(text.includes(newNames[0]), `the successors are not named: ${text}`);
      assert((await page.locator("[data-testid=grid-split]").count()) === 0, "a retired grid still offers splitting");
      // Its one boundary version is closed on the day of the split.
      await page.locator("[data-testid=grid-history]").getByText(/^\d{4}-\d{2}-\d{2} — \d{4}-\d{2}-\d{2}$/).first().waitFor();
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "grids-retired-desktop.png"), fullPage: true });
    });

    await step("a new part's page shows its boundary history and where it came from", async () => {
      await page.getByRole("link", { name: newNames[0] }).first().click();
      const history = page.locator("[data-testid=grid-history]");
      await history.getByText("拆分产生").waitFor();
      await history.getByRole("link", { name: grid.name }).waitFor();
    });

    await step("the map shows the grids as they were on a past day", async () => {
      await page.goto(`${baseUrl}/console/areas/${communityId}`);
      await page.locator("[data-testid=area-map]").waitFor();
      await settled(page);
      const picker = page.locator("input[data-testid=grids-on-day], [data-testid=grids-on-day] input").first();
      await picker.click();
      const day = new Date(Date.now() - 86_400_000 * 3).toISOString().slice(0, 10);
      await picker.fill(day);
      await picker.press("Enter");
      await page.locator("[data-testid=grids-on-day-tag]").waitFor();
      await page.keyboard.press("Escape");
      await page.locator(".gz-map-label", { hasText: grid.name.replace(/^.*社区/, "") }).first().waitFor({ state: "attached" });
      await page.screenshot({ path: path.join(shotDir, "grids-on-day-desktop.png") });
    });

    await step("import: a bad GeoJSON file is reported feature by feature and nothing is written", async () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gz-e2e-")), "网格.geojson");
      fs.writeFileSync(
        file,
        JSON.stringify({
          type: "FeatureCollection",
          features: [
            { type: "Feature", properties: { name: "未闭合网格" }, geometry: { type: "Polygon", coordinates: [[[104.05, 30.63], [104.051, 30.63], [104.051, 30.631], [104.05, 30.631]]] } },
            { type: "Feature", properties: { type: "综合" }, geometry: { type: "Polygon", coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] } },
          ],
        }),
      );
      await page.locator("[data-testid=open-grid-import]").click();
      await page.locator("[data-testid=grid-import-file]").waitFor();
      await page.locator(".ant-modal input[type=file]").setInputFiles(file);
      await page.locator("[data-testid=grid-import-check]").click();
      const report = page.locator("[data-testid=grid-import-report]");
      await report.waitFor();
      const text = await report.innerText();
      assert(text.includes("第 1 个要素「未闭合网格」的外环未闭合"), `report: ${text}`);
      assert(text.includes("第 2 个要素缺少网格名称"), `report: ${text}`);
      assert(await page.locator("[data-testid=grid-import-run]").isDisabled(), "import is offered despite problems");
      await page.screenshot({ path: path.join(shotDir, "grids-import-report-desktop.png") });
      await page.keyboard.press("Escape");
    });

    await step("import with repair: the check lists each repair (feature, action, m², from, to) and nothing is written", async () => {
      // A 100 m square in the middle of the first grid, drawn as a surveyor's file often is: the
      // north half a bow-tie, a spike on the west edge, a 12 m² overlap and a 4.9 m² gap.
      const box = await page.evaluate(async (id) => {
        const fc = await (await fetch(`/api/areas/${id}/geojson`)).json();
        const g = fc.features.find((f) => f.properties.level === "grid").geometry;
        const pts = (g.type === "Polygon" ? g.coordinates : g.coordinates[0])[0];
        const xs = pts.map((p) => p[0]);
        const ys = pts.map((p) => p[1]);
        return { lng: (Math.min(...xs) + Math.max(...xs)) / 2, lat: (Math.min(...ys) + Math.max(...ys)) / 2 };
      }, communityId);
      const mLat = 1 / 110_900;
      const mLng = 1 / (111_320 * Math.cos((box.lat * Math.PI) / 180));
      const at = (x, y) => [box.lng + (x - 50) * mLng, box.lat + (y - 50) * mLat];
      const poly = (...pts) => ({ type: "Polygon", coordinates: [[...pts.map(([x, y]) => at(x, y)), at(...pts[0])]] });
      const f = (name, geometry) => ({ type: "Feature", properties: { name }, geometry });
      const d = 0.1; // the gap: 0.1 m × 49 m, closed by 东南's foot and 北下
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "gz-e2e-")), "网格修复.geojson");
      fs.writeFileSync(
        file,
        JSON.stringify({
          type: "FeatureCollection",
          features: [
            f("修复北网格", poly([0, 50], [100, 100], [100, 50], [0, 100])),
            f("修复南西网格", poly([0, 0], [50, 0], [50, 50], [0, 50], [0, 25], [-20, 25], [0, 25])),
            f("修复东南网格", poly([50, 0], [100, 0], [100, 25], [50 + d, 25], [50 + d, 1], [50, 1])),
            f("修复东北网格", poly([50 + d, 25], [100, 25], [100, 50], [90, 50], [90, 50.3], [50, 50.3], [50 + d, 50])),
            f("修复北下网格", poly([0, 50], [100, 50], [50, 75])),
            f("修复北上网格", poly([0, 100], [50, 75], [100, 100])),
          ],
        }),
      );
      await page.goto(`${baseUrl}/console/areas/${communityId}`);
      await page.locator("[data-testid=open-grid-import]").click();
      await page.locator("[data-testid=grid-import-file]").waitFor();
      await page.locator(".ant-modal input[type=file]").setInputFiles(file);
      await page.locator(".ant-modal .ant-form-item", { hasText: "替换现有网格" }).locator(".ant-switch").click();
      await page.locator("[data-testid=grid-import-repair]").click();
      await page.locator("[data-testid=grid-import-check]").click();
      const repairs = page.locator("[data-testid=grid-import-repairs]");
      await repairs.waitFor();
      const text = await repairs.innerText();
      assert(text.includes("修复自相交") && text.includes("删除尖刺") && text.includes("重叠划归邻格") && text.includes("缝隙并入"), `repairs: ${text}`);
      assert(text.includes("第 5 个「修复北下网格」") && text.includes("无网格的缝隙"), `repairs: ${text}`);
      await page.locator("[data-testid=grid-import-ok]").getByText("其中 3 个要素经过修复").waitFor();
      await page.setViewportSize({ width: 1366, height: 900 });
      await repairs.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shotDir, "grids-import-repair-desktop.png") });
      await page.setViewportSize(desktop);
      await page.keyboard.press("Escape");
    });

    await step("merge: a neighbouring grid chosen on the map, previewed as one polygon, then merged", async () => {
      const { grid: g } = await firstGrid(page);
      await page.goto(`${baseUrl}/console/grids/${g.id}`);
      await page.locator("[data-testid=grid-page]").waitFor();
      await settled(page);
      await page.locator("[data-testid=grid-merge]").click();
      const map = page.locator("[data-testid=merge-map]");
      await map.waitFor();
      const selected = map.locator('path.leaflet-interactive[stroke="#d4380d"]');
      await selected.first().waitFor();
      await page.waitForTimeout(300);
      const box = await selected.first().boundingBox();
      assert(box, "the grid is not drawn on the merge map");
      // Just below the grid: its southern neighbour.
      await page.mouse.click(box.x + box.width / 2, box.y + box.height + 6);
      await page.getByText("已选 2 个网格：").waitFor();
      await page.locator("[data-testid=merge-name]").fill("合并后的网格");
      await page.locator("[data-testid=merge-preview]").click();
      const summary = page.locator("[data-testid=merge-summary]");
      await summary.waitFor();
      assert((await summary.innerText()).includes("合并为「合并后的网格」"), "the preview does not name the merged grid");
      await page.screenshot({ path: path.join(shotDir, "grids-merge-preview-desktop.png") });
      await page.locator("[data-testid=merge-confirm]").click();
      await page.getByText("已合并为「合并后的网格」").waitFor();
      await page.locator("[data-testid=grid-history]").getByText("合并产生").waitFor();
    });

    /** Clicks a ring of points around `box` (page pixels), `margin` outside it. */
    async function clickAround(box, margin) {
      const { x, y, width: w, height: h } = box;
      await page.mouse.click(x - margin, y - margin);
      await page.mouse.click(x + w + margin, y - margin);
      await page.mouse.click(x + w + margin, y + h + margin);
      await page.mouse.click(x - margin, y + h + margin);
    }
    const refusal = /网格「[^」]+」(有 \d+ 平方米超出.+边界|与「[^」]+」重叠 \d+ 平方米)/;
    const renamed = { value: "" };

    await step("edit: a grid's name and type are changed in the drawer", async () => {
      const { grid: g } = await firstGrid(page);
      renamed.value = `${g.name.replace(/^.*社区/, "")}（调整）`;
      await page.goto(`${baseUrl}/console/grids/${g.id}`);
      await page.locator("[data-testid=grid-page]").waitFor();
      await settled(page);
      await page.locator("[data-testid=grid-edit]").click();
      await page.locator("[data-testid=grid-form-map]").waitFor();
      assert((await page.locator("[data-testid=grid-form-name]").inputValue()) === g.name, "the drawer does not start from the grid's name");
      await page.locator("[data-testid=grid-form-name]").fill(renamed.value);
      await page.locator("[data-testid=grid-form-type]").getByText("专属网格").click();
      await page.screenshot({ path: path.join(shotDir, "grids-edit-desktop.png") });
      await page.locator("[data-testid=grid-form-save]").click();
      await page.getByText(`已保存「${renamed.value}」`).waitFor();
      await page.locator("[data-testid=grid-form-drawer]").waitFor({ state: "detached" });
      await page.locator(".ant-descriptions-item-content", { hasText: "专属网格" }).first().waitFor();
      await page.getByRole("heading", { name: renamed.value }).first().waitFor();
    });

    await step("edit: a redrawn boundary reaching over its neighbours is refused with the server's words, nothing changed", async () => {
      await page.locator("[data-testid=grid-edit]").click();
      const map = page.locator("[data-testid=grid-form-map]");
      await map.waitFor();
      await page.locator("[data-testid=grid-form-boundary]").getByText("重新划定边界").click();
      const selected = map.locator('path.leaflet-interactive[stroke="#d4380d"]');
      await selected.first().waitFor();
      await page.waitForTimeout(300);
      const box = await selected.first().boundingBox();
      assert(box, "the grid is not drawn on the edit map");
      await clickAround(box, 40);
      await page.getByText("已画 4 个拐点").waitFor();
      await page.locator("[data-testid=grid-form-undo]").click();
      await page.getByText("已画 3 个拐点").waitFor();
      await page.mouse.click(box.x - 40, box.y + box.height + 40);
      await page.getByText("已画 4 个拐点").waitFor();
      await page.locator("[data-testid=grid-form-save]").click();
      const error = page.locator("[data-testid=grid-form-error]");
      await error.waitFor();
      const text = await error.innerText();
      assert(refusal.test(text), `the refusal says: ${text}`);
      await page.waitForTimeout(200);
      const shown = await error.boundingBox();
      assert(shown && shown.y >= 0 && shown.y + shown.height <= desktop.height, "the refusal is out of sight");
      await page.screenshot({ path: path.join(shotDir, "grids-redraw-refused-desktop.png") });
      await page.locator("[data-testid=grid-form-drawer]").getByRole("button", { name: /取\s*消/ }).click();
      await page.locator("[data-testid=grid-form-drawer]").waitFor({ state: "detached" });
      const history = page.locator("[data-testid=grid-history]");
      await history.waitFor();
      assert(!(await history.innerText()).includes("重新划定"), "the refused boundary went into the history");
    });

    await step("new grid: drawn over existing grids on the community view, refused with the server's words", async () => {
      await page.goto(`${baseUrl}/console/areas/${communityId}`);
      await page.locator("[data-testid=area-map]").waitFor();
      await settled(page);
      await page.locator("[data-testid=open-grid-create]").click();
      const map = page.locator("[data-testid=grid-form-map]");
      await map.waitFor();
      assert((await page.locator("[data-testid=grid-form-boundary]").count()) === 0, "a new grid offers keeping a boundary");
      await page.locator("[data-testid=grid-form-name]").fill("试画网格");
      await page.waitForTimeout(300);
      const mbox = await map.boundingBox();
      assert(mbox, "no map in the new grid drawer");
      // A square in the middle of the community: it lies over the grids drawn there.
      await clickAround({ x: mbox.x + mbox.width / 2 - 30, y: mbox.y + mbox.height / 2 - 30, width: 60, height: 60 }, 0);
      await page.getByText("已画 4 个拐点").waitFor();
      await page.locator("[data-testid=grid-form-save]").click();
      const error = page.locator("[data-testid=grid-form-error]");
      await error.waitFor();
      const text = await error.innerText();
      assert(refusal.test(text), `the refusal says: ${text}`);
      assert(await page.locator("[data-testid=grid-form-save]").isEnabled(), "after a refusal the grid cannot be saved again");
      await page.screenshot({ path: path.join(shotDir, "grids-create-refused-desktop.png") });
      await page.locator("[data-testid=grid-form-drawer]").getByRole("button", { name: /取\s*消/ }).click();
      await page.locator("[data-testid=grid-form-drawer]").waitFor({ state: "detached" });
      assert(!/\/console\/grids\//.test(page.url()), "a refused grid opened a grid page");
    });

    // --- Phone -----------------------------------------------------------------------------------
    const mobile = await browser.newContext({ viewport: phone, locale: "zh-CN", isMobile: true, hasTouch: true });
    const small = await mobile.newPage();
    small.setDefaultTimeout(timeout);
    watchPage(small, problems);
    await submitLogin(small, "communityworker");
    await small.waitForURL(/\/console(\/|$)/, { timeout });
    await step("phone: the grid page with its history and the split drawer fit the screen", async () => {
      const { grid: g } = await firstGrid(small);
      await small.goto(`${baseUrl}/console/grids/${g.id}`);
      await small.locator("[data-testid=grid-history]").waitFor();
      await settled(small);
      await noSidewaysScroll(small);
      await small.screenshot({ path: path.join(shotDir, "grids-grid-phone.png"), fullPage: true });
      await small.locator("[data-testid=grid-split]").click();
      await small.locator("[data-testid=split-map]").waitFor();
      await small.waitForTimeout(300);
      await small.screenshot({ path: path.join(shotDir, "grids-split-phone.png") });
      await small.keyboard.press("Escape");
      await small.locator("[data-testid=grid-edit]").click();
      await small.locator("[data-testid=grid-form-map]").waitFor();
      await small.locator("[data-testid=grid-form-boundary]").getByText("重新划定边界").click();
      await small.waitForTimeout(300);
      await small.screenshot({ path: path.join(shotDir, "grids-edit-phone.png") });
    });

    assert(problems.length === 0, `page problems:\n${problems.join("\n")}`);
  } finally {
    await browser.close();
  }
}

await run(main);
