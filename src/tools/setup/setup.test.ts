/**
 * First-run setup over HTTP on both engines: the division codes, the one-time code (wrong, used up
 * by tries, expired), bad input writing nothing, then the administrator and the street created in
 * one go, after which the page is gone and the administrator logs in.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type TestApp } from "../../test-support/app.js";
import { issueSetupCode, maxSetupCodeAttempts } from "../../platform/setup/code.js";

const password = "Yulin-setup-2026";
const body = (code: string, extra: Record<string, unknown> = {}) => ({
  code,
  admin: { username: "admin_yl", displayName: "王建国", password },
  province: "510000",
  city: "510100",
  district: "510107",
  street: "510107005",
  communities: [
    { code: "510107005001", name: "老马路社区（改名）" },
    { code: "510107005002", name: "玉林北路社区" },
    { name: "新建社区" },
  ],
  ...extra,
});

describe.each(testEngines())("first-run setup on $name", (engine) => {
  let t: TestApp;
  const counts = async () =>
    (await t.database.query<{ a: string; u: string; g: string }>(
      "select (select count(*) from areas)::text as a, (select count(*) from users)::text as u, (select count(*) from role_grants)::text as g",
    ))[0];
  const post = (payload: unknown) => t.app.inject({ method: "POST", url: "/api/setup", payload: payload as object });

  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(async () => t?.close());

  it("says setup is needed and lists the division codes without a login meanwhile", async () => {
    expect((await t.as(null, "GET", "/api/setup")).json()).toEqual({ needed: true });
    const provinces = (await t.as(null, "GET", "/api/divisions")).json() as { items: { code: string; name: string }[] };
    expect(provinces.items).toContainEqual({ code: "510000", name: "四川省" });
    expect(provinces.items).toContainEqual({ code: "110000", name: "北京市" });
    const cities = (await t.as(null, "GET", "/api/divisions?parent=510000")).json() as { items: { code: string; name: string }[] };
    expect(cities.items).toContainEqual({ code: "510100", name: "成都市" });
    // A municipality's 市辖区 is the municipality itself.
    expect(((await t.as(null, "GET", "/api/divisions?parent=110000")).json() as { items: { name: string }[] }).items[0]!.name).toBe("北京市");
    const districts = (await t.as(null, "GET", "/api/divisions?parent=510100")).json() as { items: { code: string; name: string }[] };
    expect(districts.items).toContainEqual({ code: "510107", name: "武侯区" });
    const streets = (await t.as(null, "GET", "/api/divisions?parent=510107")).json() as { items: { code: string; name: string }[] };
    expect(streets.items).toContainEqual({ code: "510107005", name: "玉林街道" });
    const communities = (await t.as(null, "GET", "/api/divisions?parent=510107005")).json() as { items: { code: string; name: string }[] };
    expect(communities.items.length).toBeGreaterThan(3);
    expect(communities.items.every((c) => /^510107005\d{3}$/.test(c.code) && !c.name.endsWith("居委会"))).toBe(true);
    const unknown = await t.as(null, "GET", "/api/divisions?parent=519900");
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json()).toMatchObject({ code: "division_unknown", field: "parent" });
  });

  it("refuses a wrong code, counting the tries, and voids the code after too many", async () => {
    const issued = (await issueSetupCode(t.database.db))!;
    const before = await counts();
    const wrong = await post(body("AAAA-AAAA-AAAA"));
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({ code: "setup_code_invalid", field: "code" });
    expect(wrong.json<{ message: string }>().message).toContain(`还可再试 ${maxSetupCodeAttempts - 1} 次`);
    for (let i = 1; i < maxSetupCodeAttempts; i++) {
      const r = await t.app.inject({ method: "POST", url: "/api/setup/code", payload: { code: "BBBB-BBBB-BBBB" } });
      expect(r.json()).toMatchObject({ code: "setup_code_invalid" });
    }
    // The right code comes too late: the tries used it up.
    const late = await post(body(issued.code));
    expect(late.statusCode).toBe(400);
    expect(late.json()).toMatchObject({ code: "setup_code_expired", field: "code" });
    expect(await counts()).toEqual(before);
  });

  it("refuses an expired code", async () => {
    const old = (await issueSetupCode(t.database.db, new Date(Date.now() - 25 * 3_600_000)))!;
    const r = await t.app.inject({ method: "POST", url: "/api/setup/code", payload: { code: old.code } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ code: "setup_code_expired" });
  });

  it("refuses bad input with its field, writing nothing and leaving the code usable", async () => {
    const { code } = (await issueSetupCode(t.database.db))!;
    const ok = await t.app.inject({ method: "POST", url: "/api/setup/code", payload: { code: code.toLowerCase().replace(/-/g, " ") } });
    expect(ok.statusCode).toBe(204);
    const before = await counts();
    const cases: [Record<string, unknown>, string, string][] = [
      [{ street: "510107999" }, "division_unknown", "street"],
      [{ district: "510104" }, "division_not_under", "street"],
      [{ district: "510199" }, "division_unknown", "district"],
      [{ communities: [{ code: "510104001001", name: "别处社区" }] }, "division_not_under", "communities[0].code"],
      [{ communities: [{ code: "510107005999", name: "不存在社区" }] }, "division_unknown", "communities[0].code"],
      [{ communities: [{ name: "同名" }, { name: "同名" }] }, "conflict", "communities[1].name"],
      [{ admin: { username: "admin_yl", displayName: "王建国", password: "weakpass" } }, "password_too_weak", "password"],
      [{ admin: { username: "a b", displayName: "王建国", password } }, "validation_failed", "username"],
    ];
    for (const [extra, errorCode, field] of cases) {
      const r = await post(body(code, extra));
      expect(r.json(), JSON.stringify(extra)).toMatchObject({ code: errorCode, field });
      expect(r.statusCode).toBeGreaterThanOrEqual(400);
    }
    expect(await counts()).toEqual(before);
    expect((await t.as(null, "GET", "/api/setup")).json()).toEqual({ needed: true });

    const done = await post(body(code));
    expect(done.statusCode, done.body).toBe(201);
    const r = done.json() as { username: string; street: { id: string; name: string; code: string }; city: { name: string }; district: { name: string }; communities: { code: string; name: string }[] };
    expect(r).toMatchObject({ username: "admin_yl", street: { name: "玉林街道", code: "510107005" }, city: { name: "成都市" }, district: { name: "武侯区" } });
    expect(r.communities.map((c) => c.name)).toEqual(["老马路社区（改名）", "玉林北路社区", "新建社区"]);
    // The extra community gets the next code after the street's official ones.
    expect(Number(r.communities[2]!.code.slice(9))).toBeGreaterThan(Number(r.communities[1]!.code.slice(9)));
    const audit = await t.database.query<{ action: string }>("select action from audit_entries where action in ('setup.complete', 'area.jurisdiction', 'user.create') order by id");
    expect(audit.map((a) => a.action)).toEqual(["area.jurisdiction", "user.create", "setup.complete"]);
  });

  it("is gone after setup: the page answers 409, divisions need a login, the administrator logs in", async () => {
    expect((await t.as(null, "GET", "/api/setup")).json()).toEqual({ needed: false });
    const again = await post(body("ANY-CODE"));
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: "setup_done" });
    expect((await t.app.inject({ method: "POST", url: "/api/setup/code", payload: { code: "X" } })).statusCode).toBe(409);
    expect((await t.as(null, "GET", "/api/divisions")).statusCode).toBe(401);
    expect(await issueSetupCode(t.database.db)).toBeUndefined();
    const admin = await t.login("admin_yl", password);
    const roots = (await t.as(admin, "GET", "/api/areas/roots")).json() as { items: { name: string; level: string }[] };
    expect(roots.items).toEqual([expect.objectContaining({ name: "成都市", level: "city" })]);
    expect((await t.as(admin, "GET", "/api/divisions?parent=510107005")).statusCode).toBe(200);
  });
});
