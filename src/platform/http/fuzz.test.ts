/**
 * Fuzz suite (issue 10): thousands of malformed requests over every route of the OpenAPI
 * document, generated with a fixed seed (src/test-support/fuzz.ts; FUZZ_SEED=… to try another,
 * FUZZ_DUMP=file to write every wrong answer there, not only the first 40),
 * sent in-process as every kind of principal against the demo street, so that path ids point at
 * real rows. Asserts: no answer ≥ 500, every request that is wrong by construction refused with
 * a 4xx (a platform 400 naming the field where the rest of the request is valid), no table
 * changed, the audit chain intact.
 *
 * Tables left out of the comparison, because an accepted *authentication* legitimately writes them
 * on every request: `sessions` (each request slides the session's idle expiry, `last_seen_at`)
 * and `api_keys` (`last_used_at`). Everything else, `users` (failed logins, locks) and the audit
 * tables included, must be byte for byte as before.
 *
 * Principals: anonymous; one session per role (the demo logins, one role each); an API key (of
 * the street administrator); a forged session cookie and a forged API key. The requests go out
 * as each principal in turn; over-sized bodies only anonymously (they are refused before anyone
 * is looked at). `GET /api/events/stream` is an endless event stream once signed in, so it is
 * sent only what is refused before it opens, and anonymously.
 *
 * Reproducing: the demo street's ids are fixed by its seed, the variants by FUZZ_SEED; only the
 * webhook and draft catalogue made here get fresh ids each run.
 */
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LightMyRequestResponse } from "fastify";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type TestApp } from "../../test-support/app.js";
import { operationsOf, requestsFor, seededRandom, seededUuid, type FuzzContext, type FuzzRequest, type Operation } from "../../test-support/fuzz.js";
import { loadDemoStreet } from "../../tools/demo/load.js";
import { demoLogins, demoPassword } from "../../tools/demo/generate.js";
import { createApiKey } from "../auth/service.js";
import { sealPending, verifyAuditLog } from "../audit/index.js";
import { validatorCompiler } from "./validation.js";

const seed = Number(process.env.FUZZ_SEED ?? 20260310);
const bodyLimit = 1024 * 1024;
/** Tables an accepted authentication writes on every request (see above). */
const touchedByAuthentication = new Set(["sessions", "api_keys"]);

interface Principal {
  name: string;
  headers(method: string): Record<string, string>;
  anonymous: boolean;
}

/** Where a path parameter's real ids come from: the resource named before it in the path. */
const idSources: Record<string, string> = {
  areas: "select id::text as id from areas where level in ('street', 'community', 'grid') order by level, id limit 4",
  communities: "select id::text as id from areas where level = 'community' order by id limit 3",
  households: "select id::text as id from households order by id limit 3",
  persons: "select id::text as id from persons order by id limit 3",
  organizations: "select id::text as id from organizations order by id limit 3",
  posts: "select id::text as id from posts order by id limit 3",
  members: "select id::text as id from party_members order by id limit 3",
  registrations: "select id::text as id from party_registrations order by id limit 3",
  compounds: "select id::text as id from compounds order by id limit 3",
  buildings: "select id::text as id from buildings order by id limit 3",
  units: "select id::text as id from building_units order by id limit 3",
  dwellings: "select id::text as id from dwellings order by id limit 3",
  cases: "select id::text as id from cases order by id limit 4",
  "case-photos": "select id::text as id from case_photos order by id limit 2",
  webhooks: "select id::text as id from webhooks order by id limit 2",
  "case-catalogues": "select id::text as id from case_catalogues order by id limit 3",
  categories: "select c.id::text as id from case_categories c join case_catalogues k on k.id = c.catalogue_id where k.status = 'draft' order by c.id limit 3",
  extensions: "select id::text as id from case_extensions order by id limit 3",
  summons: "select id::text as id from case_summons order by id limit 3",
  "grid-staff": "select id::text as id from grid_staff order by id limit 3",
  entries: "select id::text as id from audit_entries order by id limit 3",
  users: "select id::text as id from users order by id limit 3",
  grants: "select id::text as id from role_grants order by id limit 3",
  inbox: "select id::text as id from notifications order by id limit 3",
  "services/{service_code}": "select code as id from case_categories c join case_catalogues k on k.id = c.catalogue_id where k.status = 'active' and c.parent_id is not null order by code limit 3",
  "requests/{service_request_id}": "select case_no as id from cases order by case_no limit 3",
  "tokens/{token}": "select external_ref as id from cases where source = 'open311' and external_ref is not null order by id limit 3",
};

