/**
 * Input is checked in one place (validation.ts): text with control characters, numbers that are
 * not finite or out of range, and JSON bodies of the wrong type are 400s naming the field, and
 * nothing is written. The requests are those of the hardening probe (issue 10).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { createApiKey } from "../auth/service.js";
import { findUnsafeValue, withIntegerBounds } from "./validation.js";

describe("findUnsafeValue", () => {
  it("points at the first text with a control character other than tab, line feed and carriage return, or a non-finite number", () => {
    expect(findUnsafeValue({ a: "第一行\n\t第二行\r\n", b: [1, 2.5, -3], c: null, d: true })).toBeNull();
    expect(findUnsafeValue({ a: "ok", b: ["x", "y\u0000"] })).toEqual({ instancePath: "/b/1", message: "must not contain control characters" });
    for (const c of ["\u0001", "\u0008", "\u000b", "\u000c", "\u001b", "\u001f"]) expect(findUnsafeValue({ s: `a${c}` })?.instancePath).toBe("/s");
    expect(findUnsafeValue({ deep: { "a/b": Infinity } })).toEqual({ instancePath: "/deep/a~1b", message: "must be a finite number" });
    expect(findUnsafeValue({ attrs: { "k\u0000": "v" } })?.instancePath).toBe("/attrs");
  });

  it("walks deep nesting without recursion", () => {
    let v: unknown = "\u0000";
    for (let i = 0; i < 100_000; i++) v = [v];
    expect(findUnsafeValue(v)?.message).toBe("must not contain control characters");
  });
});

describe("withIntegerBounds", () => {
  it("holds an integer without bounds to PostgreSQL's integer range, keeping given bounds, values and the original", () => {
    const schema = {
      type: "object",
      properties: { a: { type: "integer" }, b: { type: "integer", minimum: 0, maximum: 9 }, c: { type: "number" }, d: { anyOf: [{ type: "integer", exclusiveMaximum: 5 }, { type: "null" }] } },
      default: { a: 1 },
    };
    const copy = JSON.stringify(schema);
    expect(withIntegerBounds(schema)).toEqual({
      type: "object",
      properties: {
        a: { type: "integer", minimum: -2147483648, maximum: 2147483647 },
        b: { type: "integer", minimum: 0, maximum: 9 },
        c: { type: "number" },
        d: { anyOf: [{ type: "integer", exclusiveMaximum: 5, minimum: -2147483648 }, { type: "null" }] },
      },
      default: { a: 1 },
    });
    expect(JSON.stringify(schema)).toBe(copy);
  });
});

describe.each(testEngines())("strict input on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let resident: Session;
  let residentUserId: string;
  let worker: Session;
  let streetAdmin: Session;
  let systemAdmin: Session;
  let apiKey: string;

  const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.database.query<T>(text, params);
  const count = async (table: string) => Number((await q<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const expect400 = (res: LightMyRequestResponse, field: string, detail: RegExp) => {
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json<{ code: string; field?: string; message: string; requestId: string }>();
    expect(body).toMatchObject({ code: "validation_failed", field });
    expect(body.message).toMatch(detail);
    expect(body.requestId).toBe(res.headers["x-request-id"]);
  };
  const controlChars = /control characters/;

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    const db = t.database.db;
    const r = await createTestUser(db, { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    residentUserId = r.id;
    resident = await t.login(r.username);
    worker = await t.login((await createTestUser(db, { role: "communityWorker", areaId: s.communityA })).username);
    const street = await createTestUser(db, { role: "streetAdmin", areaId: s.street });
    streetAdmin = await t.login(street.username);
    systemAdmin = await t.login((await createTestUser(db, { role: "systemAdmin", areaId: null })).username);
    apiKey = (await createApiKey(db, { userId: street.id, name: "12345 对接" })).key;
  });
  afterAll(async () => t?.close());

  describe("control characters", () => {
    it("refuses a NUL in a login name with 400, before any account is looked at", async () => {
      const res = await t.app.inject({ method: "POST", url: "/api/auth/login", headers: { "accept-language": "en" }, payload: { username: "a\u0000", password: "x" } });
      expect400(res, "username", /^The request is invalid: body\.username must not contain control characters/);
    });

    it("refuses a NUL in a query string and in a path", async () => {
      expect400(await t.as(worker, "GET", "/api/areas/search?q=%00"), "q", controlChars);
      expect400(await t.as(worker, "GET", "/api/areas/search?q=%E7%94%B2%1B"), "q", controlChars);
    });

    it("answers Open311's NULs in Open311's own error format", async () => {
      for (const url of ["/open311/v2/services/%00.json", "/open311/v2/tokens/%00.json"]) {
        const res = await t.app.inject({ method: "GET", url });
        expect(res.statusCode, url).toBe(400);
        expect(res.json<{ code: number; description: string }[]>()[0]).toMatchObject({ code: 400, description: expect.stringMatching(/^params\.\w+ must not contain control characters$/) as string });
      }
      const xml = await t.app.inject({ method: "GET", url: "/open311/v2/services/%00.xml" });
      expect(xml.statusCode).toBe(400);
      expect(xml.body).toMatch(/<errors><error><code>400<\/code><description>params\.service_code must not contain control characters<\/description><\/error><\/errors>/);
      const before = await count("cases");
      const form = new URLSearchParams({ api_key: apiKey, service_code: cat.garbage.code, lat: "30.00462", long: "104.00537", description: "垃圾\u0000桶满了" }).toString();
      const post = await t.app.inject({ method: "POST", url: "/open311/v2/requests.json", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: form });
      expect(post.statusCode, post.body).toBe(400);
      expect(post.json<{ description: string }[]>()[0]!.description).toBe("body.description must not contain control characters");
      expect(await count("cases")).toBe(before);
    });

    it("refuses a report whose description holds a NUL, and takes one with line breaks and tabs", async () => {
      const before = await count("cases");
      const body = { categoryCode: cat.garbage.code, lng: 104.005, lat: 30.005 };
      expect400(await t.as(resident, "POST", "/api/cases", { ...body, description: "垃圾桶\u0000满了" }), "description", controlChars);
      expect400(await t.as(resident, "POST", "/api/cases", { ...body, description: "垃圾桶满了", locationText: "3栋\u0007门口" }), "locationText", controlChars);
      expect(await count("cases")).toBe(before);
      const ok = await t.as(resident, "POST", "/api/cases", { ...body, description: "垃圾桶满了。\r\n\t已经两天了" });
      expect(ok.statusCode, ok.body).toBe(201);
    });

    it("refuses a household note with a NUL and leaves the household as it was", async () => {
      const [before] = await q("select * from households where id = $1", [s.householdA1]);
      expect400(await t.as(worker, "PATCH", `/api/households/${s.householdA1}`, { note: "独居老人\u0000" }), "note", controlChars);
      const [after] = await q("select * from households where id = $1", [s.householdA1]);
      expect(after).toEqual(before);
    });
  });

  describe("control characters in uploaded files", () => {
    const upload = (csv: string) =>
      t.app.inject({
        method: "POST",
        url: `/api/imports/buildings?areaId=${s.communityA}`,
        headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "content-type": "text/csv", "x-file-name": encodeURIComponent("楼栋台账.csv"), "accept-language": "en" },
        payload: csv,
      });

    it("refuses ledger cells with control characters as row problems naming the cells, writing nothing", async () => {
      const before = { compounds: await count("compounds"), buildings: await count("buildings") };
      // A NUL in the first 8 KB makes the file binary (415); past them it is read as a cell.
      const rows = Array.from({ length: 300 }, (_, i) => `幸福小区,${i + 1}栋,6,104.005,30.005`);
      const res = await upload(["小区,楼栋名称,层数,经度,纬度", ...rows, "幸福\u0000小区,301栋,6,104.005,30.005", "幸福小区,302栋\u001b[31m,6,104.005,30.005"].join("\n"));
      expect(res.statusCode, res.body).toBe(422);
      const problems = res.json<{ problems: { row: number; column: string; code: string; message: string }[] }>().problems;
      expect(problems).toEqual([
        expect.objectContaining({ row: 302, column: "小区", code: "control_characters", message: "Row 302, column “小区”: contains control characters" }),
        expect.objectContaining({ row: 303, column: "楼栋名称", code: "control_characters" }),
      ]);
      expect({ compounds: await count("compounds"), buildings: await count("buildings") }).toEqual(before);
    });

    it("refuses a file name or a column mapping with a control character, naming the header, writing nothing", async () => {
      const before = { compounds: await count("compounds"), buildings: await count("buildings"), audit: await count("audit_entries") };
      const csv = "小区,楼栋名称,层数,经度,纬度\n和平小区,1栋,6,104.005,30.005\n";
      const send = (headers: Record<string, string>) =>
        t.app.inject({
          method: "POST",
          url: `/api/imports/buildings?areaId=${s.communityA}`,
          headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "content-type": "text/csv", "x-file-name": "ok.csv", ...headers },
          payload: csv,
        });
      expect400(await send({ "x-file-name": "%E6%A5%BC%00.csv" }), "x-file-name", controlChars);
      expect400(await send({ "x-column-mapping": encodeURIComponent(JSON.stringify({ name: "楼栋\u0000名称" })) }), "x-column-mapping", controlChars);
      expect({ compounds: await count("compounds"), buildings: await count("buildings"), audit: await count("audit_entries") }).toEqual(before);
    });
  });

  describe("paths the router cannot read", () => {
    it("answers a path parameter over 100 characters and broken percent-encoding with 400 in the one error shape", async () => {
      for (const url of [`/api/cases/${"9".repeat(400)}`, "/api/cases/%E0%A4%A", `/open311/v2/requests/${"a".repeat(200)}.json`]) {
        const res = await t.as(null, "GET", url);
        expect(res.statusCode, url).toBe(400);
        expect(res.json(), url).toEqual({ code: "validation_failed", message: expect.stringMatching(/^提交的内容不符合要求：(a path parameter is too long|the path is not valid)$/) as string, requestId: res.headers["x-request-id"] });
      }
    });
  });

  describe("numbers", () => {
    it("refuses non-finite and out-of-range numbers in query strings, anonymously too", async () => {
      expect400(await t.as(null, "GET", "/api/audit/checkpoints?limit=1e309"), "limit", /finite/);
      expect400(await t.as(null, "GET", "/api/audit/checkpoints?limit=Infinity"), "limit", /finite/);
      expect400(await t.as(null, "GET", "/api/audit/checkpoints?afterId=-Infinity"), "afterId", /finite/);
      expect400(await t.as(null, "GET", `/api/audit/checkpoints?afterId=${"9".repeat(400)}`), "afterId", /finite/);
      // An integer whose schema names no maximum is held to PostgreSQL's integer range.
      expect400(await t.as(null, "GET", `/api/audit/checkpoints?afterId=${"9".repeat(30)}`), "afterId", /<= 2147483647/);
      expect400(await t.as(worker, "GET", "/api/households?pageSize=Infinity"), "pageSize", /finite/);
      expect400(await t.as(worker, "GET", "/api/households?page=1e309"), "page", /finite/);
      expect400(await t.as(worker, "GET", "/api/areas/locate?lng=Infinity&lat=30"), "lng", /finite/);
      // Query strings are still read as numbers and booleans.
      expect((await t.as(worker, "GET", "/api/households?page=1&pageSize=5")).statusCode).toBe(200);
      expect((await t.as(null, "GET", `/api/public/communities/${s.communityA}/cases?page=1`)).statusCode).toBe(200);
    });

    it("refuses a number too large to be finite in a JSON body", async () => {
      const res = await t.app.inject({
        method: "PATCH",
        url: `/api/households/${s.householdA1}`,
        headers: { cookie: worker.cookie, "x-csrf-token": worker.csrf, "content-type": "application/json" },
        payload: `{"size":1${"0".repeat(400)}}`,
      });
      expect400(res, "size", /must be integer/);
    });
  });

  describe("JSON bodies are not coerced", () => {
    it("refuses {active: null} for a webhook and leaves it active", async () => {
      const created = await t.as(systemAdmin, "POST", "/api/webhooks", { name: "12345 热线平台", url: "https://hooks.example.org/gongzhi", events: ["case.registered"] });
      expect(created.statusCode, created.body).toBe(201);
      const id = created.json<{ webhook: { id: string } }>().webhook.id;
      expect400(await t.as(systemAdmin, "PATCH", `/api/webhooks/${id}`, { active: null }), "active", /must be boolean/);
      expect400(await t.as(systemAdmin, "PATCH", `/api/webhooks/${id}`, { active: "false" }), "active", /must be boolean/);
      const [row] = await q<{ active: boolean }>("select active from webhooks where id = $1", [id]);
      expect(row!.active).toBe(true);
    });

    it("refuses {name: true} for a grid and keeps its name", async () => {
      expect400(await t.as(streetAdmin, "PATCH", `/api/areas/${s.gridA2}`, { name: true }), "name", /must be string/);
      const [row] = await q<{ name: string }>("select name from areas where id = $1", [s.gridA2]);
      expect(row!.name).toBe("甲社区第二网格");
    });

    it("refuses {size: true} for a household and keeps its size", async () => {
      expect400(await t.as(worker, "PATCH", `/api/households/${s.householdA2}`, { size: true }), "size", /must be integer/);
      expect400(await t.as(worker, "PATCH", `/api/households/${s.householdA2}`, { size: "3" }), "size", /must be integer/);
      const [row] = await q<{ size: number }>("select size from households where id = $1", [s.householdA2]);
      expect(row!.size).toBe(2);
    });

    it("refuses {reason: 123} for cancelling a case, which stays submitted", async () => {
      const c = await insertCase(t.database.db, s, cat.garbage, { reporterUserId: residentUserId });
      const events = await count("case_events");
      expect400(await t.as(resident, "POST", `/api/cases/${c.id}/cancel`, { reason: 123 }), "reason", /must be string/);
      const [row] = await q<{ status: string }>("select status from cases where id = $1", [c.id]);
      expect(row!.status).toBe("submitted");
      expect(await count("case_events")).toBe(events);
    });
  });
});
