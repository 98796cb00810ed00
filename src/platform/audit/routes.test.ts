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

  it("gives the actor a receipt by seq that verifies, and detects an altered receipt", async () => {
    expect((await t.as(worker, "PATCH", `/api/households/${s.householdA1}`, { note: "每周探访" })).statusCode).toBe(200);
    await sealPending(t.database.db, { signer: t.auditSigner });
    const [entry] = await t.database.query<{ id: unknown; seq: unknown }>("select id, seq from audit_entries where action = 'household.update' and actor_id = $1", [workerId]);
    const seq = Number(entry!.seq);
    const res = await t.as(worker, "GET", `/api/audit/receipts/${seq}`);
    expect(res.statusCode).toBe(200);
    const receipt = res.json() as { entry: { id: number; seq: number; action: string; entityId: string }; checkpoint: { id: number; keyId: string } };
    expect(receipt.entry).toMatchObject({ id: Number(entry!.id), seq, action: "household.update", entityId: s.householdA1 });
    expect(receipt.checkpoint.keyId).toBe(t.auditSigner.keyId);

    const check = await t.as(null, "POST", "/api/audit/receipts/verify", { receipt });
    expect(check.json()).toEqual({ valid: true, checkpointOnRecord: true });
    const forged = { ...receipt, entry: { ...receipt.entry, entityId: s.householdB1 } };
    expect((await t.as(null, "POST", "/api/audit/receipts/verify", { receipt: forged })).json()).toEqual({ valid: false, checkpointOnRecord: false });

    // Someone else's entry is not theirs to see.
    expect((await t.as(other, "GET", `/api/audit/receipts/${seq}`)).statusCode).toBe(404);
    expect((await t.as(worker, "GET", "/api/audit/receipts/999999999")).statusCode).toBe(404);
  });

  it("publishes the public key that checks the checkpoints", async () => {
    const res = await t.as(null, "GET", "/api/audit/public-key");
    expect(res.statusCode).toBe(200);
    const body = res.json() as { items: { keyId: string; publicKey: string; pem: string; current: boolean }[] };
    expect(body.items).toEqual([expect.objectContaining({ keyId: t.auditSigner.keyId, publicKey: t.auditSigner.publicKey.text, current: true })]);
    expect(body.items[0]!.pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const { parseAuditPublicKey } = await import("./signing.js");
    expect(parseAuditPublicKey(body.items[0]!.publicKey).keyId).toBe(t.auditSigner.keyId);
  });

  it("publishes signed checkpoints without personal data", async () => {
    await sealPending(t.database.db, { signer: t.auditSigner });
    const res = await t.as(null, "GET", "/api/audit/checkpoints?limit=10");
    expect(res.statusCode).toBe(200);
    const items = (res.json() as { items: Record<string, unknown>[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(Object.keys(items[0]!).sort()).toEqual(expect.arrayContaining(["checkpointHash", "merkleRoot", "firstSeq", "lastSeq", "keyId", "signature"]));
    expect(JSON.stringify(items)).not.toMatch(/张建国|幸福路/);
  });
});
