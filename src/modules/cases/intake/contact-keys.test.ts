import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { testEngines } from "../../../test-support/databases.js";
import { buildTinyStreet } from "../../../test-support/factories.js";
import { insertCase, seedCaseCatalogue } from "../../../test-support/cases.js";
import { generateDataKey, generateDataKeysValue, parseDataKeys } from "../../../platform/pii/keys.js";
import { decryptField, encryptField } from "../../../platform/pii/crypto.js";
import { rotateEncryptedColumn } from "../../../platform/pii/rotate.js";
import { contactPhoneContext } from "./intake.js";
import { caseContactColumn } from "./contact-keys.js";
import { cases } from "../schema.js";

describe.each(testEngines())("case contact phones under key rotation ($name)", (engine) => {
  it("re-encrypts every contact phone under the new key, once, and leaves cases without one alone", async () => {
    const first = generateDataKeysValue();
    const k1 = parseDataKeys(first);
    const database = await engine.open();
    try {
      const s = await buildTinyStreet(database.db);
      const cat = await seedCaseCatalogue(database.db, s);
      const phones = ["13900001111", "13900002222", "13900003333"];
      for (const phone of phones) {
        const c = await insertCase(database.db, s, cat.garbage);
        await database.db.update(cases).set({ contactPhoneEnc: encryptField(k1, phone, contactPhoneContext) }).where(eq(cases.id, c.id));
      }
      await insertCase(database.db, s, cat.garbage);
      const added = generateDataKey({ keyring: k1 });
      const k2 = parseDataKeys(`${added},${first}`);
      expect((await rotateEncryptedColumn(database.db, k2, caseContactColumn, { batchSize: 2 })).rotated).toBe(3);
      expect((await rotateEncryptedColumn(database.db, k2, caseContactColumn)).rotated).toBe(0);
      const search = first.split(",").find((e) => e.startsWith("s:"))!;
      const onlyNew = parseDataKeys(`${added},${search}`);
      const after = await database.query<{ v: string }>("select contact_phone_enc as v from cases where contact_phone_enc is not null");
      expect(after.map((r) => decryptField(onlyNew, r.v, contactPhoneContext)).sort()).toEqual(phones);
      expect(() => decryptField(k1, after[0]!.v, contactPhoneContext)).toThrow();
    } finally {
      await database.close();
    }
  });
});
