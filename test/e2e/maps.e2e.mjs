// End-to-end: maps people can read. Offline (no tile provider) the area map draws the registry's
// compounds and buildings with a legend, and the grid worker's case page shows the case's point
// among its buildings with 导航 links carrying exactly the case's coordinates.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/maps.e2e.mjs
import path from "node:path";
import { apiFrom, assert, baseUrl, launch, phone, run, settled, shotDir, signedIn, step, waitUntil } from "./harness.mjs";

async function getJson(page, url) {
  const res = await apiFrom(page, "GET", url);
  assert(res.status === 200, `GET ${url} answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json;
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    const office = await signedIn(browser, "communityworker", { width: 1366, height: 900 }, problems);
    const page = office.page;

    let rootId = "";
    let buildingCount = 0;
    await step("console: the offline area map draws the community's compounds and buildings with a legend", async () => {
      const roots = await getJson(page, "/api/areas/roots");
      rootId = roots.items[0].id;
      const places = await getJson(page, `/api/places/map?areaId=${rootId}`);
      buildingCount = places.features.filter((f) => f.properties.kind === "building").length;
      assert(buildingCount > 10, `the demo community has only ${buildingCount} buildings on its map`);
      assert(places.features.some((f) => f.properties.kind === "compound"), "no compound on the map");
      const config = await getJson(page, "/api/config");
      assert(config.map.provider === "none" && config.map.layers.length === 0, `the e2e server should be offline: ${JSON.stringify(config.map)}`);

      await page.goto(`${baseUrl}/console/areas/${rootId}`);
      const map = page.locator("[data-testid=area-map]");
      const drawn = await waitUntil(async () => {
        const n = await map.locator("[data-building-id]").count();
        return n === buildingCount ? n : 0;
      }, "the map does not draw every building of the community");
      console.log(`    ${drawn} buildings drawn`);
      assert((await map.locator("path.gz-compound").count()) > 0, "no compound outline drawn");
      assert((await map.locator("img.leaflet-tile").count()) === 0, "an offline map fetched tiles");
      const legend = await page.locator(".gz-map-legend").innerText();
      assert(legend.includes("小区") && legend.includes("楼栋"), `the legend lacks 小区/楼栋: ${legend}`);
      // The grids stay clickable under the buildings (they draw in their own pane, without events).
      assert((await map.locator("path.leaflet-interactive").count()) >= 6, "the grids are no longer interactive");
      await page.screenshot({ path: path.join(shotDir, "maps-area-community-desktop.png") });
    });

    await step("console: zoomed in, compound and building names show", async () => {
      const map = page.locator("[data-testid=area-map]");
      const labels = map.locator(".gz-place-label-compound span");
      assert(!(await labels.first().isVisible()), "compound names show before zooming in");
      for (let i = 0; i < 12 && !(await map.locator(".gz-place-label-building span").first().isVisible()); i++) {
        await page.locator(".leaflet-control-zoom-in").click();
        await page.waitForTimeout(150);
      }
      await waitUntil(async () => (await labels.first().isVisible()) && (await map.locator(".gz-place-label-building span").first().isVisible()), "names do not show at close zoom");
      await page.screenshot({ path: path.join(shotDir, "maps-area-zoomed-desktop.png") });
    });

    const worker = await signedIn(browser, "gridworker", phone, problems, true);
    const wp = worker.page;
    let kase = null;
    await step("worker: a case of the grid has a point with buildings around it", async () => {
      const list = await getJson(wp, "/api/cases?pageSize=20");
      assert(list.items.length > 0, "the grid worker sees no case");
      // Earlier files split and merge grids and file cases at new points: take a case whose
      // neighbourhood (the map's ±0.0026° × ±0.002°, as the page asks) has buildings to draw.
      for (const item of list.items) {
        const detail = await getJson(wp, `/api/cases/${item.id}`);
        assert(typeof detail.lng === "number" && typeof detail.lat === "number", `case ${detail.caseNo} has no point`);
        const bbox = [detail.lng - 0.0026, detail.lat - 0.002, detail.lng + 0.0026, detail.lat + 0.002].map((v) => v.toFixed(6)).join(",");
        const around = await getJson(wp, `/api/places/map?areaId=${detail.grid.id}&bbox=${bbox}`);
        if (around.features.some((f) => f.properties.kind === "building")) {
          kase = detail;
          break;
        }
      }
      assert(kase, "no case of the grid worker has buildings around its point");
    });

    await step("worker: the case page shows the point among the grid's buildings, with 导航 links to exactly that point", async () => {
      await wp.goto(`${baseUrl}/worker/tasks/${kase.id}`);
      await wp.locator("[data-testid=worker-case]").waitFor();
      await settled(wp);
      const map = wp.locator("[data-testid=worker-case-map]");
      await map.scrollIntoViewIfNeeded();
      await waitUntil(async () => (await map.locator("[data-building-id]").count()) > 0, "no building drawn on the case's map");
      await map.locator("path.gz-case-point").waitFor();
      const lat = kase.lat.toFixed(6);
      const lng = kase.lng.toFixed(6);
      const geo = await wp.locator("[data-testid=case-nav-geo]").getAttribute("href");
      assert(geo === `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(kase.caseNo)})`, `the 导航 link is ${geo}`);
      const amap = new URL(await wp.locator("[data-testid=case-nav-amap]").getAttribute("href"));
      const [gLng, gLat] = amap.searchParams.get("position").split(",").map(Number);
      // GCJ-02 in Chengdu lies a few hundred metres from WGS-84: shifted, but not far.
      const shift = Math.hypot(gLng - kase.lng, gLat - kase.lat);
      assert(amap.searchParams.get("coordinate") === "gaode" && shift > 0.001 && shift < 0.01, `the 高德 link is not the GCJ-02 point: ${amap}`);
      for (const href of [geo, amap.toString(), await wp.locator("[data-testid=case-nav-baidu]").getAttribute("href")]) {
        assert(!kase.locationText || !decodeURIComponent(href).includes(kase.locationText), `a link carries the address: ${href}`);
      }
      await wp.locator("[data-testid=case-location]").screenshot({ path: path.join(shotDir, "maps-worker-case-location-phone.png") });
      await wp.screenshot({ path: path.join(shotDir, "maps-worker-case-phone.png"), fullPage: false });
    });

    await office.ctx.close();
    await worker.ctx.close();
    assert(problems.length === 0, `page problems:\n${problems.join("\n")}`);
  } finally {
    await browser.close();
  }
}

await run(main);
