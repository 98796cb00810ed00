import { describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { buildTinyStreet } from "../../test-support/factories.js";
import { generateDataKey, generateDataKeysValue, parseDataKeys } from "../../platform/pii/keys.js";
import { decryptField } from "../../platform/pii/crypto.js";
import { encryptContact } from "./persons.js";
import { rotateRegistrationKeys } from "./party-registrations.js";
import { partyRegistrations } from "./schema.js";

describe.each(testEngines())("双找 registration phones under key rotation ($name)", (engine) => {
  it("re-encrypts every registration phone under the new key, once", async () => {
    const first = generateDataKeysValue();
    const k1 = parseDataKeys(first);
    const database = await engine.open();
    try {
      const s = await buildTinyStreet(database.db);
      const phones = ["13900001111", "13900002222"];
      for (const phone of phones) {
        const { phoneEnc, phoneHash, phoneMasked } = encryptContact(k1, { phone });
        await database.db.insert(partyRegistrations).values({ communityId: s.communityA, kind: "reportIn", name: "登记测试", orgName: "某公司党委", phoneEnc, phoneHash, phoneMasked });
      }
      await database.db.insert(partyRegistrations).values({ communityId: s.communityA, kind: "floating", name: "无电话", orgName: "某县党委" });
      const added = generateDataKey({ keyring: k1 });
      const k2 = parseDataKeys(`${added},${first}`);
      expect((await rotateRegistrationKeys(database.db, k2, { batchSize: 1 })).rotated).toBe(2);
      expect((await rotateRegistrationKeys(database.db, k2)).rotated).toBe(0);
      const search = first.split(",").find((e) => e.startsWith("s:"))!;
      const onlyNew = parseDataKeys(`${added},${search}`);
      const after = await database.query<{ phone_enc: string }>("select phone_enc from party_registrations where phone_enc is not null order by phone_masked");
      expect(after.map((r) => decryptField(onlyNew, r.phone_enc, "persons.phone")).sort()).toEqual(phones);
      expect(() => decryptField(k1, after[0]!.phone_enc, "persons.phone")).toThrow();
    } finally {
      await database.close();
    }
  });
});
