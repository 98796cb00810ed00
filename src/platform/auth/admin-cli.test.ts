/**
 * `gongzhi user list|disable|enable|unlock|reset-password|grant|revoke` as a person runs them: a
 * real process on the embedded database or PostgreSQL. Refusals are one line; secrets go to stdout
 * only, once.
 */
import { afterAll, describe, expect, it } from "vitest";
import { cliTargets, gongzhi } from "../../test-support/cli.js";

const { targets, cleanup } = cliTargets("usercli");
afterAll(cleanup);

const street = "00000000-0000-4000-8000-000000000001";
const community = "00000000-0000-4000-8000-000000000002";

describe.each(targets)("gongzhi user on $name", (target) => {
  it("lists, grants, revokes, disables, enables, resets and unlocks", async () => {
    const env = await target.env();
    expect((await gongzhi(["migrate"], env)).code).toBe(0);
    await target.query(
      env,
      `insert into areas (id, level, code, name, path, depth, parent_id) values
        ('${street}', 'street', '510107005', '玉林街道', '/${street}/', 0, null),
        ('${community}', 'community', '510107005001', '玉林东路社区', '/${street}/${community}/', 1, '${street}')`,
    );
    const add = await gongzhi(["user", "add", "lihm", "--name", "李红梅", "--role", "communityWorker", "--area", "510107005001", "--password-stdin"], env, "Yulin-street-2026\n");
    expect(add.code, add.stderr).toBe(0);

    const grant = await gongzhi(["user", "grant", "lihm", "--role", "streetAdmin", "--area", "510107005"], env);
    expect(grant.code, grant.stderr).toBe(0);
    const badGrant = await gongzhi(["user", "grant", "lihm", "--role", "gridWorker", "--area", "510107005"], env);
    expect(badGrant.code).not.toBe(0);
    expect(badGrant.stderr.trim().split("\n")).toHaveLength(1);
    expect(badGrant.stderr).toMatch(/grants\.|areaId|grid/);

    const list = await gongzhi(["user", "list"], env);
    expect(list.code, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/lihm\s+李红梅\s+communityWorker@玉林东路社区, streetAdmin@玉林街道/);

    expect((await gongzhi(["user", "revoke", "lihm", "--role", "streetAdmin"], env)).code).toBe(0);
    const none = await gongzhi(["user", "revoke", "lihm", "--role", "streetAdmin"], env);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/holds no streetAdmin/);

    expect((await gongzhi(["user", "disable", "lihm"], env)).code).toBe(0);
    expect((await gongzhi(["user", "list", "--disabled"], env)).stdout).toMatch(/lihm .*\[disabled\]/);
    expect((await gongzhi(["user", "enable", "lihm"], env)).code).toBe(0);
    expect((await gongzhi(["user", "list", "--disabled"], env)).stdout).toBe("");

    const temp = await gongzhi(["user", "reset-password", "lihm"], env);
    expect(temp.code, temp.stderr).toBe(0);
    expect(temp.stdout.trim()).toMatch(/^[A-Z]{4}-\d{4}-[a-z]{4}$/);
    const link = await gongzhi(["user", "reset-password", "lihm", "--link", "--base-url", "https://gongzhi.example.org/"], env);
    expect(link.stdout.trim()).toMatch(/^https:\/\/gongzhi\.example\.org\/reset\/[\w-]{40,}$/);
    expect((await gongzhi(["user", "list"], env)).stdout).toMatch(/must change password/);

    await target.query(env, "update users set locked_until = now() + interval '10 minutes', failed_logins = 0 where username = 'lihm'");
    expect((await gongzhi(["user", "list", "--locked"], env)).stdout).toMatch(/lihm/);
    expect((await gongzhi(["user", "unlock", "lihm"], env)).code).toBe(0);
    expect((await gongzhi(["user", "list", "--locked"], env)).stdout).toBe("");

    const unknown = await gongzhi(["user", "disable", "nobody"], env);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr.trim()).toBe("gongzhi: no user nobody");

    // Every change is in the audit log, and the log holds neither the password nor the link.
    const audit = await target.query(env, "select action, coalesce(summary::text, '') as summary from audit_entries order by id");
    expect(audit.map((a) => a.action)).toEqual(["user.create", "user.grant", "user.revoke", "user.disable", "user.enable", "user.resetPassword", "user.resetPassword", "user.unlock"]);
    const text = JSON.stringify(audit);
    expect(text).not.toContain(temp.stdout.trim());
    expect(text).not.toContain(link.stdout.trim().split("/reset/")[1]);
  }, 600_000);
});
