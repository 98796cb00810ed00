/**
 * No personal data in the log when a query fails: the error line names the error's kind, its
 * SQLSTATE and the statement, never Drizzle's "Failed query … params:" with the resident's words.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../test-support/databases.js";
import { buildTinyStreet, createTestUser, testPassword, type TinyStreet } from "../test-support/factories.js";
import { seedCaseCatalogue, type TestCatalogue } from "../test-support/cases.js";
import { buildApp } from "../app.js";
import { loadConfig } from "./config.js";
import type { Database } from "./db/index.js";
import type { App } from "./http/server.js";
import { generateDataKeysValue, parseDataKeys } from "./pii/keys.js";
import { describeError, statementName } from "./log.js";

describe("statementName", () => {
  it("names the verb and table, never values", () => {
    expect(statementName('insert into "cases" ("id", "description") values ($1, $2)')).toBe("insert cases");
    expect(statementName('update "users" set "failed_logins" = $1 where "id" = $2')).toBe("update users");
    expect(statementName('select "id" from "persons" where "id_number_hash" = $1')).toBe("select persons");
    expect(statementName('delete from "sessions" where "token_hash" = $1')).toBe("delete sessions");
    expect(statementName('with "n" as (select 1) insert into "cases" ("id") values ($1)')).toBe("with insert cases");
    expect(statementName("张三 510107199001011234")).toBeUndefined();
  });

  it("keeps a wrapped database error's codes and drops its message and detail", () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "persons_id_number_hash_key"'), {
      code: "23505",
      constraint: "persons_id_number_hash_key",
      table: "persons",
      detail: "Key (id_number_hash)=(4f9a…) already exists.",
      severity: "ERROR",
    });
    const wrapped = Object.assign(new Error('Failed query: insert into "persons" ("name") values ($1)\nparams: 张三'), {
      name: "DrizzleQueryError",
      query: 'insert into "persons" ("name") values ($1)',
      params: ["张三"],
      cause: pgError,
    });
    const d = describeError(wrapped);
    expect(d).toMatchObject({ type: "DrizzleQueryError", sqlState: "23505", constraint: "persons_id_number_hash_key", table: "persons", statement: "insert persons" });
    const text = JSON.stringify(d);
    expect(text).not.toContain("张三");
    expect(text).not.toContain("4f9a");
    expect(text).not.toContain("Failed query");
  });
});

describe.each(testEngines())("error log on a failed query ($name)", (engine) => {
  let database: Database;
  let app: App;
  let s: TinyStreet;
  let cat: TestCatalogue;
  const lines: string[] = [];
  beforeAll(async () => {
    database = await engine.open();
    const config = loadConfig({ LOG_LEVEL: "info", GONGZHI_RATE_LIMIT_PER_MINUTE: "100000", GONGZHI_SESSION_CACHE_MS: "0" });
    app = await buildApp(config, database, { keyring: parseDataKeys(generateDataKeysValue()), logStream: { write: (line: string) => void lines.push(line) } });
    await app.ready();
    s = await buildTinyStreet(database.db);
    cat = await seedCaseCatalogue(database.db, s);
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("logs the SQLSTATE and statement name, and none of the report's personal data", async () => {
    const user = await createTestUser(database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 });
    const login = await app.inject({ method: "POST", url: "/api/auth/login", payload: { username: user.username, password: testPassword } });
    const session = { cookie: `gz_session=${login.cookies.find((c) => c.name === "gz_session")!.value}`, csrf: login.json<{ csrfToken: string }>().csrfToken };
    // A trigger makes the case insert fail inside the database, after the service built its parameters.
    await database.query(`create function gz_test_fail() returns trigger language plpgsql as $$ begin raise exception 'forced failure'; end $$`);
    await database.query(`create trigger gz_test_fail before insert on cases for each row execute function gz_test_fail()`);
    const idNumber = "510107199001011234";
    const phone = "13912345678";
    const secretWords = "楼上邻居刘秀英每晚噪音";
    lines.length = 0;
    const res = await app.inject({
      method: "POST",
      url: "/api/cases",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
      payload: { categoryCode: cat.garbage.code, description: `${secretWords}，身份证 ${idNumber}，电话 ${phone}`, lng: 104.005, lat: 30.005, contactName: "刘秀英", contactPhone: phone },
    });
    await database.query("drop trigger gz_test_fail on cases");
    await database.query("drop function gz_test_fail()");
    expect(res.statusCode).toBe(500);
    const log = lines.join("");
    const errorLine = lines.map((l) => JSON.parse(l) as { msg: string; err?: Record<string, unknown> }).find((l) => l.msg === "unhandled error");
    expect(errorLine?.err).toMatchObject({ sqlState: "P0001" });
    expect(String(errorLine?.err?.statement)).toMatch(/cases$/);
    for (const secret of [idNumber, phone, secretWords, "刘秀英", "params", "forced failure", "138****", "139****5678", "v1."]) {
      expect(log, secret).not.toContain(secret);
    }
  });
});
