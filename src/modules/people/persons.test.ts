import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { demoPassword, loadDemoStreet } from "../../tools/demo/index.js";
import { validateIdNumber, makeIdNumber } from "../../platform/pii/validate.js";
import { decryptField, searchHash } from "../../platform/pii/crypto.js";
import { generateDataKey, generateDataKeysValue, parseDataKeys } from "../../platform/pii/keys.js";
import { encryptContact, rotatePersonKeys } from "./persons.js";
import { persons } from "./schema.js";
import { buildTinyStreet } from "../../test-support/factories.js";

interface Person {
  id: string;
  name: string;
  idNumber: string | null;
  phone: string | null;
  masked: boolean;
  tags: string[];
  abilities?: Record<string, boolean>;
}

describe.each(testEngines())("persons and personal data on $name", (engine) => {
  let t: TestApp;
  let street: Session;
  let worker: Session;
  let mine!: { id: string; name: string; gender: "male" | "female"; birth_year: number };
  let theirs!: { id: string };
  beforeAll(async () => {
    t = await startTestApp(engine);
    await loadDemoStreet(t.database, { keyring: t.keyring });
    street = await t.login("streetadmin", demoPassword);
    worker = await t.login("communityworker", demoPassword);
    const [c1, c2] = await t.database.query<{ path: string }>("select path from areas where level = 'community' order by code limit 2");
    [mine] = (await t.database.query<{ id: string; name: string; gender: "male" | "female"; birth_year: number }>(
      "select p.id, p.name, p.gender, p.birth_year from persons p join areas g on g.id = p.grid_id where g.path like $1 and p.birth_year < 1990 order by p.id limit 1",
      [`${c1!.path}%`],
    )) as [typeof mine];
    [theirs] = (await t.database.query<{ id: string }>("select p.id from persons p join areas g on g.id = p.grid_id where g.path like $1 order by p.id limit 1", [`${c2!.path}%`])) as [typeof theirs];
  });
  afterAll(async () => t?.close());

  /** The clear ID number of a person, read the way only a key holder can. */
  const clearId = async (personId: string) => {
    const [r] = await t.database.query<{ id_number_enc: string }>("select id_number_enc from persons where id = $1", [personId]);
    return decryptField(t.keyring, r!.id_number_enc, "persons.id_number");
  };

  it("stores ID numbers and phones only encrypted, with masked forms for lists", async () => {
    const [row] = await t.database.query<Record<string, string>>("select id_number_enc, id_number_hash, id_number_masked, phone_enc, phone_masked from persons where id = $1", [mine.id]);
    const idNumber = await clearId(mine.id);
    expect(row!.id_number_enc).toMatch(/^v1\.\d+\./);
    expect(row!.id_number_enc).not.toContain(idNumber);
    // Demo numbers carry a region code of no real division, so they can never be a real person's.
    expect(idNumber.startsWith("990107")).toBe(true);
    expect(row!.id_number_masked).toBe(`${idNumber.slice(0, 4)}**********${idNumber.slice(-4)}`);
    const checked = validateIdNumber(idNumber);
    expect(checked.ok && checked.birthDate.startsWith(String(mine.birth_year)) && checked.gender === mine.gender).toBe(true);
    const [{ n }] = (await t.database.query<{ n: string }>("select count(distinct id_number_hash)::text as n from persons where id_number_hash is not null")) as [{ n: string }];
    // Every resident has one; persons recorded only for a post (大党委 seats, no household) have none.
    const [{ m }] = (await t.database.query<{ m: string }>("select count(*)::text as m from persons where household_id is not null")) as [{ m: string }];
    expect(n).toBe(m);
    const dump = JSON.stringify(await t.database.query("select * from persons limit 200"));
    expect(dump).not.toMatch(/990107\d{11}[\dX]/);
  });

  it("lists persons masked, filters by tag, and never sends a clear ID number", async () => {
    const res = await t.as(street, "GET", "/api/persons?tag=elderlyAlone&pageSize=50");
    const body = res.json() as { items: Person[]; total: number };
    expect(body.total).toBeGreaterThan(0);
    for (const p of body.items) {
      expect(p.tags).toContain("elderlyAlone");
      expect(p.masked).toBe(true);
      expect(p.name).toMatch(/^.\*+$/);
      expect(p.idNumber).toMatch(/^9901\*{10}[\dX]{4}$/);
    }
    expect(res.body).not.toMatch(/990107\d{11}[\dX]/);
  });

  it("lists one household's members, and nothing of a household out of scope", async () => {
    const [h] = await t.database.query<{ household_id: string; n: string }>("select household_id, count(*)::text as n from persons where id = $1 or household_id = (select household_id from persons where id = $1) group by household_id", [mine.id]);
    const res = (await t.as(worker, "GET", `/api/persons?householdId=${h!.household_id}`)).json() as { items: Person[]; total: number };
    expect(res.total).toBe(Number(h!.n));
    expect(res.items.map((p) => p.id)).toContain(mine.id);
    const [other] = await t.database.query<{ household_id: string }>("select household_id from persons where id = $1", [theirs.id]);
    const hidden = (await t.as(worker, "GET", `/api/persons?householdId=${other!.household_id}`)).json() as { total: number };
    expect(hidden.total).toBe(0);
  });

  it("reveals an ID number for a stated purpose, for a few minutes, audited without the value", async () => {
    const detail = (await t.as(worker, "GET", `/api/persons/${mine.id}`)).json() as Person;
    expect(detail.name).toBe(mine.name);
    expect(detail.abilities).toMatchObject({ reveal: true });
    const short = await t.as(worker, "POST", `/api/persons/${mine.id}/reveal`, { field: "idNumber", purpose: "看" });
    expect(short.statusCode).toBe(400);
    expect(short.json()).toMatchObject({ code: "validation_failed", field: "purpose" });
    const res = await t.as(worker, "POST", `/api/persons/${mine.id}/reveal`, { field: "idNumber", purpose: "办理高龄津贴申请，核对身份" });
    expect(res.statusCode).toBe(200);
    expect(res.headers["cache-control"]).toBe("no-store");
    const body = res.json() as { value: string; expiresAt: string };
    expect(body.value).toBe(await clearId(mine.id));
    const minutes = (new Date(body.expiresAt).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(4);
    expect(minutes).toBeLessThanOrEqual(5);
    const [reveal] = await t.database.query<{ purpose: string; field: string }>("select purpose, field from pii_reveals where entity_id = $1", [mine.id]);
    expect(reveal).toEqual({ purpose: "办理高龄津贴申请，核对身份", field: "idNumber" });
    const audit = await t.database.query<{ summary: unknown }>("select summary from audit_entries where action = 'person.reveal' and entity_id = $1", [mine.id]);
    expect(audit).toHaveLength(1);
    expect(JSON.stringify(audit)).not.toContain(body.value);
    expect(JSON.stringify(audit)).not.toContain("高龄津贴");
  });

  it("refuses reveals to roles that do not need the value, and hides other communities", async () => {
    const admin = await t.as(street, "POST", `/api/persons/${mine.id}/reveal`, { field: "phone", purpose: "核对联系方式" });
    expect(admin.statusCode).toBe(403);
    expect((await t.as(worker, "GET", `/api/persons/${theirs.id}`)).statusCode).toBe(404);
    expect((await t.as(worker, "POST", `/api/persons/${theirs.id}/reveal`, { field: "phone", purpose: "核对联系方式" })).statusCode).toBe(404);
  });

  it("finds a person by exact ID number within scope; a bad checksum is a clear error without the number", async () => {
    const id = await clearId(mine.id);
    const found = await t.as(worker, "POST", "/api/persons/search", { idNumber: id.toLowerCase() });
    expect(found.statusCode).toBe(200);
    expect((found.json() as Person).id).toBe(mine.id);
    const bad = `${id.slice(0, 17)}${id.endsWith("0") ? "1" : "0"}`;
    const res = await t.as(worker, "POST", "/api/persons/search", { idNumber: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "validation_failed", field: "idNumber" });
    expect(res.body).not.toContain(bad.slice(6, 14));
  });

  it("sets contact data: validated, unique ID numbers, encrypted", async () => {
    const badPhone = await t.as(worker, "PATCH", `/api/persons/${mine.id}/contact`, { phone: "12345" });
    expect(badPhone.statusCode).toBe(400);
    expect(badPhone.json()).toMatchObject({ field: "phone" });
    const [other] = await t.database.query<{ id: string }>("select id from persons where id <> $1 and grid_id = (select grid_id from persons where id = $1) limit 1", [mine.id]);
    const taken = await clearId(other!.id);
    const dup = await t.as(worker, "PATCH", `/api/persons/${mine.id}/contact`, { idNumber: taken });
    expect(dup.statusCode).toBe(409);
    const fresh = makeIdNumber("990107", "1958-03-09", 123);
    const ok = await t.as(worker, "PATCH", `/api/persons/${mine.id}/contact`, { idNumber: fresh, phone: "+86 139-0000-1234" });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toMatchObject({ idNumber: `9901**********${fresh.slice(-4)}`, phone: "139****1234" });
    const [row] = await t.database.query<{ id_number_hash: string }>("select id_number_hash from persons where id = $1", [mine.id]);
    expect(row!.id_number_hash).toBe(searchHash(t.keyring, "idNumber", fresh));
  });

});

describe.each(testEngines())("key rotation on $name", (engine) => {
  it("re-encrypts every field under the new key; the old key can then go; search hashes stay", async () => {
    const first = generateDataKeysValue();
    const k1 = parseDataKeys(first);
    const database = await engine.open();
    try {
      const s = await buildTinyStreet(database.db);
      const values = [makeIdNumber("990107", "1950-01-02", 11), makeIdNumber("990107", "1962-07-30", 24), makeIdNumber("990107", "1990-12-31", 37)];
      const ids: string[] = [];
      for (const v of values) {
        const [p] = await database.db
          .insert(persons)
          .values({ householdId: s.householdA1, gridId: s.gridA1, name: "轮换测试", gender: "male", birthYear: 1950, relation: "户主", ...encryptContact(k1, { idNumber: v, phone: "13900001234" }) })
          .returning({ id: persons.id });
        ids.push(p!.id);
      }
      const hashesBefore = await database.query<{ id_number_hash: string }>("select id_number_hash from persons where id = any($1) order by id", [ids]);
      const added = generateDataKey({ keyring: k1 });
      const k2 = parseDataKeys(`${added},${first}`);
      const result = await rotatePersonKeys(database.db, k2);
      expect(result.rotated).toBe(3);
      expect((await rotatePersonKeys(database.db, k2)).rotated).toBe(0);
      const search = first.split(",").find((e) => e.startsWith("s:"))!;
      const onlyNew = parseDataKeys(`${added},${search}`);
      const rowsAfter = await database.query<{ id: string; id_number_enc: string; phone_enc: string; id_number_hash: string }>("select id, id_number_enc, phone_enc, id_number_hash from persons where id = any($1) order by id", [ids]);
      for (const r of rowsAfter) {
        expect(r.id_number_enc.startsWith(`v1.${k2.currentKeyId}.`)).toBe(true);
        expect(values).toContain(decryptField(onlyNew, r.id_number_enc, "persons.id_number"));
        expect(decryptField(onlyNew, r.phone_enc, "persons.phone")).toBe("13900001234");
      }
      expect(rowsAfter.map((r) => r.id_number_hash)).toEqual(hashesBefore.map((r) => r.id_number_hash));
      expect(() => decryptField(k1, rowsAfter[0]!.id_number_enc, "persons.id_number")).toThrow();
    } finally {
      await database.close();
    }
  });
});
