/**
 * The unauthorized-access suite, generated from the app's OpenAPI document: EVERY route is tried
 * as anonymous and as each of the 8 demo logins, with path parameters (and id-like query and body
 * fields) filled with real ids of the right kind from three record sets:
 *
 * - `home`: the demo street's first community (the community logins' own; in scope of every staff
 *   login except department staff);
 * - `neighbour`: another community of the demo street (out of scope of the resident, grid worker,
 *   community worker and secretary; in scope of the street, district and city logins);
 * - `foreign`: a second city built with the factories (out of scope of every demo login: the system
 *   administrator's grant is the demo city).
 *
 * Asserted: anonymous gets 401 except on the routes listed in `publicRoutes` (each with its reason);
 * a request on another scope's record answers 401/403/404 (never 2xx with data, never 500); no
 * request of any login answers 500; and no response body (any status) holds the canaries: clear ID
 * numbers and phones of persons of the `neighbour` community (for the logins it is out of scope of)
 * and of the foreign city (for everyone), nor the foreign city's record ids.
 *
 * One app per engine, data loaded once. Bodies are generated from each route's JSON schema
 * (required fields, ids of the record set), so the request passes validation and is refused by
 * permission. Multipart uploads (photos, imports) get no file: their parser runs before the
 * handler, so for them only anonymous (401), no 500 and no leak are asserted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser } from "../../test-support/factories.js";
import { insertCase } from "../../test-support/cases.js";
import { rows } from "../db/index.js";
import { encryptField, searchHash } from "../pii/crypto.js";
import { demoLogins, demoPassword, loadDemoStreet } from "../../tools/demo/index.js";
import { encryptContact } from "../../modules/people/persons.js";
import { persons } from "../../modules/people/schema.js";
import type { Role } from "./roles.js";

/** Routes open without a session, each with its reason. */
const publicRoutes: Record<string, string> = {
  "GET /api/health": "liveness probe for load balancers",
  "GET /api/config": "public settings the web app needs before login (tile URL, version)",
  "POST /api/auth/login": "how a session starts",
  "POST /api/auth/logout": "ends a session if there is one; harmless without",
  "POST /api/auth/password-reset": "a one-time reset link's token (in the body) is its own capability; the user has no session yet",
  "GET /api/audit/public-key": "anyone verifies a receipt's signature (public key only)",
  "GET /api/setup": "首次设置: whether setup is pending (a boolean), before anyone can log in",
  "POST /api/setup/code": "首次设置: the one-time code from the server's log stands in for a login (409 once set up)",
  "POST /api/setup": "首次设置: guarded by the one-time code (409 once set up)",
  "GET /api/audit/checkpoints": "signed audit checkpoints are published for outside verification",
  "POST /api/audit/receipts/verify": "a reporter or journalist verifies a receipt without an account",
  "GET /api/public/communities": "公开看板: the public board's list of communities",
  "GET /api/signup/settings": "居民注册: whether sign-up asks for an SMS code, before there is an account",
  "POST /api/signup/sms-code": "居民注册: a code to the mobile being signed up (rate limited per mobile and address)",
  "GET /api/signup/communities/{id}/buildings": "居民注册: the address picker's buildings (no one's name)",
  "GET /api/signup/buildings/{id}/dwellings": "居民注册: the address picker's units and rooms (no one's name)",
  "POST /api/signup/invitation": "居民注册: what a printed invitation code opens (names masked but the first character)",
  "POST /api/signup": "居民注册: how a resident's account starts",
  "GET /api/public/communities/{id}/cases": "公开看板: a community's de-identified cases",
  "GET /open311/discovery.json": "Open311 GeoReport v2 is a public API (API keys only for writing)",
  "GET /open311/discovery.xml": "Open311",
  "GET /open311/v2/services.json": "Open311",
  "GET /open311/v2/services.xml": "Open311",
  "GET /open311/v2/services/{service_code}.json": "Open311",
  "GET /open311/v2/services/{service_code}.xml": "Open311",
  "GET /open311/v2/requests.json": "Open311: public, de-identified service requests",
  "GET /open311/v2/requests.xml": "Open311",
  "GET /open311/v2/requests/{service_request_id}.json": "Open311",
  "GET /open311/v2/requests/{service_request_id}.xml": "Open311",
  "GET /open311/v2/tokens/{token}.json": "Open311: a token is its own capability",
  "GET /open311/v2/tokens/{token}.xml": "Open311",
  "POST /open311/v2/requests.json": "Open311: reports by API key (checked by the handler, 400/403 without), not by session",
  "POST /open311/v2/requests.xml": "Open311",
};

