import { describe, expect, it } from "vitest";
import { sql } from "drizzle-orm";
import { EventBus } from "./index.js";
import { testEngines } from "../../test-support/databases.js";
import type { Db } from "../db/index.js";

declare module "./index.js" {
  interface DomainEvents {
    "test.happened": { n: number };
  }
}

describe("event bus", () => {
  it("refuses to publish before it is sealed, and to subscribe after", async () => {
    const bus = new EventBus();
    await expect(bus.publish({} as Db, "test.happened", { n: 1 })).rejects.toThrow(/before the module list/);
    bus.seal();
    expect(() => bus.subscribe("test.happened", "late", async () => undefined)).toThrow(/sealed/);
  });

  it("runs subscribers in order with the payload", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe("test.happened", "a", async (_tx, p) => void seen.push(`a${p.n}`));
    bus.subscribe("test.happened", "b", async (_tx, p) => void seen.push(`b${p.n}`));
    bus.seal();
    await bus.publish({} as Db, "test.happened", { n: 7 });
    expect(seen).toEqual(["a7", "b7"]);
    expect(bus.describe()).toEqual({ "test.happened": ["a", "b"] });
  });

  it("lets an observer watch after the subscribers, even once sealed, until it stops", async () => {
    const bus = new EventBus();
    const seen: string[] = [];
    bus.subscribe("test.happened", "a", async (_tx, p) => void seen.push(`a${p.n}`));
    bus.seal();
    const stop = bus.observe("test.happened", (p) => seen.push(`watch${p.n}`));
    await bus.publish({} as Db, "test.happened", { n: 1 });
    stop();
    await bus.publish({} as Db, "test.happened", { n: 2 });
    expect(seen).toEqual(["a1", "watch1", "a2"]);
    // Observers are not subscribers: the catalogue of who reacts to what is unchanged.
    expect(bus.describe()).toEqual({ "test.happened": ["a"] });
  });

  for (const engine of testEngines()) {
    it(`${engine.name}: a subscriber's writes commit with the publisher's, and a failing subscriber rolls both back`, async () => {
      const database = await engine.open();
      try {
        await database.query("create table ev_test (who text not null)");
        const bus = new EventBus();
        bus.subscribe("test.happened", "owner", async (tx, p) => {
          if (p.n < 0) throw new Error("refused");
          await tx.execute(sql`insert into ev_test (who) values ('subscriber')`);
        });
        bus.seal();
        await database.db.transaction(async (tx) => {
          await tx.execute(sql`insert into ev_test (who) values ('publisher')`);
          await bus.publish(tx, "test.happened", { n: 1 });
        });
        await expect(
          database.db.transaction(async (tx) => {
            await tx.execute(sql`insert into ev_test (who) values ('publisher')`);
            await bus.publish(tx, "test.happened", { n: -1 });
          }),
        ).rejects.toThrow("refused");
        const rows = await database.query<{ who: string }>("select who from ev_test order by who");
        expect(rows.map((r) => r.who)).toEqual(["publisher", "subscriber"]);
      } finally {
        await database.close();
      }
    });
  }
});
