import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { sealPending } from "./index.js";

describe.each(testEngines())("audit receipts over HTTP on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let workerId: string;
  let other: Session;
  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    const w = await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA });
    workerId = w.id;
    worker = await t.login(w.username);
    other = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityB })).username);
  });
  afterAll(async () => t?.close());

  it("gives the actor a receipt for their change that verifies, and detects an altered receipt", async () => {
    expect((await t.as(worker, "PATCH", `/api/households/${s.householdA1}`, { note: "每周探访" })).statusCode).toBe(200);
    const [entry] = await t.database.query<{ id: number }>("select id from audit_entries where action = 'household.update' and actor_id = $1", [workerId]);
    const pending = await t.as(worker, "GET", `/api/audit/entries/${entry!.id}/receipt`);
    expect(pending.statusCode).toBe(409);
    expect(pending.json()).toMatchObject({ code: "audit_not_sealed" });

    await sealPending(t.database.db);
    const res = await t.as(worker, "GET", `/api/audit/entries/${entry!.id}/receipt`);
    expect(res.statusCode).toBe(200);
    const receipt = res.json() as { entry: { action: string; entityId: string }; checkpoint: { id: number } };
    expect(receipt.entry).toMatchObject({ action: "household.update", entityId: s.householdA1 });

    const check = await t.as(null, "POST", "/api/audit/receipts/verify", { receipt });
    expect(check.json()).toEqual({ valid: true, checkpointOnRecord: true });
    const forged = { ...receipt, entry: { ...receipt.entry, entityId: s.householdB1 } };
    expect((await t.as(null, "POST", "/api/audit/receipts/verify", { receipt: forged })).json()).toEqual({ valid: false, checkpointOnRecord: false });

    // Someone else's entry is not theirs to see.
    expect((await t.as(other, "GET", `/api/audit/entries/${entry!.id}/receipt`)).statusCode).toBe(404);
    expect((await t.as(worker, "GET", "/api/audit/entries/999999999/receipt")).statusCode).toBe(404);
  });

  it("publishes checkpoints without personal data", async () => {
    await sealPending(t.database.db);
    const res = await t.as(null, "GET", "/api/audit/checkpoints?limit=10");
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(Object.keys(items[0]!).sort()).toEqual(expect.arrayContaining(["checkpointHash", "merkleRoot", "firstSeq", "lastSeq"]));
    expect(JSON.stringify(items)).not.toMatch(/张建国|幸福路/);
  });
});