/** Multipart uploads: the file parser runs before the handler (see the header). */
const multipartRoutes = new Set(["POST /api/case-photos", "POST /api/imports/{kind}", "POST /api/imports/{kind}/preview", "POST /api/imports/hotline", "POST /api/imports/grids"]);

/** A demo-scope login's relation to each record set: true = the set is out of its scope. */
const outOfScope: Record<Role, { neighbour: boolean; foreign: boolean }> = {
  resident: { neighbour: true, foreign: true },
  gridWorker: { neighbour: true, foreign: true },
  communityWorker: { neighbour: true, foreign: true },
  communitySecretary: { neighbour: true, foreign: true },
  streetAdmin: { neighbour: false, foreign: true },
  departmentStaff: { neighbour: false, foreign: true },
  districtAnalyst: { neighbour: false, foreign: true },
  systemAdmin: { neighbour: false, foreign: true },
};

type SetName = "home" | "neighbour" | "foreign";

interface RecordSet {
  community: string;
  grid: string;
  household?: string | undefined;
  person?: string | undefined;
  org?: string | undefined;
  post?: string | undefined;
  partyMember?: string | undefined;
  registration?: string | undefined;
  compound?: string | undefined;
  building?: string | undefined;
  unit?: string | undefined;
  dwelling?: string | undefined;
  case?: string | undefined;
  caseNo?: string | undefined;
  summons?: string | undefined;
  gridStaff?: string | undefined;
  /** A staff login of the set's community (not a demo login: administrators' requests may disable it). */
  user?: string | undefined;
  signup?: string | undefined;
}

