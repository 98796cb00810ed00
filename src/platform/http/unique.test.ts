import { describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { buildTinyStreet } from "../../test-support/factories.js";
import { persons } from "../../modules/people/schema.js";
import { uniqueViolation } from "./server.js";

describe.each(testEngines())("unique violations become 409s ($name)", (engine) => {
  it("names the constraint of a real duplicate through Drizzle's wrapper, and ignores other errors", async () => {
    const database = await engine.open();
    try {
      const s = await buildTinyStreet(database.db);
      const row = { householdId: s.householdA1, gridId: s.gridA1, name: "重复测试", gender: "male" as const, birthYear: 1970, relation: "户主", idNumberHash: "same-hash" };
      await database.db.insert(persons).values(row);
      const err = await database.db.insert(persons).values(row).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).not.toBeNull();
      expect(uniqueViolation(err)).toBe("persons_id_number_hash_key");
      const other = await database.db.execute("select 1/0").then(
        () => null,
        (e: unknown) => e,
      );
      expect(other).not.toBeNull();
      expect(uniqueViolation(other)).toBeNull();
      expect(uniqueViolation(new Error("plain"))).toBeNull();
    } finally {
      await database.close();
    }
  });
});
