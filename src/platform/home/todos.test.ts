/**
 * The console home's to-dos (GET /api/home/todos), on both engines: for every demo login each item's
 * count is the length of the list its link opens (the list API takes the link's query); a
 * department gets its summons and no community queue; an administrator granted on no area gets
 * no queue of an empty scope; the summons items follow a whistle through report-in, finish and score.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { demoLogins, demoPassword, loadDemoStreet } from "../../tools/demo/index.js";

interface Todo {
  key: string;
  count: number;
  label: { zh: string; en: string };
  link: string;
  severity: string;
}

/** The list API behind each linked console page: same query, one row per page is enough for `total`. */
const listApis: Record<string, string> = {
  "/console/cases": "/api/cases",
  "/console/summons": "/api/summons",
  "/console/party/registrations": "/api/party/registrations",
  "/console/accounts/signups": "/api/accounts/signups",
};

describe.each(testEngines())("home to-dos on $name", (engine) => {
  let t: TestApp;
  const todosOf = async (who: Session) => {
    const res = await t.as(who, "GET", "/api/home/todos");
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as { items: Todo[] }).items;
  };
  /** The `total` of the list the item links to. */
  const linkedTotal = async (who: Session, link: string) => {
    const [path, query = ""] = link.split("?");
    const api = listApis[path!];
    expect(api, `no list API for ${link}`).toBeDefined();
    const q = new URLSearchParams(query);
    q.set("pageSize", "1");
    const res = await t.as(who, "GET", `${api}?${q.toString()}`);
    expect(res.statusCode, `${link}: ${res.body}`).toBe(200);
    return (res.json() as { total: number }).total;
  };

  describe("the demo street", () => {
    const sessions = new Map<string, Session>();
    afterAll(async () => t?.close());
    beforeAll(async () => {
      t = await startTestApp(engine);
      await loadDemoStreet(t.database, { keyring: t.keyring });
      for (const l of demoLogins) sessions.set(l.username, await t.login(l.username, demoPassword));
    }, 600_000);

    it("counts for every login exactly what the linked list shows", async () => {
      let nonZero = 0;
      for (const l of demoLogins) {
        const who = sessions.get(l.username)!;
        const items = await todosOf(who);
        expect(new Set(items.map((i) => i.key)).size, l.username).toBe(items.length);
        for (const item of items) {
          expect(item.label.zh.length).toBeGreaterThan(0);
          expect(await linkedTotal(who, item.link), `${l.username} ${item.key}`).toBe(item.count);
          if (item.count > 0) nonZero++;
        }
      }
      // The demo has work waiting, so the equalities above compare real numbers.
      expect(nonZero).toBeGreaterThan(3);
    }, 300_000);

    it("gives each role the queues it acts in", async () => {
      const keys = async (u: string) => (await todosOf(sessions.get(u)!)).map((i) => i.key);
      expect(await keys("communityworker")).toEqual(expect.arrayContaining(["cases.toRegister", "cases.toDispatch", "cases.toVerify", "cases.overdue", "summons.toScore", "people.registrations"]));
      expect(await keys("streetadmin")).toEqual(expect.arrayContaining(["cases.toRegister", "cases.toDispatch", "cases.toClose", "summons.toScore", "people.registrations"]));
      const dept = await keys("deptstaff");
      expect(dept).toEqual(expect.arrayContaining(["cases.handling", "summons.toReportIn", "summons.toFinish"]));
      expect(dept.filter((k) => ["cases.toRegister", "cases.toDispatch", "cases.toVerify", "cases.toClose", "summons.toScore"].includes(k) || k.startsWith("people."))).toEqual([]);
      const grid = await keys("gridworker");
      expect(grid).toEqual(expect.arrayContaining(["cases.handling", "cases.toVerify"]));
      expect(grid.some((k) => k === "cases.toDispatch" || k.startsWith("people.") || k.startsWith("summons."))).toBe(false);
      expect(await keys("analyst")).toEqual(["cases.overdue"]);
      expect(await keys("resident")).toEqual([]);
      // The grid worker has results the community reported to check (the demo says so).
      expect((await todosOf(sessions.get("gridworker")!)).find((i) => i.key === "cases.toVerify")!.count).toBeGreaterThan(0);
    });
  });

  describe("a whistle on a tiny street", () => {
    let s: TinyStreet;
    let cat: TestCatalogue;
    let worker: Session;
    let dept: Session;
    let admin: Session;
    let photoSeq = 0;
    const deptUser = async (orgId: string) => {
      const u = await createTestUser(t.database.db, { role: "departmentStaff", areaId: cat.districtId });
      await t.database.query("update role_grants set org_id = $1 where user_id = $2", [orgId, u.id]);
      await t.database.query("update users set org_id = $1 where id = $2", [orgId, u.id]);
      return { session: await t.login(u.username), id: u.id };
    };
    const photo = async (uploadedBy: string) => {
      const bytes = Buffer.from(`not really a png ${++photoSeq}`);
      const r = await t.database.query<{ id: string }>(
        "insert into case_photos (uploaded_by, mime, size, sha256, width, height, bytes) values ($1, 'image/png', $2, $3, 10, 10, $4) returning id",
        [uploadedBy, bytes.length, createHash("sha256").update(bytes).digest("hex"), bytes],
      );
      return r[0]!.id;
    };
    const countOf = async (who: Session, key: string) => (await todosOf(who)).find((i) => i.key === key)?.count;
    let deptId = "";

    afterAll(async () => t?.close());
    beforeAll(async () => {
      // Its own app: the demo has its catalogue, the tiny street brings one.
      t = await startTestApp(engine);
      s = await buildTinyStreet(t.database.db, "991700");
      cat = await seedCaseCatalogue(t.database.db, s);
      worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
      const d = await deptUser(cat.departmentId);
      dept = d.session;
      deptId = d.id;
      admin = await t.login((await createTestUser(t.database.db, { role: "systemAdmin", areaId: null })).username);
    }, 300_000);

    it("moves a summons from the department's 待报到 to 待办结, then to the community's 待评分", async () => {
      const c = await insertCase(t.database.db, s, cat.garbage, { status: "inProgress" });
      expect((await t.as(worker, "POST", `/api/cases/${c.id}/whistle`, { departmentOrgIds: [cat.departmentId], reason: "垃圾清运需要住建到场" })).statusCode).toBe(201);
      expect(await countOf(dept, "summons.toReportIn")).toBe(1);
      expect(await countOf(dept, "summons.toFinish")).toBe(0);
      expect(await countOf(worker, "summons.toScore")).toBe(0);
      // The department has nothing of the community's: no registration, register, dispatch or score queue.
      const deptKeys = (await todosOf(dept)).map((i) => i.key);
      expect(deptKeys).toEqual(["cases.handling", "cases.overdue", "summons.toReportIn", "summons.toFinish", "summons.overdue"]);

      const [sid] = (await t.database.query<{ id: string }>("select id from case_summons where case_id = $1", [c.id])).map((r) => r.id);
      expect((await t.as(dept, "POST", `/api/summons/${sid}/report-in`, {})).statusCode).toBe(200);
      expect(await countOf(dept, "summons.toReportIn")).toBe(0);
      expect(await countOf(dept, "summons.toFinish")).toBe(1);
      const fin = await t.as(dept, "POST", `/api/summons/${sid}/finish`, { note: "已清运完毕", evidence: [await photo(deptId)] });
      expect(fin.statusCode, fin.body).toBe(200);
      expect(await countOf(dept, "summons.toFinish")).toBe(0);
      expect(await countOf(worker, "summons.toScore")).toBe(1);
      for (const item of await todosOf(worker)) expect(await linkedTotal(worker, item.link), item.key).toBe(item.count);
      for (const item of await todosOf(dept)) expect(await linkedTotal(dept, item.link), item.key).toBe(item.count);
      expect((await t.as(worker, "POST", `/api/summons/${sid}/score`, { score: 5 })).statusCode).toBe(200);
      expect(await countOf(worker, "summons.toScore")).toBe(0);
    });

    it("counts a case waiting for registration for the community worker, not for the department", async () => {
      const before = await countOf(worker, "cases.toRegister");
      await insertCase(t.database.db, s, cat.garbage, { status: "submitted" });
      expect(await countOf(worker, "cases.toRegister")).toBe(before! + 1);
      expect(await countOf(dept, "cases.toRegister")).toBeUndefined();
    });

    it("answers an administrator granted on no area with no queue of an empty scope", async () => {
      expect(await todosOf(admin)).toEqual([]);
      expect((await t.as(null, "GET", "/api/home/todos")).statusCode).toBe(401);
    });
  });
});
