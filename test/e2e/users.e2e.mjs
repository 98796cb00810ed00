// End-to-end: 用户与权限 — the street administrator creates a community worker's account in the
// console (a temporary password shown once), resets the password (a new temporary one, shown once),
// and the worker logs in with it, is asked for a new password first, sets one and reaches the
// console; then a one-time reset link is made and used on /reset/<token>, and works only once; the
// header's user menu offers 修改密码.
//   E2E_BASE_URL=http://127.0.0.1:3000 node test/e2e/users.e2e.mjs
import path from "node:path";
import { assert, baseUrl, launch, run, settled, shotDir, signedIn, step, timeout, waitUntil, watchPage } from "./harness.mjs";

const viewport = { width: 1366, height: 900 };
const username = `e2e_hexy_${Date.now().toString(36)}`;
const displayName = "何晓燕";

/** Reads the once-only secret from its dialog, checks the warning, closes it. */
async function takeSecret(page) {
  const el = page.getByTestId("secret-value");
  await el.waitFor({ timeout });
  const dialog = await page.locator(".ant-modal-content").filter({ has: el }).innerText();
  assert(dialog.includes("只显示这一次"), "the dialog does not say the secret is shown once");
  const value = (await el.innerText()).trim();
  return value;
}

async function closeSecret(page) {
  await page.getByRole("button", { name: "我已记下" }).click();
  await page.getByTestId("secret-value").waitFor({ state: "detached", timeout });
}

/** Logs in a fresh context with a username and password, answering the page it lands on. */
async function loginAs(browser, user, pass, problems) {
  const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
  const page = await ctx.newPage();
  page.setDefaultTimeout(timeout);
  watchPage(page, problems);
  await page.goto(`${baseUrl}/login`, { waitUntil: "domcontentloaded" });
  await page.locator("input#username").fill(user);
  await page.locator("input#password").fill(pass);
  await page.locator("button[type=submit]").click();
  await page.waitForURL((u) => !u.pathname.startsWith("/login"), { timeout });
  return { ctx, page };
}

