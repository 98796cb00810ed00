/** `gongzhi setup` and `gongzhi area` as a person runs them, on the embedded database and PostgreSQL. */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { cliTargets, gongzhi } from "../../test-support/cli.js";

const { targets, tempDir, cleanup } = cliTargets("setup");
afterAll(cleanup);

describe.each(targets)("gongzhi setup on $name", (target) => {
  it("refuses a bad street writing nothing, sets up once, then refuses; an area is added as the administrator", async () => {
    const env = { ...(await target.env()), GONGZHI_DEMO: "off" };
    const passwordFile = path.join(tempDir("pw"), "password.txt");
    fs.writeFileSync(passwordFile, "Yulin-setup-2026\n");
    const args = (street: string) => ["setup", "--admin-username", "admin_yl", "--admin-name", "王建国", "--password-file", passwordFile, "--street", street, "--communities", "510107005001,510107005002", "--add-community", "新建社区"];

    const bad = await gongzhi(args("510107999"), env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/There is no division with the code 510107999 \(street\)/);
    expect(await target.query(env, "select count(*)::int as n from areas")).toEqual([{ n: 0 }]);

    const ok = await gongzhi(args("510107005"), env);
    expect(ok.stderr).toBe("");
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/set up 成都市 武侯区 玉林街道 \(510107005\) with 3 communities; system administrator admin_yl/);
    const communities = await target.query(env, "select name from areas where level = 'community' order by code");
    expect(communities.map((c) => c.name)).toEqual([expect.stringMatching(/社区$/), expect.stringMatching(/社区$/), "新建社区"]);

    const again = await gongzhi(args("510107005"), env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/Setup is already done/);

    const added = await gongzhi(["area", "add", "--parent", "510107005", "--name", "玉林新村社区", "--as", "admin_yl"], env);
    expect(added.stderr).toBe("");
    expect(added.stdout).toMatch(/community 玉林新村社区 created under 玉林街道 \(code 510107005\d{3}/);
    const retired = await gongzhi(["area", "retire", "510107005", "--as", "admin_yl"], env);
    expect(retired.code).toBe(1);
    expect(retired.stderr).toMatch(/still has 4 areas in use below it/);
  }, 400_000);
});
