import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import type { LightMyRequestResponse } from "fastify";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { createApiKey } from "../../platform/auth/service.js";
import { caseCatalogues, caseCategories, cases, type CategoryAttribute } from "../cases/schema.js";
import { child, parseXml, toXml, type XmlElement } from "./xml.js";
import { coarse, isoChina, parseIsoInstant } from "./mapping.js";
import { chinaMidnight, listRequests } from "./service.js";
import { collapseSlashes } from "../../platform/http/server.js";

describe("Open311 XML and mapping helpers", () => {
  it("writes the spec's element names, escapes text and reads its own output back", () => {
    const doc = toXml("service_requests", [{ service_request_id: "GZ1", status_notes: 'a<b & "c"', media_url: null, lat: 30.005 }]);
    expect(doc).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><service_requests><request><service_request_id>GZ1</service_request_id><status_notes>a&lt;b &amp; &quot;c&quot;</status_notes><media_url/><lat>30.005</lat></request></service_requests>',
    );
    const root = parseXml(doc);
    expect(child(child(root, "request")!, "status_notes")!.text).toBe('a<b & "c"');
    expect(() => parseXml("<a><b></a>")).toThrow();
    expect(() => parseXml("<a>")).toThrow();
  });

  it("dates carry +08:00; inputs must carry a zone; coordinates round to about 100 m", () => {
    expect(isoChina(new Date("2026-03-01T00:15:30Z"))).toBe("2026-03-01T08:15:30+08:00");
    expect(parseIsoInstant("2026-03-01T08:15:30+08:00")?.toISOString()).toBe("2026-03-01T00:15:30.000Z");
    expect(parseIsoInstant("2026-03-01T00:15:30Z")?.toISOString()).toBe("2026-03-01T00:15:30.000Z");
    expect(parseIsoInstant("2026-03-01T08:15:30+0800")?.toISOString()).toBe("2026-03-01T00:15:30.000Z");
    expect(parseIsoInstant("2026-03-01")).toBeUndefined();
    expect(parseIsoInstant("2026-03-01T08:15:30")).toBeUndefined();
    expect(parseIsoInstant("2026-13-01T08:15:30Z")).toBeUndefined();
    expect(coarse(104.00537)).toBe(104.005);
    expect(coarse(30.00462)).toBe(30.005);
  });

  it("reads a date alone as 00:00 China time, refusing dates that do not exist", () => {
    expect(chinaMidnight("2026-12-01")?.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    for (const bad of ["2026-02-30", "2026-13-01", "2026-1-01", "2026-12-01T00:00:00Z", ""]) expect(chinaMidnight(bad), bad).toBeUndefined();
  });

  it("collapses runs of slashes only in the path, only under the given prefixes", () => {
    const under = ["/open311"];
    expect(collapseSlashes("/open311/v2//services.xml?a=http://x//y", under)).toBe("/open311/v2/services.xml?a=http://x//y");
    expect(collapseSlashes("/open311///v2//requests.json", under)).toBe("/open311/v2/requests.json");
    expect(collapseSlashes("/open311/v2/services.xml?next=//x", under)).toBe("/open311/v2/services.xml?next=//x");
    expect(collapseSlashes("/open311/v2/.//..//services.json", under)).toBe("/open311/v2/./../services.json");
    for (const untouched of ["/api//health", "//open311/v2/services.xml", "/open3110//x", "/open311/v2/%2F%2Fservices.xml"]) expect(collapseSlashes(untouched, under)).toBe(untouched);
  });
});

const attributes: CategoryAttribute[] = [
  {
    code: "BIN_TYPE",
    variable: true,
    datatype: "singlevaluelist",
    required: true,
    description: "垃圾类型",
    order: 1,
    values: [
      { key: "household", name: "生活垃圾" },
      { key: "construction", name: "建筑垃圾" },
    ],
  },
  { code: "HAZARDS", variable: true, datatype: "multivaluelist", required: false, description: "影响", order: 3, values: [{ key: "smell", name: "异味" }, { key: "blocking", name: "堵路" }] },
  { code: "PHOTO_HINT", variable: false, datatype: "string", required: false, description: "请尽量附照片", order: 2 },
];

