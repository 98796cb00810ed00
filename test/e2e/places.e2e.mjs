// End-to-end: places and households in the console — a grid's buildings, a building's units ×
// floors table, moving a household to another dwelling (compound → building → unit → room) with
// its move history, and editing a person's tags and skills.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/places.e2e.mjs
// Screenshots go to screenshots/ (gitignored).
import path from "node:path";
import { assert, baseUrl, desktop, launch, phone, run, settled, shotDir, step, submitLogin, timeout, waitUntil, watchPage } from "./harness.mjs";

/** Opens an antd Select by its test id, types to filter, and picks the option with this exact label. */
async function pick(page, testId, label) {
  const select = page.locator(`[data-testid=${testId}]`);
  await select.click();
  const search = select.locator("input:not([readonly])");
  if (await search.count()) await search.fill(label);
  const option = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").filter({ hasText: label }).first();
  await option.waitFor();
  await option.click();
}

async function main() {
  const browser = await launch();
  const problems = [];
  try {
    console.log(`e2e (places) against ${baseUrl}`);
    const desk = await browser.newContext({ viewport: desktop, locale: "zh-CN" });
    const page = await desk.newPage();
    page.setDefaultTimeout(timeout);
    watchPage(page, problems);
    await submitLogin(page, "communityworker");
    await page.waitForURL(/\/console(\/|$)/, { timeout });

    // The worker's community, its first grid, and in that grid a building with a household and
    // another building with a vacant dwelling to move into.
    const get = async (url) => (await page.request.get(`${baseUrl}${url}`)).json();
    const community = (await get("/api/areas/roots")).items[0];
    const grid = (await get(`/api/areas/${community.id}`)).children.find((c) => c.level === "grid");
    const buildings = (await get(`/api/buildings?gridId=${grid.id}`)).items;
    assert(buildings.length >= 2, "the grid has fewer than two buildings");
    const from = buildings.find((b) => b.householdCount > 0);
    let target;
    for (const b of buildings.filter((x) => x.id !== from.id)) {
      const detail = await get(`/api/buildings/${b.id}`);
      for (const u of detail.units) {
        const d = u.dwellings.find((x) => x.households.length === 0);
        if (d && !target) target = { building: detail, unit: u, dwelling: d };
      }
    }
    assert(target, "no vacant dwelling in another building of the grid");

    let householdUrl = "";
    await step("grid: lists its buildings, each opening the building page", async () => {
      await page.goto(`${baseUrl}/console/grids/${grid.id}`);
      const card = page.locator("[data-testid=grid-buildings]");
      await waitUntil(async () => (await card.locator("tbody tr.ant-table-row").count()) === buildings.length, "the grid's buildings are not all listed");
      await card.locator("tbody tr.ant-table-row").filter({ hasText: from.compoundName }).getByRole("link", { name: from.name }).first().click();
      await page.waitForURL(/\/console\/buildings\/[^/]+$/);
    });

    await step("building: units × floors with the households living there, and the building head", async () => {
      await page.locator("[data-testid=building-page]").waitFor();
      const title = await page.locator("[data-testid=building-title]").innerText();
      assert(title.includes(from.compoundName), `the title "${title}" lacks the compound`);
      await waitUntil(async () => (await page.locator("[data-testid=building-household]").count()) > 0, "no household shown in the building");
      const shown = await page.locator("[data-testid=building-household]").count();
      const buildingId = new URL(page.url()).pathname.split("/").pop();
      const expected = (await get(`/api/buildings/${buildingId}`)).householdCount;
      assert(shown === expected, `the table shows ${shown} households, the building has ${expected}`);
      const heads = page.locator("[data-testid=building-heads], [data-testid=building-no-head]");
      await heads.first().waitFor();
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-building-desktop.png"), fullPage: true });
      await page.locator("[data-testid=building-household]").first().click();
      await page.waitForURL(/\/console\/households\/[^/]+$/);
      householdUrl = page.url();
    });

    await step("household: moved to a vacant dwelling of another building; the history keeps both", async () => {
      await page.locator("[data-testid=household-page]").waitFor();
      await page.locator("[data-testid=household-move]").click();
      const dialog = page.locator(".ant-modal-content").filter({ hasText: "确认迁移" });
      await dialog.waitFor();
      await pick(page, "pick-compound", target.building.compoundName);
      await pick(page, "pick-building", `${target.building.name}（${target.building.gridName}）`);
      await pick(page, "pick-unit", target.unit.name);
      await pick(page, "pick-dwelling", `${target.dwelling.roomNo}室`);
      await page.screenshot({ path: path.join(shotDir, "console-household-move-desktop.png") });
      await page.locator("[data-testid=household-move-submit]").click();
      await waitUntil(async () => (await dialog.count()) === 0 || !(await dialog.isVisible()), "the move dialog stayed open");
      const history = page.locator("[data-testid=household-moves] tbody tr.ant-table-row");
      // The household may already have its first-occupancy row: wait for the refetched history to show the move.
      const namesTarget = (text) => text.includes(`${target.dwelling.roomNo}室`) && text.includes(target.building.compoundName);
      await waitUntil(async () => (await history.count()) >= 1 && namesTarget(await history.first().innerText()), "the move history does not show the move");
      const first = await history.first().innerText();
      assert(first.includes(`${target.dwelling.roomNo}室`) && first.includes(target.building.compoundName), `the newest move "${first}" does not name the new dwelling`);
      const address = await page.locator("[data-testid=household-address]").innerText();
      assert(address.includes(`${target.unit.name}${target.dwelling.roomNo}室`), `the address "${address}" did not change`);
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-household-moved-desktop.png"), fullPage: true });
      // The new building lists the household.
      const moved = (await get(`/api/buildings/${target.building.id}`)).units.flatMap((u) => u.dwellings).find((d) => d.id === target.dwelling.id);
      assert(moved.households.some((h) => householdUrl.endsWith(h.id)), "the new dwelling does not hold the household");
    });

    await step("household: a red grid member pinned by hand, then the pin dropped", async () => {
      await page.goto(householdUrl);
      await page.locator("[data-testid=household-pin-select]").click();
      // The first option is 「不指定」; the next ones are the grid's red grid members.
      const option = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option").nth(1);
      await option.waitFor();
      const chosen = (await option.innerText()).split(" · ")[0].trim();
      await option.click();
      await page.locator("[data-testid=household-pin-save]").click();
      const member = page.locator("[data-testid=household-red-grid-member]");
      await waitUntil(async () => (await member.count()) > 0 && (await member.innerText()).includes("人工指定"), "the pinned member is not shown as chosen by hand");
      assert((await member.innerText()).includes(chosen), `the household shows "${await member.innerText()}", not the chosen ${chosen}`);
      await settled(page);
      await page.locator("[data-testid=household-unpin]").click();
      const confirm = page.locator(".ant-popconfirm:not(.ant-popover-hidden) .ant-btn-primary");
      await confirm.waitFor({ state: "visible" });
      await confirm.click();
      const card = page.locator("[data-testid=household-red-grid]");
      await waitUntil(
        async () => (await page.locator("[data-testid=household-unpin]").count()) === 0 || (await card.locator(".ant-alert-error").count()) > 0,
        "the pin is still shown after dropping it",
      );
      const refused = card.locator(".ant-alert-error");
      assert((await refused.count()) === 0, `dropping the pin was refused: ${(await refused.count()) ? await refused.first().innerText() : ""}`);
      const id = householdUrl.split("/").pop();
      const detail = await get(`/api/households/${id}`);
      assert(!detail.redGridMember?.pinned, "the server still holds a pin");
    });

    await step("person: tags and skills edited (skills only with 能人)", async () => {
      await page.goto(householdUrl);
      const members = page.locator("[data-testid=household-members] tbody tr.ant-table-row a");
      await waitUntil(async () => (await members.count()) > 0, "the household lists no members");
      await members.first().click();
      await page.waitForURL(/\/console\/persons\/[^/]+$/);
      const editor = page.locator("[data-testid=person-tags-editor]");
      await editor.waitFor();
      // Other cards of the page load too; let the layout settle before clicking.
      await settled(page);
      await page.waitForTimeout(300);
      const personId = new URL(page.url()).pathname.split("/").pop();
      const before = await get(`/api/persons/${personId}`);
      const skill = ["水电维修", "家电维修", "法律咨询", "理发"].find((x) => !before.skills.includes(x)) ?? `手工${before.skills.length}`;
      const skills = page.locator("[data-testid=person-skills]");
      const talentBox = editor.getByLabel("能人");
      if (await talentBox.isChecked()) await talentBox.uncheck();
      assert(await skills.evaluate((el) => el.classList.contains("ant-select-disabled")), "skills are editable without the 能人 tag");
      // A click that lands while another card of the page re-renders is sometimes lost: try again.
      const tick = async (label) =>
        waitUntil(async () => {
          const box = editor.getByLabel(label);
          if (!(await box.isChecked())) await box.click();
          return box.isChecked();
        }, `${label} could not be ticked`);
      await tick("志愿者");
      await tick("能人");
      await skills.click();
      await skills.locator("input").fill(skill);
      await skills.locator("input").press("Enter");
      await page.locator("[data-testid=person-tags-save]").click();
      await waitUntil(async () => {
        const p = await get(`/api/persons/${personId}`);
        return p.tags.includes("volunteer") && p.tags.includes("talent") && p.skills.includes(skill);
      }, "the tags and skills were not saved");
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-person-tags-desktop.png"), fullPage: true });
    });

    await step("phone: the building page fits the screen (its table scrolls on its own)", async () => {
      const ctx = await browser.newContext({ viewport: phone, locale: "zh-CN" });
      const p = await ctx.newPage();
      p.setDefaultTimeout(timeout);
      watchPage(p, problems);
      await p.context().addCookies(await desk.cookies());
      await p.goto(`${baseUrl}/console/buildings/${target.building.id}`);
      await p.locator("[data-testid=building-table]").waitFor();
      await settled(p);
      const overflow = await p.evaluate("document.documentElement.scrollWidth - window.innerWidth");
      assert(overflow <= 1, `the building page scrolls sideways by ${overflow}px on a phone`);
      await p.screenshot({ path: path.join(shotDir, "console-building-phone.png"), fullPage: true });
      await ctx.close();
    });

    // Places of the community: a new compound, renamed in place, then a building added to it by
    // clicking its point on the map (a point outside every grid is refused with the server's words).
    const compoundName = `e2e小区${Date.now().toString(36).slice(-4)}`;
    let newBuildingId = "";
    await step("community: a compound registered and renamed in the 小区（院落） list", async () => {
      await page.goto(`${baseUrl}/console/areas/${community.id}`);
      const card = page.locator("[data-testid=community-compounds]");
      await card.waitFor();
      await card.locator("[data-testid=open-new-compound]").click();
      await page.locator("[data-testid=new-compound-name]").fill(`${compoundName}旧名`);
      await page.locator("[data-testid=new-compound-address]").fill("幸福路 18 号");
      await page.locator(".ant-modal-footer .ant-btn-primary").click();
      const row = card.locator("tbody tr.ant-table-row").filter({ hasText: `${compoundName}旧名` });
      await row.waitFor();
      await row.locator("[data-testid=compound-name] .ant-typography-edit").click();
      // While edited, the row shows a text box instead of the name.
      const box = card.locator("textarea");
      await box.fill(compoundName);
      await box.press("Enter");
      await waitUntil(async () => (await get(`/api/compounds?communityId=${community.id}`)).items.some((c) => c.name === compoundName), "the compound was not renamed");
      await card.locator("tbody tr.ant-table-row").filter({ hasText: compoundName }).waitFor();
      await settled(page);
      await card.screenshot({ path: path.join(shotDir, "console-compounds-desktop.png") });
    });

    await step("community: a building added by clicking its point on the map; outside every grid is refused", async () => {
      const card = page.locator("[data-testid=community-compounds]");
      await card.locator("tbody tr.ant-table-row").filter({ hasText: compoundName }).locator("[data-testid=compound-add-building]").click();
      const map = page.locator("[data-testid=add-building-map]");
      await map.waitFor();
      await waitUntil(async () => (await page.locator(".gz-place-grid-label").count()) > 0, "the map shows no grids");
      // The drawer slides in: click the map once it stands still.
      await waitUntil(async () => (await page.locator('[class*="ant-drawer-panel-motion"]').count()) === 0, "the drawer is still moving");
      await page.locator("[data-testid=add-building-name]").fill("1栋");
      // A corner of the map lies in the fitted margin, outside every grid.
      const bounds = await map.boundingBox();
      await map.click({ position: { x: bounds.width - 8, y: 8 } });
      await waitUntil(async () => (await page.locator("[data-testid=add-building-point].ant-alert").count()) === 1, "no warning for a point outside the grids");
      await page.locator("[data-testid=add-building-submit]").click();
      const error = page.locator("[data-testid=add-building-error]");
      await error.waitFor();
      const said = await error.innerText();
      assert(said.includes("不在本社区的任何网格内"), `the refusal says "${said}"`);
      // Then a point inside a grid: a grid's label sits at its middle; the first one inside wins.
      const labels = page.locator(".gz-place-grid-label");
      let inside = false;
      for (let i = 0; i < (await labels.count()) && !inside; i++) {
        const b = await labels.nth(i).boundingBox();
        await map.click({ position: { x: b.x - bounds.x + 4, y: b.y - bounds.y + 14 } });
        inside = (await page.locator("[data-testid=add-building-point]").innerText()).includes("位于");
      }
      assert(inside, "no grid label lies inside its grid");
      await page.screenshot({ path: path.join(shotDir, "console-add-building-desktop.png") });
      await page.locator("[data-testid=add-building-submit]").click();
      await page.waitForURL(/\/console\/buildings\/[^/]+$/);
      newBuildingId = new URL(page.url()).pathname.split("/").pop();
      const title = await page.locator("[data-testid=building-title]").innerText();
      assert(title.includes(compoundName) && title.includes("1栋"), `the new building's title is "${title}"`);
    });

    await step("building: a unit renamed and a dwelling's floor area set", async () => {
      await page.locator("[data-testid=building-add-unit]").click();
      await page.locator(".ant-modal-footer .ant-btn-primary").click();
      await page.locator("[data-testid=unit-name]").first().waitFor();
      await page.locator("[data-testid=unit-rename]").first().click();
      await page.locator("[data-testid=unit-name-input]").fill("东单元");
      await page.locator(".ant-modal-footer .ant-btn-primary").click();
      await waitUntil(async () => (await page.locator("[data-testid=unit-name]").first().innerText()) === "东单元", "the unit was not renamed");
      await page.locator("[data-testid=building-add-dwelling]").click();
      const dialog = page.locator(".ant-modal-content").filter({ hasText: "添加房屋" });
      await dialog.locator("input#roomNo").fill("101");
      await dialog.locator(".ant-modal-footer .ant-btn-primary").click();
      await waitUntil(async () => (await get(`/api/buildings/${newBuildingId}`)).dwellingCount === 1, "the dwelling was not added");
      await dialog.locator(".ant-modal-footer .ant-btn:not(.ant-btn-primary)").click();
      await page.locator("[data-testid=dwelling-area]").first().click();
      await page.locator("input[data-testid=floor-area-input], [data-testid=floor-area-input] input").first().fill("89.5");
      await page.locator(".ant-modal-footer .ant-btn-primary").click();
      await waitUntil(async () => (await get(`/api/buildings/${newBuildingId}`)).units[0].dwellings[0].floorAreaM2 === 89.5, "the floor area was not saved");
      await waitUntil(async () => (await page.locator("[data-testid=dwelling-area]").first().innerText()).includes("89.5㎡"), "the floor area is not shown");
      await settled(page);
      await page.screenshot({ path: path.join(shotDir, "console-building-edited-desktop.png"), fullPage: true });
    });

    await step("lists: 导出 on the grid's households and the party members gives .xlsx files", async () => {
      await page.goto(`${baseUrl}/console/grids/${grid.id}`);
      const tabs = page.locator(".ant-tabs-extra-content [data-testid=export-households]");
      await tabs.waitFor();
      await settled(page);
      await tabs.click();
      const [file] = await Promise.all([page.waitForEvent("download"), page.locator(".ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-item").filter({ hasText: "脱敏" }).click()]);
      assert(file.suggestedFilename().endsWith(".xlsx"), `the export is named ${file.suggestedFilename()}`);
      await page.goto(`${baseUrl}/console/party/members?areaId=${community.id}`);
      const button = page.locator("[data-testid=export-party-members]");
      await button.waitFor();
      await button.click();
      const [members] = await Promise.all([page.waitForEvent("download"), page.locator(".ant-dropdown:not(.ant-dropdown-hidden) .ant-dropdown-menu-item").filter({ hasText: "脱敏" }).click()]);
      assert(members.suggestedFilename().endsWith(".xlsx"), `the party members export is named ${members.suggestedFilename()}`);
    });

    await step("organization: a 大党委 part-time member without a household opens their person page", async () => {
      const orgs = (await get(`/api/organizations?areaId=${community.id}`)).items;
      const committee = orgs.find((o) => o.kind === "communityPartyCommittee");
      assert(committee, "the community has no party committee");
      const seat = (await get(`/api/organizations/${committee.id}/posts`)).items.find((p) => !p.personInRegistry);
      assert(seat, "the committee has no part-time member from outside the registry");
      await page.goto(`${baseUrl}/console/organizations/${committee.id}`);
      await page.getByRole("link", { name: seat.personName, exact: true }).first().click();
      await page.waitForURL(new RegExp(`/console/persons/${seat.personId}$`));
      await waitUntil(async () => (await page.locator("body").innerText()).includes(seat.personName), "the person page does not show the name");
      await settled(page);
      await page.locator("[data-testid=party-member-card]").waitFor();
      const alerts = await page.locator(".ant-alert-warning, .ant-alert-error").count();
      assert(alerts === 0, `the seat holder's page shows ${alerts} warning(s)`);
      await page.screenshot({ path: path.join(shotDir, "console-seat-person-desktop.png"), fullPage: true });
    });

    await step("no external requests, ID numbers in URLs, page errors or console errors", async () => {
      assert(problems.length === 0, [...new Set(problems)].join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