interface Operation {
  method: string;
  path: string;
  parameters?: { in: string; name: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  enum?: unknown[];
  anyOf?: Schema[];
  items?: Schema;
  minItems?: number;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  format?: string;
  pattern?: string;
  const?: unknown;
  default?: unknown;
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  maxLength?: number;
}

const canaryIds = { neighbour: "110101199003071233", foreign: "11010119851212567X" };
const canaryPhones = { neighbour: "13912345678", foreign: "13887654321" };

/** The record id of the kind a path parameter names (by the path segment before it). */
function pathId(path: string, name: string, set: RecordSet, catalogue: { id: string; categoryId: string; code: string }): string | undefined {
  if (name === "extensionId" || name === "token") return randomUUID();
  if (name === "categoryId") return catalogue.categoryId;
  if (name === "seq") return "1";
  if (name === "service_code") return catalogue.code;
  if (name === "service_request_id") return set.caseNo ?? "GZ000000000000";
  const seg = path.split("/{")[0]!;
  const last = seg.split("/").at(-1)!;
  const by: Record<string, string | undefined> = {
    areas: /\/(staff|split)/.test(path) ? set.grid : set.community,
    communities: set.community,
    "grid-staff": set.gridStaff,
    households: set.household,
    persons: set.person,
    jobs: randomUUID(),
    organizations: set.org,
    posts: set.post,
    members: set.partyMember,
    registrations: set.registration,
    compounds: set.compound,
    buildings: set.building,
    units: set.unit,
    dwellings: set.dwelling,
    cases: set.case,
    "case-photos": randomUUID(),
    inbox: "1",
    webhooks: randomUUID(),
    "case-catalogues": catalogue.id,
    summons: set.summons,
    receipts: "1",
    users: set.user,
    signups: set.signup,
  };
  if (!(last in by)) throw new Error(`no id kind for {${name}} in ${path} (${last})`);
  return by[last];
}

/** An id for a body or query field, by its name. */
function fieldId(name: string, set: RecordSet): string | undefined {
  const by: Record<string, string | undefined> = {
    areaId: set.community,
    communityId: set.community,
    reportInCommunityId: set.community,
    parentId: set.community,
    gridId: set.grid,
    unitId: set.community,
    householdId: set.household,
    personId: set.person,
    reporterPersonId: set.person,
    buildingId: set.building,
    compoundId: set.compound,
    dwellingId: set.dwelling,
    orgId: set.org,
    partyOrgId: set.org,
    supervisorId: set.org,
    coBuildingUnitId: set.org,
    caseId: set.case,
    intoId: set.case,
  };
  return by[name];
}

/** A minimal value that passes the schema, ids taken from the record set. */
function sample(schema: Schema | undefined, name: string, set: RecordSet): unknown {
  if (!schema) return undefined;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf) {
    const nonNull = schema.anyOf.find((s) => s.type !== "null");
    return sample(nonNull ?? schema.anyOf[0], name, set);
  }
  const type = (Array.isArray(schema.type) ? schema.type.find((t) => t !== "null") : schema.type) ?? "none";
  switch (type) {
    case "object": {
      const out: Record<string, unknown> = {};
      for (const key of schema.required ?? []) out[key] = sample(schema.properties?.[key], key, set);
      // A PATCH body needs one field (minProperties 1): the first one that has a sample.
      for (const [key, prop] of Object.entries(schema.properties ?? {})) {
        if (Object.keys(out).length >= (schema.minProperties ?? 0)) break;
        const v = sample(prop, key, set);
        if (v !== undefined && v !== null) out[key] = v;
      }
      return out;
    }
    case "array":
      return Array.from({ length: schema.minItems ?? 0 }, () => sample(schema.items, name.replace(/s$/, ""), set));
    case "integer":
    case "number":
      if (name === "lng") return 104.005;
      if (name === "lat") return 30.005;
      return schema.minimum ?? 1;
    case "boolean":
      return false;
    case "string": {
      if (schema.format === "uuid") return fieldId(name, set) ?? randomUUID();
      if (schema.format === "date") return "2026-01-01";
      if (schema.format === "date-time") return "2026-01-01T00:00:00.000Z";
      if (schema.pattern?.includes("\\d{4}-(0[1-9]")) return "2026-01";
      if (name === "idNumber") return "11010519491231002X"; // a valid number, no canary
      if (name === "phone" || name === "contactPhone") return "13800000000";
      const fits = (v: string) => (!schema.pattern || new RegExp(schema.pattern, "u").test(v)) && v.length >= (schema.minLength ?? 0) && v.length <= (schema.maxLength ?? Infinity);
      return ["测试内容".padEnd(Math.max(schema.minLength ?? 1, 4), "。"), "T99", "2026-01", "1"].find(fits) ?? "测试内容";
    }
    default:
      return undefined;
  }
}

/**
 * Bodies the schema alone does not make valid: these services check the body before the record's
 * permission (a business rule of the body, not of the record), so the body is made valid here.
 */
function bodyFor(key: string, generated: unknown, set: RecordSet, other: RecordSet, departmentId: string): unknown {
  const b = (generated ?? {}) as Record<string, unknown>;
  switch (key) {
    case "POST /api/areas/{id}/staff":
      return { ...b, name: "王测试" };
    case "POST /api/cases/{id}/verify":
      return { ...b, note: "现场复核未通过，请重新处置" };
    case "POST /api/cases/{id}/merge":
      return { ...b, intoId: other.case };
    case "POST /api/cases/{id}/whistle":
      return { ...b, departmentOrgIds: [departmentId] };
    default:
      return generated;
  }
}

/**
 * Routes whose path id is not an area-scoped record, so "another community's record" does not apply:
 * the case catalogue is one for the deployment; templates are blank sheets; an inbox notice is the
 * caller's own or 404 (per user, not per area).
 */
const notAreaScoped = (key: string) => key.startsWith("GET /api/case-catalogues") || key.includes("/api/case-catalogues/{id}") || key.endsWith("/template") || key.startsWith("POST /api/inbox/");

/**
 * Point lookup: resolving any point to its grid (id, name, path) is what a resident's report from
 * anywhere needs; grid ids and names are not personal data, so its answer may hold another city's
 * grid. Listed so that any other route returning another scope's ids fails.
 */
const mayNameForeignAreas = new Set(["GET /api/areas/locate"]);

interface Attempt {
  key: string;
  who: string;
  set: SetName | "none";
  status: number;
  body: string;
}