const secretPhone = "13912345678";
const secretWords = "我家楼下垃圾堆了三天没人管，请联系张三丰";

function form(fields: Record<string, string | string[]>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of [v].flat()) p.append(k, x);
  return p.toString();
}

function xmlList(res: LightMyRequestResponse, root: string, item: string): XmlElement[] {
  expect(res.headers["content-type"]).toMatch(/^text\/xml; charset=utf-8/);
  const doc = parseXml(res.body);
  expect(doc.name).toBe(root);
  for (const c of doc.children) expect(c.name).toBe(item);
  return doc.children;
}

/** The status of a GET sent with its path exactly as given (node:http does not resolve dot segments). */
function rawStatus(address: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(`${address}/`, { path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
  });
}

function field(el: XmlElement, name: string): string | undefined {
  return child(el, name)?.text;
}

describe.each(testEngines())("Open311 GeoReport v2 on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let apiKey: string;
  /** Every Open311 answer, checked at the end for personal data. */
  const outputs: string[] = [];

  const get = async (url: string) => {
    const res = await t.app.inject({ method: "GET", url });
    outputs.push(res.body);
    return res;
  };
  const post = async (format: "json" | "xml", fields: Record<string, string | string[]>, headers: Record<string, string> = {}) => {
    const res = await t.app.inject({
      method: "POST",
      url: `/open311/v2/requests.${format}`,
      headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
      payload: form(fields),
    });
    outputs.push(res.body);
    return res;
  };
  const caseCount = async () => Number((await t.database.query<{ n: string }>("select count(*)::text as n from cases"))[0]!.n);
  const good = () => ({ api_key: apiKey, service_code: cat.garbage.code, lat: "30.00462", long: "104.00537", description: secretWords, "attribute[BIN_TYPE]": "household" });

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    cat = await seedCaseCatalogue(t.database.db, s);
    await t.database.db.update(caseCategories).set({ attributes, keywords: ["垃圾", "清运"], description: "公共区域的暴露垃圾、积存垃圾" }).where(eq(caseCategories.id, cat.garbage.id));
    const machine = await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street });
    apiKey = (await createApiKey(t.database.db, { userId: machine.id, name: "12345 对接" })).key;
  });
  afterAll(async () => t?.close());

  it("publishes the Service Discovery document in JSON and XML", async () => {
    const json = await get("/open311/discovery.json");
    expect(json.statusCode).toBe(200);
    const d = json.json<{ changeset: string; contact: string; key_service: string; endpoints: { specification: string; url: string; changeset: string; type: string; formats: string[] }[] }>();
    expect(d.changeset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00$/);
    expect(d.contact).not.toBe("");
    expect(d.key_service).not.toBe("");
    expect(d.endpoints).toEqual([
      { specification: "http://wiki.open311.org/GeoReport_v2", url: expect.stringMatching(/^http:\/\/[^/]+\/open311\/v2$/) as string, changeset: d.changeset, type: "production", formats: ["text/xml", "application/json"] },
    ]);
    const xml = await get("/open311/discovery.xml");
    const doc = parseXml(xml.body);
    expect(doc.name).toBe("discovery");
    const endpoint = child(child(doc, "endpoints")!, "endpoint")!;
    expect(field(endpoint, "specification")).toBe("http://wiki.open311.org/GeoReport_v2");
    expect(child(endpoint, "formats")!.children.map((f) => [f.name, f.text])).toEqual([
      ["format", "text/xml"],
      ["format", "application/json"],
    ]);
    expect(field(endpoint, "url")).toBe(d.endpoints[0]!.url);
  });

  it("reads a doubled slash under /open311 as one (a client joining discovery's url and /services.xml), and no other path", async () => {
    const base = new URL((await get("/open311/discovery.json")).json<{ endpoints: { url: string }[] }>().endpoints[0]!.url).pathname;
    expect(base).toBe("/open311/v2");
    const single = await get("/open311/v2/services.xml");
    expect(single.statusCode).toBe(200);
    for (const url of [`${base}/services.xml`, "/open311/v2//services.xml", "/open311//v2///services.xml"]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      expect(res.headers["content-type"], url).toMatch(/^text\/xml/);
      expect(res.body, url).toBe(single.body);
    }
    const json = await get(`/open311/v2//services/${cat.garbage.code}.json?extensions=true`);
    expect(json.statusCode).toBe(200);
    expect(json.json<{ service_code: string }>().service_code).toBe(cat.garbage.code);
    // A write is routed the same way (403 for want of a key, not 404), and writes nothing.
    const before = await caseCount();
    const unkeyed = await t.app.inject({ method: "POST", url: "/open311/v2//requests.json", headers: { "content-type": "application/x-www-form-urlencoded" }, payload: form({ service_code: cat.garbage.code }) });
    expect(unkeyed.statusCode).toBe(403);
    expect(await caseCount()).toBe(before);

    // Nothing else is normalised: encoded slashes and dot segments stay unroutable, /api keeps exact paths.
    expect((await get("/open311/v2/%2Fservices.json")).json<{ code: number }[]>()[0]!.code).toBe(404);
    expect((await t.app.inject({ method: "GET", url: "/api/health" })).statusCode).toBe(200);
    expect((await t.app.inject({ method: "GET", url: "/api//health" })).statusCode).toBe(404);
    // Over a real socket (closed with the app): inject, like fetch, resolves dot segments before the server sees them.
    const address = await t.app.listen({ port: 0, host: "127.0.0.1" });
    expect(await rawStatus(address, "/open311/v2//services.json")).toBe(200);
    for (const path of ["/open311/v2//..//..//api/health", "/open311/v2/.//services.json", "/open311/v2//../v2/services.json", "/api//health"]) {
      expect(await rawStatus(address, path), path).toBe(404);
    }
  });

  it("lists the active catalogue's sub-categories as services", async () => {
    const json = await get("/open311/v2/services.json");
    const list = json.json<{ service_code: string; service_name: string; metadata: boolean; type: string; keywords: string; group: string; description: string }[]>();
    expect(list.map((x) => x.service_code)).toEqual(["0101", "0102", "0201"]);
    expect(list[0]).toEqual({ service_code: "0101", service_name: "暴露垃圾", description: "公共区域的暴露垃圾、积存垃圾", metadata: true, type: "realtime", keywords: "垃圾,清运", group: "市容环境" });
    expect(list[2]).toMatchObject({ service_code: "0201", metadata: false, group: "市政设施" });
    const items = xmlList(await get("/open311/v2/services.xml"), "services", "service");
    expect(items.map((i) => field(i, "service_code"))).toEqual(["0101", "0102", "0201"]);
    expect(field(items[0]!, "metadata")).toBe("true");
    expect(field(items[0]!, "group")).toBe("市容环境");
  });

  it("gives a service definition with its attributes; an unknown code is a 404 in the spec's format", async () => {
    const json = await get("/open311/v2/services/0101.json");
    expect(json.statusCode).toBe(200);
    const def = json.json<{ service_code: string; attributes: { code: string; order: number; values: { key: string }[]; variable: boolean; datatype_description: string }[] }>();
    expect(def.service_code).toBe("0101");
    expect(def.attributes.map((a) => [a.code, a.order])).toEqual([
      ["BIN_TYPE", 1],
      ["PHOTO_HINT", 2],
      ["HAZARDS", 3],
    ]);
    expect(def.attributes[0]).toMatchObject({ variable: true, datatype: "singlevaluelist", required: true, datatype_description: "", values: [{ key: "household", name: "生活垃圾" }, { key: "construction", name: "建筑垃圾" }] });
    const xml = parseXml((await get("/open311/v2/services/0101.xml")).body);
    expect(xml.name).toBe("service_definition");
    const attrs = child(xml, "attributes")!.children;
    expect(attrs.map((a) => a.name)).toEqual(["attribute", "attribute", "attribute"]);
    expect(child(attrs[0]!, "values")!.children.map((v) => field(v, "key"))).toEqual(["household", "construction"]);

    const missing = await get("/open311/v2/services/9999.json");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual([{ code: 404, description: expect.stringContaining("9999") as string }]);
    const missingXml = await get("/open311/v2/services/9999.xml");
    expect(missingXml.statusCode).toBe(404);
    const errs = xmlList(missingXml, "errors", "error");
    expect(field(errs[0]!, "code")).toBe("404");
    const noRoute = await get("/open311/v2/nothing.xml");
    expect(noRoute.statusCode).toBe(404);
    expect(xmlList(noRoute, "errors", "error")).toHaveLength(1);
  });

  it("refuses bad submissions with the spec's 400/403/404 and writes nothing", async () => {
    const before = await caseCount();
    const expectError = async (res: LightMyRequestResponse, status: number, words: RegExp) => {
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json<{ code: number; description: string }[]>();
      expect(body).toHaveLength(1);
      expect(body[0]!.code).toBe(status);
      expect(body[0]!.description).toMatch(words);
    };
    const { api_key: _key, ...noKey } = good();
    await expectError(await post("json", noKey), 403, /api_key/);
    await expectError(await post("json", { ...good(), api_key: "gzk_nope_nope" }), 403, /api_key/);
    const xml403 = await post("xml", { ...good(), api_key: "gzk_nope_nope" });
    expect(xml403.statusCode).toBe(403);
    expect(field(xmlList(xml403, "errors", "error")[0]!, "code")).toBe("403");
    const { service_code: _code, ...noCode } = good();
    await expectError(await post("json", noCode), 400, /service_code/);
    await expectError(await post("json", { ...good(), service_code: "9999" }), 404, /9999/);
    const { lat: _lat, long: _long, ...noPoint } = good();
    await expectError(await post("json", { ...noPoint, address_string: "幸福路12号" }), 400, /address_string/);
    await expectError(await post("json", noPoint), 400, /lat and long/);
    await expectError(await post("json", { ...good(), lat: "north" }), 400, /lat/);
    await expectError(await post("json", { ...good(), lat: "31", long: "105" }), 400, /outside every grid/);
    await expectError(await post("json", { ...good(), description: "坏".repeat(4001) }), 400, /4000/);
    await expectError(await post("json", { ...good(), description: "看这里 <script>alert(1)</script>" }), 400, /HTML/);
    const { "attribute[BIN_TYPE]": _bin, ...noAttr } = good();
    await expectError(await post("json", noAttr), 400, /attribute\[BIN_TYPE\] is required/);
    await expectError(await post("json", { ...good(), "attribute[BIN_TYPE]": "nuclear" }), 400, /household, construction/);
    await expectError(await post("json", { ...good(), "attribute[HAZARDS][]": ["smell", "fire"] }), 400, /HAZARDS/);
    await expectError(await post("json", { ...good(), "attribute[COLOUR]": "red" }), 400, /COLOUR/);
    await expectError(await post("json", { ...good(), phone: "12ab" }), 400, /phone/);
    await expectError(await post("json", { ...good(), media_url: "javascript:alert(1)" }), 400, /media_url/);
    const notForm = await t.app.inject({ method: "POST", url: "/open311/v2/requests.json", headers: { "content-type": "text/plain" }, payload: "hello" });
    expect(notForm.statusCode).toBe(400);
    expect(notForm.json<{ code: number }[]>()[0]!.code).toBe(400);
    expect(await caseCount()).toBe(before);
  });

  let created: { service_request_id: string; token: string; service_notice: string; account_id: null };

  it("creates a case from a form post (JSON), keeping the phone encrypted, and answers an array with id and token", async () => {
    const res = await post("json", { ...good(), first_name: "三丰", last_name: "张", phone: secretPhone, email: "zsf@example.com", "attribute[HAZARDS][]": ["smell", "blocking"], media_url: "https://example.com/p/1.jpg" }, { "idempotency-key": "o311-1" });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<(typeof created)[]>();
    expect(body).toHaveLength(1);
    created = body[0]!;
    expect(created.service_request_id).toMatch(/^GZ\d{14}$/);
    expect(created.token).toMatch(/^[0-9a-f]{32}$/);
    expect(created.service_notice).toBe("1 个工作小时内响应，4 个工作小时内办结（工作时间按法定节假日和调休计算）");
    expect(created.account_id).toBeNull();
    const [row] = await t.database.db.select().from(cases).where(eq(cases.caseNo, created.service_request_id));
    expect(row).toMatchObject({ source: "open311", categoryCode: "0101", externalRef: created.token, contactName: "张三丰", description: secretWords, status: "submitted" });
    expect(row!.attributes).toEqual({ BIN_TYPE: "household", HAZARDS: ["smell", "blocking"], media_url: "https://example.com/p/1.jpg" });
    expect(row!.contactPhoneEnc).not.toBeNull();
    expect(row!.contactPhoneEnc).not.toContain(secretPhone);
    expect(row!.contactPhoneMasked).not.toContain(secretPhone);
    expect(JSON.stringify(row)).not.toContain("zsf@example.com");
  });

  it("refuses the same Idempotency-Key twice with 409 naming the first case; nothing written", async () => {
    const before = await caseCount();
    const again = await post("json", good(), { "idempotency-key": "o311-1" });
    expect(again.statusCode).toBe(409);
    expect(again.json<{ code: number; description: string }[]>()[0]).toMatchObject({ code: 409, description: expect.stringContaining(created.service_request_id) as string });
    expect(await caseCount()).toBe(before);
  });

  it("creates a case from a form post answered in XML", async () => {
    const res = await post("xml", good());
    expect(res.statusCode, res.body).toBe(200);
    const [item] = xmlList(res, "service_requests", "request");
    expect(field(item!, "service_request_id")).toMatch(/^GZ\d{14}$/);
    expect(field(item!, "token")).toMatch(/^[0-9a-f]{32}$/);
    expect(child(item!, "account_id")!.text).toBe("");
  });

  it("resolves a token to its request id; an unknown token is a 404", async () => {
    const json = await get(`/open311/v2/tokens/${created.token}.json`);
    expect(json.json()).toEqual([{ service_request_id: created.service_request_id, token: created.token }]);
    const [item] = xmlList(await get(`/open311/v2/tokens/${created.token}.xml`), "service_requests", "request");
    expect(field(item!, "service_request_id")).toBe(created.service_request_id);
    const missing = await get("/open311/v2/tokens/0000.json");
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ code: number }[]>()[0]!.code).toBe(404);
  });

  it("gives one request as an array of one: grid-level address, coarse point, system description", async () => {
    const json = await get(`/open311/v2/requests/${created.service_request_id}.json`);
    expect(json.statusCode).toBe(200);
    const [r] = json.json<Record<string, unknown>[]>();
    expect(r).toMatchObject({
      service_request_id: created.service_request_id,
      status: "open",
      status_notes: "待受理",
      service_name: "暴露垃圾",
      service_code: "0101",
      description: "外部系统报送的「暴露垃圾」问题",
      agency_responsible: "甲社区第一网格",
      address: "测试街道 甲社区 甲社区第一网格",
      address_id: null,
      zipcode: null,
      lat: 30.005,
      long: 104.005,
      media_url: null,
    });
    expect(r!.requested_datetime).toMatch(/\+08:00$/);
    expect(r!.updated_datetime).toMatch(/\+08:00$/);
    expect(r!.expected_datetime).toMatch(/\+08:00$/);
    expect(r!.extended_attributes).toBeUndefined();
    const [item] = xmlList(await get(`/open311/v2/requests/${created.service_request_id}.xml?extensions=true`), "service_requests", "request");
    expect(field(item!, "service_request_id")).toBe(created.service_request_id);
    expect(field(item!, "lat")).toBe("30.005");
    const timeline = child(child(item!, "extended_attributes")!, "timeline")!;
    expect(timeline.children.map((e) => [e.name, field(e, "action")])).toEqual([["event", "submit"]]);
    const missing = await get("/open311/v2/requests/GZ000.xml");
    expect(missing.statusCode).toBe(404);
    expect(field(xmlList(missing, "errors", "error")[0]!, "code")).toBe("404");
  });

  it("filters requests by status, service code, dates, update times and pages; ids override the rest", async () => {
    const day = 24 * 3600 * 1000;
    const old = await insertCase(t.database.db, s, cat.garbage, { submittedAt: new Date(Date.now() - 100 * day) });
    const closed = await insertCase(t.database.db, s, cat.streetVending, { status: "closed" });
    await t.database.db.update(cases).set({ closedAt: new Date(), closedOnTime: true }).where(eq(cases.id, closed.id));
    const rejected = await insertCase(t.database.db, s, cat.streetLight, { status: "rejected" });
    await t.database.db.update(cases).set({ rejectReason: "不属于本平台受理范围" }).where(eq(cases.id, rejected.id));
    const ids = async (url: string) => {
      const res = await get(url);
      expect(res.statusCode, res.body).toBe(200);
      return res.json<{ service_request_id: string; status: string; status_notes: string }[]>().map((r) => r.service_request_id);
    };

    const recent = await ids("/open311/v2/requests.json");
    expect(recent).toContain(created.service_request_id);
    expect(recent).toContain(closed.caseNo);
    expect(recent).not.toContain(old.caseNo); // older than the default 90 days
    // An empty parameter means the same as an absent one.
    expect(await ids("/open311/v2/requests.json?status=&service_code=&start_date=")).toEqual(recent);

    const open = await ids("/open311/v2/requests.json?status=open");
    expect(open).toContain(created.service_request_id);
    expect(open).not.toContain(closed.caseNo);
    const closedOnes = (await get("/open311/v2/requests.json?status=closed")).json<{ service_request_id: string; status: string; status_notes: string }[]>();
    expect(closedOnes.map((r) => r.service_request_id).sort()).toEqual([closed.caseNo, rejected.caseNo].sort());
    expect(closedOnes.every((r) => r.status === "closed")).toBe(true);
    expect(closedOnes.find((r) => r.service_request_id === rejected.caseNo)!.status_notes).toBe("不予受理：不属于本平台受理范围");
    expect(closedOnes.find((r) => r.service_request_id === closed.caseNo)!.status_notes).toBe("已办结");
    expect((await ids("/open311/v2/requests.json?status=open,closed")).sort()).toEqual([...recent].sort());

    expect(await ids("/open311/v2/requests.json?service_code=0102")).toEqual([closed.caseNo]);
    expect((await ids("/open311/v2/requests.json?service_code=0102,0201")).sort()).toEqual([closed.caseNo, rejected.caseNo].sort());

    const start = isoChina(new Date(Date.now() - 120 * day))!;
    const end = isoChina(new Date(Date.now() - 95 * day))!;
    expect(await ids(`/open311/v2/requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent(end)}`)).toEqual([old.caseNo]);
    expect(await ids(`/open311/v2/requests.json?start_date=${encodeURIComponent(start)}`)).toEqual([old.caseNo]);
    expect((await ids(`/open311/v2/requests.json?service_request_id=${old.caseNo},${created.service_request_id}&status=closed`)).sort()).toEqual([old.caseNo, created.service_request_id].sort());

    const touched = new Date(Date.now() + 60_000);
    await t.database.db.update(cases).set({ updatedAt: new Date(touched.getTime() + 1000) }).where(eq(cases.id, closed.id));
    expect(await ids(`/open311/v2/requests.json?updated_after=${encodeURIComponent(touched.toISOString())}`)).toEqual([closed.caseNo]);
    expect(await ids(`/open311/v2/requests.json?updated_before=${encodeURIComponent(touched.toISOString())}&service_code=0102`)).toEqual([]);

    const page1 = await ids("/open311/v2/requests.json?page_size=2&page=1");
    const page2 = await ids("/open311/v2/requests.json?page_size=2&page=2");
    expect(page1).toHaveLength(2);
    expect([...page1, ...page2]).toEqual(recent.slice(0, page1.length + page2.length));

    const withTimeline = (await get(`/open311/v2/requests.json?service_code=0102&extensions=true`)).json<{ extended_attributes: { status_code: string; timeline: { action: string; status: string; at: string }[] } }[]>();
    expect(withTimeline[0]!.extended_attributes.status_code).toBe("closed");
    expect(withTimeline[0]!.extended_attributes.timeline[0]).toMatchObject({ action: "submit", status: "closed", at: expect.stringMatching(/\+08:00$/) as string });

    const xml = xmlList(await get("/open311/v2/requests.xml?status=closed"), "service_requests", "request");
    expect(xml.map((r) => field(r, "status"))).toEqual(["closed", "closed"]);
  });

  it("takes a date alone as a whole day in China time: start_date from its 00:00, end_date up to the next day's 00:00 (exclusive)", async () => {
    // 2025: far older than every other case here, so only these four are in range.
    const at = async (iso: string) => (await insertCase(t.database.db, s, cat.garbage, { submittedAt: new Date(iso) })).caseNo;
    const lastOfNinth = await at("2025-06-09T23:59:59.999+08:00");
    const firstOfTenth = await at("2025-06-10T00:00:00+08:00");
    const lastOfEleventh = await at("2025-06-11T23:59:59.999+08:00");
    const firstOfTwelfth = await at("2025-06-12T00:00:00+08:00");
    const ids = async (q: string) => {
      const res = await get(`/open311/v2/requests.json?${q}`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
      return res.json<{ service_request_id: string }[]>().map((r) => r.service_request_id);
    };
    expect(await ids("start_date=2025-06-10&end_date=2025-06-11")).toEqual([lastOfEleventh, firstOfTenth]);
    expect(await ids("start_date=2025-06-12&end_date=2025-06-12")).toEqual([firstOfTwelfth]);
    expect(await ids("start_date=2025-06-09&end_date=2025-06-09")).toEqual([lastOfNinth]);
    // Mixed with a full date-time, and alone (the other end 90 days away).
    expect(await ids(`start_date=${encodeURIComponent("2025-06-10T00:00:00+08:00")}&end_date=2025-06-11`)).toEqual([lastOfEleventh, firstOfTenth]);
    expect(await ids(`start_date=2025-06-10&end_date=${encodeURIComponent("2025-06-11T23:59:59Z")}`)).toEqual([firstOfTwelfth, lastOfEleventh, firstOfTenth]);
    expect(await ids("end_date=2025-06-10")).toEqual([firstOfTenth, lastOfNinth]);
    expect(await ids("start_date=2025-06-11")).toEqual([firstOfTwelfth, lastOfEleventh]);
    // 1 January to 31 March 2025 is 90 whole days; to 1 April, 91.
    expect(await ids("start_date=2025-01-01&end_date=2025-03-31")).toEqual([]);
    expect((await get("/open311/v2/requests.json?start_date=2025-01-01&end_date=2025-04-01")).statusCode).toBe(400);
    expect((await get("/open311/v2/requests.json?start_date=2025-06-12&end_date=2025-06-11")).statusCode).toBe(400);
    const xml = xmlList(await get("/open311/v2/requests.xml?start_date=2025-06-10&end_date=2025-06-10"), "service_requests", "request");
    expect(xml.map((r) => field(r, "service_request_id"))).toEqual([firstOfTenth]);
  });

  it("answers bad filters with a 400 in the spec's format", async () => {
    for (const q of ["start_date=2026-02-30", "end_date=2026-13-01", "start_date=2026-3-1", "start_date=2026-03-01T08:00:00", "end_date=yesterday", "status=pending", "page_size=0", "page=abc", "start_date=2026-01-01T00:00:00%2B08:00&end_date=2026-06-01T00:00:00%2B08:00", "start_date=2026-03-02T00:00:00Z&end_date=2026-03-01T00:00:00Z"]) {
      const res = await get(`/open311/v2/requests.json?${q}`);
      expect(res.statusCode, q).toBe(400);
      expect(res.json<{ code: number; description: string }[]>()[0]!.code).toBe(400);
    }
    const xml = await get("/open311/v2/requests.xml?status=pending");
    expect(xml.statusCode).toBe(400);
    expect(field(xmlList(xml, "errors", "error")[0]!, "description")).toMatch(/status/);
  });

  it("caps an answer at the limit (1,000 by default; a small injected limit here)", async () => {
    const all = await listRequests(t.database.db, {}, new Date());
    expect(all.length).toBeGreaterThan(2);
    const capped = await listRequests(t.database.db, {}, new Date(), { maxResults: 2, windowDays: 90 });
    expect(capped.map((r) => r.service_request_id)).toEqual(all.slice(0, 2).map((r) => r.service_request_id));
    await expect(listRequests(t.database.db, { page_size: "3" }, new Date(), { maxResults: 2, windowDays: 90 })).rejects.toThrow(/page_size/);
    await expect(listRequests(t.database.db, { service_request_id: "a,b,c" }, new Date(), { maxResults: 2, windowDays: 90 })).rejects.toThrow(/at most 2/);
  });

  it("never lets personal data out: no phone, name, e-mail or the reporter's words in any Open311 answer", async () => {
    await t.database.db.update(cases).set({ locationText: "幸福路12号3栋2单元502室门口" }).where(eq(cases.caseNo, created.service_request_id));
    outputs.push((await get(`/open311/v2/requests/${created.service_request_id}.json?extensions=true`)).body);
    outputs.push((await get(`/open311/v2/requests.xml?extensions=true`)).body);
    const all = outputs.join("\n");
    expect(all).toContain(created.service_request_id);
    for (const secret of [secretPhone, "张三丰", "zsf@example.com", secretWords, "三天没人管", "502室", "104.00537", "30.00462", "example.com/p/1.jpg"]) {
      expect(all).not.toContain(secret);
    }
    const counted = await t.database.query<{ n: string }>(`select count(*)::text as n from cases where source = 'open311'`);
    expect(Number(counted[0]!.n)).toBe(2);
  });

  // Last: it publishes a new catalogue version.
  it("dates discovery's changeset by the active catalogue's publication, not by the request; publishing a version moves it", async () => {
    await t.database.db.update(caseCatalogues).set({ publishedAt: new Date("2026-01-02T03:04:05Z") }).where(eq(caseCatalogues.status, "active"));
    const changesets = async () => {
      const d = (await get("/open311/discovery.json")).json<{ changeset: string; endpoints: { changeset: string }[] }>();
      const x = parseXml((await get("/open311/discovery.xml")).body);
      const fromXml = field(child(child(x, "endpoints")!, "endpoint")!, "changeset");
      return [d.changeset, d.endpoints[0]!.changeset, field(x, "changeset"), fromXml];
    };
    const published = "2026-01-02T11:04:05+08:00";
    expect(await changesets()).toEqual([published, published, published, published]);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await changesets()).toEqual([published, published, published, published]);

    const editor = await t.login((await createTestUser(t.database.db, { role: "streetAdmin", areaId: s.street })).username);
    const draft = await t.as(editor, "POST", "/api/case-catalogues/drafts", {});
    expect(draft.statusCode, draft.body).toBe(201);
    const publish = await t.as(editor, "POST", `/api/case-catalogues/${draft.json<{ id: string }>().id}/publish`);
    expect(publish.statusCode, publish.body).toBe(200);
    const [active] = await t.database.db.select({ publishedAt: caseCatalogues.publishedAt }).from(caseCatalogues).where(eq(caseCatalogues.status, "active"));
    const republished = isoChina(active!.publishedAt)!;
    expect(republished).not.toBe(published);
    expect(await changesets()).toEqual([republished, republished, republished, republished]);
  });
});