async function main() {
  const browser = await launch();
  const problems = [];
  let temporary = "";
  try {
    const { page } = await signedIn(browser, "streetadmin", viewport, problems);

    await step("the street administrator opens 用户与权限 from the menu and sees the street's staff", async () => {
      await page.getByRole("menuitem", { name: "用户与权限" }).click();
      await page.waitForURL((u) => u.pathname === "/console/users");
      await page.getByTestId("users-page").waitFor();
      await settled(page);
      const text = await page.getByTestId("users-page").innerText();
      assert(text.includes("communityworker") && text.includes("社区工作者"), "the list does not show the demo community worker with its role");
      await page.screenshot({ path: path.join(shotDir, "users-list.png") });
    });

    await step("a duplicate username is refused on its field, then a new worker is created with a temporary password shown once", async () => {
      await page.getByTestId("create-user").click();
      const form = page.getByTestId("create-user-form");
      await form.waitFor();
      await page.getByTestId("user-display-name").fill(displayName);
      await page.getByTestId("user-username").fill("communityworker");
      await page.getByTestId("grant-role").click();
      await page.locator(".ant-select-item-option").filter({ hasText: "社区工作者" }).first().click();
      // The area: open the street (the administrator's root) and pick its first community.
      await form.locator(".ant-form-item").filter({ hasText: "授权范围" }).locator(".ant-select-selector").click();
      // rc-tree renders a hidden node first (to measure indents); the visible ones are the others.
      const nodes = page.locator(".ant-select-dropdown:visible .ant-select-tree-treenode:not([aria-hidden])");
      await nodes.first().locator(".ant-select-tree-switcher").click();
      await waitUntil(async () => (await nodes.count()) > 1, "the street's communities do not load");
      await nodes.nth(1).locator(".ant-select-tree-title").click();
      await page.screenshot({ path: path.join(shotDir, "users-create.png") });
      await page.getByRole("button", { name: "创 建" }).or(page.getByRole("button", { name: "创建" })).click();
      await waitUntil(async () => (await form.innerText()).includes("已被使用"), "the duplicate username is not refused on its field");
      await page.getByTestId("user-username").fill(username);
      await page.getByRole("button", { name: "创 建" }).or(page.getByRole("button", { name: "创建" })).click();
      temporary = await takeSecret(page);
      assert(/^[A-Z]{4}-\d{4}-[a-z]{4}$/.test(temporary), `the temporary password "${temporary}" is not of the expected form`);
      await page.screenshot({ path: path.join(shotDir, "users-created-secret.png") });
      await closeSecret(page);
      const drawer = page.getByTestId("user-drawer");
      await drawer.waitFor();
      await settled(page);
      const text = await drawer.innerText();
      assert(text.includes(username) && text.includes("待修改密码") && text.includes("社区工作者"), "the drawer does not show the new account, its role and that the password must change");
      await page.screenshot({ path: path.join(shotDir, "users-drawer.png") });
    });

    await step("the administrator resets the password: a new temporary one, shown once; the first no longer works", async () => {
      await page.getByTestId("reset-password").click();
      await page.getByRole("button", { name: "生成临时密码" }).click();
      const again = await takeSecret(page);
      assert(again !== temporary && /^[A-Z]{4}-\d{4}-[a-z]{4}$/.test(again), "the reset did not give a new temporary password");
      temporary = again;
      await closeSecret(page);
    });

    await step("the worker logs in with it, must set a new password first, and then reaches the console", async () => {
      const { ctx, page: worker } = await loginAs(browser, username, temporary, problems);
      await worker.waitForURL((u) => u.pathname === "/change-password");
      await worker.getByTestId("change-password-form").waitFor();
      await worker.screenshot({ path: path.join(shotDir, "users-must-change.png") });
      await worker.getByTestId("password-current").fill(temporary);
      await worker.getByTestId("password-new").fill("abcdefgh");
      await worker.getByTestId("password-confirm").fill("abcdefgh");
      await worker.getByTestId("password-submit").click();
      await waitUntil(async () => (await worker.getByTestId("change-password-form").innerText()).includes("至少 8 位"), "a weak password is not refused");
      await worker.getByTestId("password-new").fill("Hexiaoyan-2026");
      await worker.getByTestId("password-confirm").fill("Hexiaoyan-2026");
      await worker.getByTestId("password-submit").click();
      await worker.waitForURL((u) => u.pathname === "/console");
      const me = await worker.evaluate(async () => (await fetch("/api/auth/me")).json());
      assert(me.user.mustChangePassword === false, "the session still says the password must change");
      await ctx.close();
      const { ctx: again, page: next } = await loginAs(browser, username, "Hexiaoyan-2026", problems);
      await next.waitForURL((u) => u.pathname.startsWith("/console"));
      await again.close();
    });

    await step("a one-time reset link sets a password on /reset/<token>, and only once", async () => {
      await page.getByTestId("reset-password").click();
      await page.getByTestId("reset-link").click();
      const link = await takeSecret(page);
      assert(link.startsWith(`${baseUrl}/reset/`), `the link "${link}" is not a /reset/ link of this site`);
      await closeSecret(page);
      const ctx = await browser.newContext({ viewport, locale: "zh-CN" });
      const reset = await ctx.newPage();
      watchPage(reset, problems);
      const submit = async (password) => {
        await reset.goto(link, { waitUntil: "domcontentloaded" });
        await reset.getByTestId("password-new").fill(password);
        await reset.getByTestId("password-confirm").fill(password);
        await reset.getByTestId("password-submit").click();
        await waitUntil(
          async () => (await reset.getByTestId("reset-done").count()) + (await reset.getByTestId("reset-error").count()) > 0,
          "the reset page shows neither done nor an error",
        ).catch(async (e) => {
          throw new Error(`${e.message}; the page says: ${(await reset.locator("body").innerText()).slice(0, 400)}`);
        });
      };
      await submit("Hexiaoyan-2027!");
      assert((await reset.getByTestId("reset-done").count()) === 1, `the link did not set the password: ${await reset.locator("body").innerText()}`);
      await reset.screenshot({ path: path.join(shotDir, "users-reset-link-done.png") });
      await submit("Hexiaoyan-2028!");
      assert((await reset.getByTestId("reset-error").innerText()).includes("已使用或已过期"), "a used link is not refused clearly");
      await ctx.close();
      const { ctx: c2, page: p2 } = await loginAs(browser, username, "Hexiaoyan-2027!", problems);
      await p2.waitForURL((u) => u.pathname.startsWith("/console"));
      await c2.close();
    });

    await step("the worker's own password change sits in the header's user menu", async () => {
      // The user's drawer from the steps above covers the header: close it first.
      if (await page.getByTestId("user-drawer").isVisible()) {
        await page.locator(".ant-drawer-close").first().click();
        await page.getByTestId("user-drawer").waitFor({ state: "hidden" });
      }
      await page.getByTestId("user-menu").click();
      await page.getByRole("menuitem", { name: "修改密码" }).click();
      await page.getByTestId("change-password-form").waitFor();
      await page.screenshot({ path: path.join(shotDir, "users-own-password.png") });
      await page.keyboard.press("Escape");
    });

    await step("no page problems", async () => {
      assert(problems.length === 0, problems.join("\n"));
    });
  } finally {
    await browser.close();
  }
}

await run(main);