describe.each(testEngines())("unauthorized access over every route on $name", (engine) => {
  let t: TestApp;
  let operations: Operation[] = [];
  const sets = {} as Record<SetName, RecordSet>;
  let catalogue = { id: "", categoryId: "", code: "" };
  const sessions = new Map<Role, Session>();
  const attempts: Attempt[] = [];
  let foreignIds: string[] = [];
  let started = 0;
  let skipped = 0;
  let departmentId = "";

  beforeAll(async () => {
    started = performance.now();
    t = await startTestApp(engine);
    const db = t.database.db;
    await loadDemoStreet(t.database, { keyring: t.keyring });
    const foreign = await buildTinyStreet(db);
    for (const l of demoLogins) sessions.set(l.role, await t.login(l.username, demoPassword));

    const [cat] = await rows<{ id: string; category_id: string; code: string }>(
      db,
      sql`select c.id::text as id, k.id::text as category_id, k.code from case_catalogues c join case_categories k on k.catalogue_id = c.id
          where c.status = 'active' and k.parent_id is not null order by k.code limit 1`,
    );
    catalogue = { id: cat!.id, categoryId: cat!.category_id, code: cat!.code };
    const [dept] = await rows<{ id: string }>(db, sql`select id::text as id from organizations where kind = 'department' order by name limit 1`);
    departmentId = dept!.id;

    const [home] = await rows<{ id: string }>(db, sql`select a.id::text as id from role_grants g join users u on u.id = g.user_id join areas a on a.id = g.area_id where u.username = 'communityworker'`);
    const [neighbour] = await rows<{ id: string }>(
      db,
      sql`select a.id::text as id from areas a where a.level = 'community' and a.id <> ${home!.id}
            and a.parent_id = (select parent_id from areas where id = ${home!.id}) order by a.code desc limit 1`,
    );
    const demoSet = async (communityId: string): Promise<RecordSet> => {
      const one = async (q: ReturnType<typeof sql>) => (await rows<{ id: string }>(db, q))[0]?.id;
      const grids = sql`(select id from areas where parent_id = ${communityId} and level = 'grid')`;
      const c = (await rows<{ id: string; case_no: string }>(db, sql`select id::text as id, case_no from cases where community_id = ${communityId} order by submitted_at desc limit 1`))[0];
      return {
        community: communityId,
        grid: (await one(sql`select id::text as id from areas where parent_id = ${communityId} and level = 'grid' order by code limit 1`))!,
        household: await one(sql`select id::text as id from households where grid_id in ${grids} order by id limit 1`),
        person: await one(sql`select id::text as id from persons where grid_id in ${grids} and id_number_enc is not null order by id limit 1`),
        org: await one(sql`select id::text as id from organizations where area_id = ${communityId} order by id limit 1`),
        post: await one(sql`select p.id::text as id from posts p join organizations o on o.id = p.org_id where o.area_id = ${communityId} order by p.id limit 1`),
        partyMember: await one(sql`select m.id::text as id from party_members m join persons p on p.id = m.person_id where p.grid_id in ${grids} order by m.id limit 1`),
        registration: await one(sql`select id::text as id from party_registrations where community_id = ${communityId} order by id limit 1`),
        compound: await one(sql`select id::text as id from compounds where community_id = ${communityId} order by id limit 1`),
        building: await one(sql`select id::text as id from buildings where grid_id in ${grids} order by id limit 1`),
        unit: await one(sql`select u.id::text as id from building_units u join buildings b on b.id = u.building_id where b.grid_id in ${grids} order by u.id limit 1`),
        dwelling: await one(sql`select id::text as id from dwellings where grid_id in ${grids} order by id limit 1`),
        case: c?.id,
        caseNo: c?.case_no,
        summons: await one(sql`select s.id::text as id from case_summons s join cases c on c.id = s.case_id where c.community_id = ${communityId} order by s.id limit 1`),
        gridStaff: await one(sql`select id::text as id from grid_staff where grid_id in ${grids} order by id limit 1`),
        user: (await createTestUser(db, { role: "gridWorker", areaId: (await one(sql`select id::text as id from areas where parent_id = ${communityId} and level = 'grid' order by code limit 1`))! })).id,
      };
    };
    sets.home = await demoSet(home!.id);
    sets.neighbour = await demoSet(neighbour!.id);

    // The foreign city: its tiny street, a case there, and canary persons with clear ID numbers and
    // phones (stored encrypted, as the platform stores them).
    const fcase = await insertCase(db, foreign, { id: catalogue.categoryId, code: catalogue.code });
    const [fp] = await db
      .insert(persons)
      .values({ householdId: foreign.householdA1, gridId: foreign.gridA1, name: "钱多多", gender: "female", birthYear: 1985, relation: "配偶", ...encryptContact(t.keyring, { idNumber: canaryIds.foreign, phone: canaryPhones.foreign }) })
      .returning({ id: persons.id });
    await db
      .insert(persons)
      .values({ householdId: sets.neighbour.household!, gridId: sets.neighbour.grid, name: "孙金凤", gender: "female", birthYear: 1990, relation: "其他", ...encryptContact(t.keyring, { idNumber: canaryIds.neighbour, phone: canaryPhones.neighbour }) });
    sets.foreign = { community: foreign.communityA, grid: foreign.gridA1, household: foreign.householdA1, person: fp!.id, case: fcase.id, caseNo: fcase.caseNo };
    foreignIds = [foreign.communityA, foreign.communityB, foreign.gridA1, foreign.gridA2, foreign.gridB1, foreign.householdA1, foreign.householdA2, foreign.householdB1, foreign.personA1, fp!.id, fcase.id, fcase.caseNo];
    // A resident's sign-up waiting in each set's community (accounts), its mobile a canary where there is one.
    for (const [name, phone] of [["home", "13700000000"], ["neighbour", canaryPhones.neighbour], ["foreign", canaryPhones.foreign]] as const) {
      const set = sets[name];
      const user = await createTestUser(db, { role: "resident", areaId: set.community });
      const [c] = await rows<{ path: string }>(db, sql`select path from areas where id = ${set.community}`);
      const [row] = await rows<{ id: string }>(
        db,
        sql`insert into signup_requests (user_id, community_id, community_path, name, phone_enc, phone_hash, phone_masked, phone_verified, address, status, via)
            values (${user.id}, ${set.community}, ${c!.path}, '赵注册', ${encryptField(t.keyring, phone, "signup_requests.phone")}, ${searchHash(t.keyring, "phone", phone)},
                    ${`${phone.slice(0, 3)}****${phone.slice(-4)}`}, 'sms', '幸福路1号', 'pending', 'registry') returning id::text as id`,
      );
      set.signup = row!.id;
    }
    // A foreign staff login exists too, so "another community's user" is a real account.
    const foreignUser = await createTestUser(db, { role: "communityWorker", areaId: foreign.communityA });
    sets.foreign = { ...sets.foreign, user: foreignUser.id };
    foreignIds = [foreignUser.id, foreign.communityA, foreign.communityB, foreign.gridA1, foreign.gridA2, foreign.gridB1, foreign.householdA1, foreign.householdA2, foreign.householdB1, foreign.personA1, fp!.id, fcase.id, fcase.caseNo];

    const doc = t.app.swagger() as { paths: Record<string, Record<string, Omit<Operation, "method" | "path">>> };
    operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })));

    /** The answer, or null when the record set has no record of the kind the path names. */
    const request = async (op: Operation, set: RecordSet, session: Session | null) => {
      let missing = false;
      let url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
        const param = op.parameters?.find((p) => p.in === "path" && p.name === name);
        // A choice (the ledger kind of imports and exports): its first value.
        const id = param?.schema?.anyOf || param?.schema?.enum ? String(sample(param.schema, name, set)) : pathId(op.path, name, set, catalogue);
        if (id === undefined) missing = true;
        return encodeURIComponent(id ?? "");
      });
      if (missing) return null;
      const query = new URLSearchParams();
      for (const p of op.parameters ?? []) {
        if (p.in !== "query") continue;
        const id = p.schema?.format === "uuid" ? fieldId(p.name, set) : undefined;
        const v = id ?? (p.required ? sample(p.schema, p.name, set) : undefined);
        if (v !== undefined) query.set(p.name, String(v as string | number | boolean));
      }
      if ([...query].length > 0) url += `?${query.toString()}`;
      const json = op.requestBody?.content?.["application/json"]?.schema;
      const other = set === sets.home ? sets.neighbour : sets.home;
      const body = json ? bodyFor(`${op.method} ${op.path}`, sample(json, "", set), set, other, departmentId) : undefined;
      return t.as(session, op.method as "GET", url, body);
    };

    // Everything is sent here, once; the tests below read the answers.
    for (const op of operations) {
      const key = `${op.method} ${op.path}`;
      if (op.path === "/api/events/stream") continue; // an endless SSE stream: checked for anonymous only, below
      // Anonymous: on a foreign record, else a neighbour's (the foreign city has no record of every kind).
      const anonSet: SetName = (await request(op, sets.foreign, null)) ? "foreign" : "neighbour";
      const anon = (await request(op, sets[anonSet], null))!;
      attempts.push({ key, who: "anonymous", set: anonSet, status: anon.statusCode, body: anon.body });
      // Logging out as a login would end the session the rest of the suite uses.
      if (key === "POST /api/auth/logout") continue;
      for (const l of demoLogins) {
        for (const name of ["home", "neighbour", "foreign"] as const) {
          if (name === "neighbour" && !outOfScope[l.role].neighbour) continue;
          if (!op.path.includes("{") && name !== "home" && !(op.parameters ?? []).some((p) => p.in === "query" && p.schema?.format === "uuid") && !op.requestBody) continue;
          const res = await request(op, sets[name], sessions.get(l.role)!);
          if (!res) {
            skipped++;
            continue;
          }
          attempts.push({ key, who: l.role, set: name, status: res.statusCode, body: res.body });
        }
      }
    }
    const anonStream = await t.app.inject({ method: "GET", url: "/api/events/stream" });
    attempts.push({ key: "GET /api/events/stream", who: "anonymous", set: "none", status: anonStream.statusCode, body: anonStream.body });
    console.log(`unauthorized suite on ${engine.name}: ${operations.length} routes, ${attempts.length} requests (${skipped} combinations without a record of the kind), ${Math.round(performance.now() - started)} ms`);
  }, 600_000);
  afterAll(async () => t?.close());

  it("covers every route of the OpenAPI document", () => {
    expect(operations.length).toBeGreaterThan(150);
    const tried = new Set(attempts.map((a) => a.key));
    expect(operations.map((o) => `${o.method} ${o.path}`).filter((k) => !tried.has(k))).toEqual([]);
    for (const k of Object.keys(publicRoutes)) expect(tried.has(k), k).toBe(true);
  });

  it("answers 401 to anonymous requests except on the public routes", () => {
    const wrong = attempts.filter((a) => a.who === "anonymous" && !(a.key in publicRoutes) && a.status !== 401).map((a) => `${a.key} → ${a.status}`);
    expect(wrong).toEqual([]);
  });

  it("never answers 500", () => {
    expect(attempts.filter((a) => a.status >= 500).map((a) => `${a.key} as ${a.who} on ${a.set} → ${a.status}: ${a.body.slice(0, 200)}`)).toEqual([]);
  });

  it("refuses another scope's records with 401/403/404", () => {
    const wrong = attempts
      .filter((a) => a.who !== "anonymous" && a.set !== "home" && a.set !== "none" && a.key.includes("{") && !(a.key in publicRoutes) && !multipartRoutes.has(a.key) && !notAreaScoped(a.key))
      .filter((a) => ![401, 403, 404].includes(a.status))
      .map((a) => `${a.key} as ${a.who} on ${a.set} → ${a.status}: ${a.body.slice(0, 160)}`);
    expect(wrong).toEqual([]);
  });

  it("never puts another scope's clear personal data or record ids in a body", () => {
    const leaks: string[] = [];
    for (const a of attempts) {
      const canaries = [canaryIds.foreign, canaryPhones.foreign];
      if (a.who === "anonymous" || outOfScope[a.who as Role].neighbour) canaries.push(canaryIds.neighbour, canaryPhones.neighbour);
      for (const c of canaries) if (a.body.includes(c)) leaks.push(`${a.key} as ${a.who} on ${a.set}: ${c}`);
      if (a.key in publicRoutes || mayNameForeignAreas.has(a.key)) continue;
      for (const id of foreignIds) if (a.body.includes(id)) leaks.push(`${a.key} as ${a.who} on ${a.set}: foreign id ${id}`);
    }
    expect(leaks).toEqual([]);
  });
});