/** Where a uuid field's or query parameter's real id comes from, by its name. */
const fieldSources: Record<string, string> = {
  areaId: "areas",
  communityId: "communities",
  reportInCommunityId: "communities",
  gridId: "areas",
  caseId: "cases",
  intoId: "cases",
  householdId: "households",
  toHouseholdId: "households",
  personId: "persons",
  reporterPersonId: "persons",
  dwellingId: "dwellings",
  toDwellingId: "dwellings",
  compoundId: "compounds",
  buildingId: "buildings",
  orgId: "organizations",
  partyOrgId: "organizations",
  supervisorId: "organizations",
  departmentOrgId: "organizations",
  coBuildingUnitId: "organizations",
  memberId: "members",
  photoIds: "case-photos",
};

describe.each(testEngines())("fuzz: malformed requests on every route ($name)", (engine) => {
  let t: TestApp;
  const principals: Principal[] = [];
  const ids = new Map<string, string[]>();
  let operations: Operation[] = [];
  let apiKey = "";

  const checksums = async (): Promise<Map<string, string>> => {
    const tables = await t.database.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name",
    );
    const out = new Map<string, string>();
    for (const { table_name: name } of tables) {
      if (touchedByAuthentication.has(name)) continue;
      const [r] = await t.database.query<{ h: string }>(`select count(*)::text || ':' || coalesce(md5(string_agg(t::text, ',' order by t::text)), '') as h from "${name}" t`);
      out.set(name, r!.h);
    }
    return out;
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { GONGZHI_LOGIN_RATE_LIMIT_PER_MINUTE: "100000" });
    await loadDemoStreet(t.database, { keyring: t.keyring });
    const db = t.database.db;

    // Sessions of every role, an API key, and forged credentials.
    principals.push({ name: "anonymous", headers: () => ({}), anonymous: true });
    const sessions = new Map<string, { cookie: string; csrf: string }>();
    for (const login of demoLogins) {
      const s = await t.login(login.username, demoPassword);
      sessions.set(login.username, s);
      principals.push({ name: `${login.role} (${login.username})`, headers: (m) => ({ cookie: s.cookie, ...(m === "GET" ? {} : { "x-csrf-token": s.csrf }) }), anonymous: false });
    }
    const [streetAdmin] = await t.database.query<{ id: string }>("select id::text as id from users where username = 'streetadmin'");
    apiKey = (await createApiKey(db, { userId: streetAdmin!.id, name: "fuzz" })).key;
    const key = apiKey;
    principals.push({ name: "api key", headers: () => ({ authorization: `Bearer ${key}` }), anonymous: false });
    principals.push({ name: "forged session", headers: () => ({ cookie: "gz_session=forged", "x-csrf-token": "forged" }), anonymous: true });
    principals.push({ name: "forged api key", headers: () => ({ authorization: "Bearer gzk_forged_forged" }), anonymous: true });

    // Records the demo has none of: a webhook, a draft catalogue, a case photo.
    const admin = sessions.get("admin")!;
    const hook = await t.as(admin, "POST", "/api/webhooks", { name: "12345 热线平台", url: "https://hooks.example.org/gongzhi", events: ["case.registered"] });
    expect(hook.statusCode, hook.body).toBe(201);
    const draft = await t.as(admin, "POST", "/api/case-catalogues/drafts", {});
    expect(draft.statusCode, draft.body).toBe(201);
    await t.database.query(
      "insert into case_photos (id, case_id, mime, size, sha256, bytes) select '00000000-0000-4000-8000-0000000f0770', id, 'image/png', 4, 'x', '\\x89504e47'::bytea from cases order by id limit 1",
    );

    for (const [resource, query] of Object.entries(idSources)) ids.set(resource, (await t.database.query<{ id: string }>(query)).map((r) => r.id));
    operations = operationsOf(t.app.swagger());
  }, 600_000);
  afterAll(async () => t?.close());

  it("answers no malformed request with a 5xx, changes no table and keeps the audit chain", async () => {
    expect(operations.length).toBeGreaterThan(150);
    const random = seededRandom(seed);
    const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(random() * xs.length)];
    const otherIds = [...(ids.get("cases") ?? []).slice(0, 1), ...(ids.get("households") ?? []).slice(0, 1), ...(ids.get("organizations") ?? []).slice(0, 1)];
    // A valid Open311 report (a real key, service and a point inside a grid), varied one field at a time.
    const [point] = await t.database.query<{ lng: number; lat: number }>("select lng::float8 as lng, lat::float8 as lat from cases order by id limit 1");
    const open311Form = { api_key: apiKey, service_code: ids.get("services/{service_code}")![0]!, lat: String(point!.lat), long: String(point!.lng), description: "路口的垃圾桶满了" };
    const ctx: FuzzContext = {
      pathIds(op, param) {
        const segments = op.path.split("/");
        const at = segments.findIndex((s) => s.startsWith(`{${param}}`));
        const resource = segments[at - 1] ?? "";
        return ids.get(`${resource}/{${param}}`) ?? ids.get(resource) ?? [];
      },
      fieldId: (name) => pick(ids.get(fieldSources[name] ?? "") ?? []),
      otherIds,
      uuid: () => seededUuid(random),
      open311Form,
      valid(op, part, value) {
        const schema = part === "body" ? op.body : querySchemaOf(op);
        if (!schema) return true;
        const check = validatorCompiler({ schema: schema as never, method: op.method, url: op.path, httpPart: part }) as (v: unknown) => { error?: unknown };
        return !check(value).error;
      },
    };

    const requests: FuzzRequest[] = [];
    for (const op of operations) requests.push(...requestsFor(op, ctx, { random, bodyLimit }));

    await sealPending(t.database.db, { signer: t.auditSigner });
    expect((await verifyAuditLog(t.database.db, { publicKeys: [t.auditSigner.publicKey] })).ok).toBe(true);
    const before = await checksums();

    const failures: string[] = [];
    let sent = 0;
    const started = performance.now();
    // Each request goes out as one principal, in turn, so every principal sends every kind of variant.
    for (const [i, r] of requests.entries()) {
      const endless = r.url.startsWith("/api/events/stream");
      if (endless && r.expect === "read") continue;
      const p = r.anonymousOnly || endless ? principals[0]! : principals[i % principals.length]!;
      const describe = `${p.name}: ${r.method} ${r.url.slice(0, 160)} [${r.what}]`;
      let res: LightMyRequestResponse;
      try {
        res = await t.app.inject({ method: r.method, url: r.url, headers: { ...p.headers(r.method), ...r.headers }, ...(r.payload !== undefined ? { payload: r.payload } : {}) });
      } catch (e) {
        failures.push(`${describe} threw ${(e as Error).message}`);
        continue;
      }
      sent++;
      const problem = problemWith(r, res);
      if (problem) failures.push(`${describe} → ${res.statusCode} ${problem} ${res.body.slice(0, 200)}`);
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`fuzz (${engine.name}): ${sent} requests over ${operations.length} operations as ${principals.length} principals in ${seconds.toFixed(1)} s, seed ${seed}`);

    if (process.env.FUZZ_DUMP) fs.writeFileSync(process.env.FUZZ_DUMP, failures.join("\n"));
    expect(failures.slice(0, 40), `${failures.length} of ${sent} requests answered wrongly (seed ${seed})`).toEqual([]);
    expect(sent).toBeGreaterThanOrEqual(5000);

    const after = await checksums();
    const changed = [...before.keys()].filter((k) => before.get(k) !== after.get(k));
    expect(changed, "tables changed by malformed requests").toEqual([]);
    await sealPending(t.database.db, { signer: t.auditSigner });
    const verified = await verifyAuditLog(t.database.db, { publicKeys: [t.auditSigner.publicKey] });
    expect(verified.firstBad).toBeUndefined();
    expect(verified.ok).toBe(true);

    // Every session and the key still work: nothing logged anyone out or revoked the key.
    for (const p of principals.filter((x) => !x.anonymous)) {
      const res = await t.app.inject({ method: "GET", url: p.name === "api key" ? "/api/inbox" : "/api/auth/me", headers: p.headers("GET") });
      expect(res.statusCode, p.name).toBe(200);
    }
  }, 900_000);
});

/** The route's query schema, rebuilt from its parameters (as Fastify had it). */
function querySchemaOf(op: Operation): object | undefined {
  if (!op.queryClosed) return undefined;
  return {
    type: "object",
    properties: Object.fromEntries(op.query.map((q) => [q.name, q.schema])),
    required: op.query.filter((q) => q.required).map((q) => q.name),
    additionalProperties: op.open311,
  };
}

/** What is wrong with an answer, or null. */
function problemWith(r: FuzzRequest, res: LightMyRequestResponse): string | null {
  if (res.statusCode >= 500) return "server error";
  if (r.expect === "read") return null;
  if (res.statusCode < 400) return "accepted a request that is wrong by construction";
  if (r.field) {
    const body = res.json<{ code?: string; field?: string }>();
    // A query parameter that may repeat is named with the index of the bad value ("status.0").
    const named = body.field === r.field || body.field?.startsWith(`${r.field}.`);
    if (res.statusCode !== 400 || body.code !== "validation_failed" || !named) return `expected 400 validation_failed naming ${r.field}`;
  }
  return null;
}
