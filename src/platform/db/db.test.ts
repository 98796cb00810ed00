import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import type { Database } from "./index.js";

describe.each(testEngines())("database on $name", (engine) => {
  let database: Database;
  beforeAll(async () => {
    database = await engine.open();
  });
  afterAll(async () => {
    await database?.close();
  });

  it("has the migrated tables and SKIP LOCKED", async () => {
    const tables = await database.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'public' order by 1",
    );
    expect(tables.map((t) => t.table_name)).toContain("audit_entries");
    const locked = await database.query("select id from areas for update skip locked");
    expect(locked).toEqual([]);
  });
});
