/**
 * Every route rejects malformed input with 400 and the error shape, before anything runs: the
 * routes are read from the OpenAPI document, so a new route is covered without editing this file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser } from "../../test-support/factories.js";

interface Operation {
  method: string;
  path: string;
  hasBody: boolean;
  hasPathParams: boolean;
  hasQuery: boolean;
}

describe.each(testEngines().slice(0, 1))("malformed input on every route ($name)", (engine) => {
  let t: TestApp;
  let admin: Session;
  let operations: Operation[] = [];
  beforeAll(async () => {
    t = await startTestApp(engine);
    const s = await buildTinyStreet(t.database.db);
    admin = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    const doc = t.app.swagger() as { paths: Record<string, Record<string, { parameters?: { in: string; required?: boolean }[]; requestBody?: unknown }>> };
    // Open311 answers in the GeoReport v2 error format with the spec's statuses (403 for a missing
    // api_key before anything else, 404 for an unknown service code, extra parameters ignored);
    // src/modules/open311/open311.test.ts checks those.
    operations = Object.entries(doc.paths).filter(([p]) => !p.startsWith("/open311/")).flatMap(([p, ops]) =>
      Object.entries(ops).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: p,
        hasBody: op.requestBody !== undefined,
        hasPathParams: (op.parameters ?? []).some((x) => x.in === "path"),
        hasQuery: (op.parameters ?? []).some((x) => x.in === "query"),
      })),
    );
  });
  afterAll(async () => t?.close());

  it("finds the API's routes", () => {
    expect(operations.length).toBeGreaterThanOrEqual(12);
  });

  it("answers a malformed path parameter with 400 validation_failed naming the field", async () => {
    const withParams = operations.filter((o) => o.hasPathParams);
    expect(withParams.length).toBeGreaterThan(3);
    for (const o of withParams) {
      const url = o.path.replace(/\{(\w+)\}/g, "not-valid");
      const res = await t.as(admin, o.method as "GET", url, o.hasBody ? {} : undefined);
      expect(res.statusCode, `${o.method} ${o.path}`).toBe(400);
      const body = res.json() as { code: string; message: string; field?: string; requestId?: string };
      expect(body.code, `${o.method} ${o.path}`).toBe("validation_failed");
      expect(body.field).toBeTruthy();
      expect(body.message).toBeTruthy();
      expect(body.requestId).toBe(res.headers["x-request-id"]);
    }
  });

  it("answers an unexpected body property and broken JSON with 400, changing nothing", async () => {
    const before = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries");
    for (const o of operations.filter((x) => x.hasBody)) {
      const url = o.path.replace(/\{(\w+)\}/g, "00000000-0000-4000-8000-000000000000");
      const extra = await t.as(admin, o.method as "POST", url, { surprise: "字段" });
      expect(extra.statusCode, `${o.method} ${o.path}`).toBe(400);
      expect((extra.json() as { code: string }).code).toBe("validation_failed");
      const broken = await t.app.inject({
        method: o.method as "POST",
        url,
        headers: { cookie: admin.cookie, "x-csrf-token": admin.csrf, "content-type": "application/json" },
        payload: '{"a":',
      });
      expect(broken.statusCode, `${o.method} ${o.path}`).toBe(400);
      expect((broken.json() as { code: string }).code).toBe("invalid_json");
    }
    const after = await t.database.query<{ n: string }>("select count(*)::text as n from audit_entries");
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it("answers an unknown query parameter with 400 where the route takes a query", async () => {
    for (const o of operations.filter((x) => x.hasQuery && x.method === "GET")) {
      const res = await t.as(admin, "GET", `${o.path.replace(/\{(\w+)\}/g, "00000000-0000-4000-8000-000000000000")}?surprise=1`);
      expect(res.statusCode, o.path).toBe(400);
    }
  });

  it("answers in English when asked", async () => {
    const res = await t.app.inject({ method: "GET", url: "/api/areas/locate?lng=x&lat=1", headers: { cookie: admin.cookie, "accept-language": "en" } });
    expect(res.json()).toMatchObject({ code: "validation_failed", field: "lng" });
    expect((res.json() as { message: string }).message).toMatch(/^The request is invalid/);
  });
});
