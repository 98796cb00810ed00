import http from "node:http";
import { createHmac } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { insertCase, seedCaseCatalogue, type TestCatalogue } from "../../test-support/cases.js";
import { applyTransition, lockCase, systemActor } from "./core.js";
import type { CaseAction } from "./machine.js";
import { webhookDeliveries, webhooks } from "../../platform/notify/schema.js";
import { backoffMs, maxAttempts, runWebhookDeliveries, signWebhook } from "../../platform/notify/webhook-worker.js";
import { createWebhook, queueCheckpointWebhooks, rotateWebhookSecrets, secretContext, webhookEvents } from "../../platform/notify/webhooks.js";
import { webhookEventOf } from "./webhooks.js";
import { listCheckpoints, loadWitnesses, sealPending, verifyAuditLog } from "../../platform/audit/index.js";
import { decryptField, keyIdOf } from "../../platform/pii/crypto.js";
import { generateDataKey, generateDataKeysValue, parseDataKeys } from "../../platform/pii/keys.js";
import type { Actor } from "../../platform/auth/actor.js";
import { caseActions } from "./machine.js";

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local receiver: answers with the next status of `script` (then 200), records every request. */
async function startReceiver(): Promise<{ url: string; received: Received[]; script: number[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const script: number[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      received.push({ headers: req.headers, body });
      res.statusCode = script.shift() ?? 200;
      res.end("ok");
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/gongzhi`,
    received,
    script,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

describe("webhook events", () => {
  it("names every step, and signs as documented", () => {
    for (const a of ["submit" as const, ...caseActions]) expect(webhookEventOf[a as CaseAction]).toMatch(/^case\.[a-zA-Z]+$/);
    expect(new Set(webhookEvents()).size).toBe(webhookEvents().length);
    for (const name of Object.values(webhookEventOf)) expect(webhookEvents()).toContain(name);
    expect(webhookEvents()).toContain("audit.checkpoint");
    expect(signWebhook("s3cret", "1700000000", '{"a":1}')).toBe(`sha256=${createHmac("sha256", "s3cret").update('1700000000.{"a":1}').digest("hex")}`);
    expect([1, 2, 3, 7].map(backoffMs)).toEqual([30_000, 60_000, 120_000, 1_920_000]);
    expect(backoffMs(20)).toBe(3_600_000);
  });
});

describe.each(testEngines())("webhooks on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let cat: TestCatalogue;
  let admin: Session;
  let streetAdmin: Session;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let adminUserId: string;

  const db = () => t.database.db;
  const count = async (table: string) => Number((await t.database.query<{ n: string }>(`select count(*)::text as n from ${table}`))[0]!.n);
  const step = (id: string, action: CaseAction, input: Parameters<typeof applyTransition>[4] = {}) =>
    db().transaction(async (tx) => (await applyTransition(tx, systemActor, await lockCase(tx, id), action, input)).case);
  const deliveriesOf = (webhookId: string) => db().select().from(webhookDeliveries).where(eq(webhookDeliveries.webhookId, webhookId)).orderBy(webhookDeliveries.id);
  const create = async (body: Record<string, unknown>) => {
    const res = await t.as(admin, "POST", "/api/webhooks", { name: "12345 热线平台", url: receiver.url, events: ["case.registered"], ...body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<{ webhook: { id: string; events: string[]; active: boolean }; secret: string }>();
  };
  /** Pauses earlier tests' webhooks and ends what they queued, so each round sees only this test's. */
  const settle = async () => {
    await t.database.query("update webhooks set active = false");
    await t.database.query("update webhook_deliveries set failed_at = now() where delivered_at is null and failed_at is null");
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(db());
    cat = await seedCaseCatalogue(db(), s);
    const a = await createTestUser(db(), { role: "systemAdmin", areaId: s.city });
    const sa = await createTestUser(db(), { role: "streetAdmin", areaId: s.street });
    adminUserId = a.id;
    admin = await t.login(a.username);
    streetAdmin = await t.login(sa.username);
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await receiver?.close();
    await t?.close();
  });

  beforeEach(async () => {
    await settle();
    receiver.received.length = 0;
    receiver.script.length = 0;
  });

  it("refuses bad webhooks with webhook_invalid and the field, writing nothing", async () => {
    const before = { hooks: await count("webhooks"), audit: await count("audit_entries") };
    const cases: [Record<string, unknown>, string][] = [
      [{ url: "ftp://example.org/hook" }, "url"],
      [{ url: "https://user:pw@example.org/hook" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ events: ["case.registered", "case.exploded"] }, "events"],
      [{ name: "  " }, "name"],
      [{ areaId: "00000000-0000-4000-8000-000000000000" }, "areaId"],
    ];
    for (const [patch, field] of cases) {
      const res = await t.as(admin, "POST", "/api/webhooks", { name: "坏的", url: "https://example.org/hook", events: ["case.closed"], ...patch });
      expect(res.statusCode, JSON.stringify(patch)).toBe(400);
      expect(res.json()).toMatchObject({ code: "webhook_invalid", field });
    }
    const zh = await t.as(admin, "POST", "/api/webhooks", { name: "坏的", url: "ftp://example.org/hook", events: [] });
    expect(zh.json<{ message: string }>().message).toBe("Webhook 设置有误：地址必须以 http:// 或 https:// 开头");
    expect({ hooks: await count("webhooks"), audit: await count("audit_entries") }).toEqual(before);

    const { webhook } = await create({ name: "稍后修改" });
    const bad = await t.as(admin, "PATCH", `/api/webhooks/${webhook.id}`, { events: ["case.nope"] });
    expect(bad.json()).toMatchObject({ code: "webhook_invalid", field: "events" });
    const [row] = await db().select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(row!.events).toEqual(["case.registered"]);
  });

  it("is for system administrators only", async () => {
    const { webhook } = await create({ name: "仅管理员" });
    expect((await t.as(streetAdmin, "GET", "/api/webhooks")).statusCode).toBe(403);
    expect((await t.as(streetAdmin, "POST", "/api/webhooks", { name: "x", url: receiver.url, events: [] })).statusCode).toBe(403);
    expect((await t.as(streetAdmin, "PATCH", `/api/webhooks/${webhook.id}`, { active: false })).statusCode).toBe(404);
    expect((await t.as(streetAdmin, "GET", `/api/webhooks/${webhook.id}/deliveries`)).statusCode).toBe(404);
    expect((await t.as(streetAdmin, "DELETE", `/api/webhooks/${webhook.id}`)).statusCode).toBe(404);
    expect((await t.as(null, "GET", "/api/webhooks")).statusCode).toBe(401);
    expect((await db().select().from(webhooks).where(eq(webhooks.id, webhook.id)))[0]!.active).toBe(true);
  });

  it("shows the secret once, keeps it encrypted, and signs deliveries with it", async () => {
    const { webhook, secret } = await create({ name: "签名", areaId: s.communityA });
    expect(secret).toMatch(/^whsec_/);
    const [row] = await db().select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(row!.secretEnc).not.toContain(secret.slice(6));
    const list = await t.as(admin, "GET", "/api/webhooks");
    expect(list.body).not.toContain(secret);
    expect(list.json<{ items: { id: string; areaName: string | null }[] }>().items.find((w) => w.id === webhook.id)!.areaName).toBe("甲社区");

    const c = await insertCase(db(), s, cat.garbage);
    await step(c.id, "register");
    const [d] = await deliveriesOf(webhook.id);
    expect(d).toMatchObject({ event: "case.registered", attempts: 0 });

    const result = await runWebhookDeliveries(db(), t.keyring);
    expect(result).toMatchObject({ claimed: 1, delivered: 1 });
    expect(receiver.received).toHaveLength(1);
    const { headers, body } = receiver.received[0]!;
    expect(headers["x-gongzhi-event"]).toBe("case.registered");
    expect(headers["x-gongzhi-delivery"]).toBe(String(d!.id));
    expect(headers["content-type"]).toContain("application/json");
    const ts = headers["x-gongzhi-timestamp"] as string;
    expect(headers["x-gongzhi-signature"]).toBe(`sha256=${createHmac("sha256", secret).update(`${ts}.${body}`).digest("hex")}`);
    // A receiver holding another secret would reject it.
    expect(headers["x-gongzhi-signature"]).not.toBe(signWebhook("whsec_other", ts, body));
    const payload = JSON.parse(body) as { event: string; deliveryId: string; case: Record<string, unknown>; step: Record<string, unknown> };
    expect(payload).toMatchObject({ event: "case.registered", deliveryId: String(d!.id), case: { id: c.id, caseNo: c.caseNo, status: "registered", categoryCode: "0101", gridId: s.gridA1 }, step: { action: "register", fromStatus: "submitted", toStatus: "registered" } });
    // Nothing personal: no description, location words, coordinates or reporter.
    expect(body).not.toContain(c.description);
    expect(Object.keys(payload.case)).not.toEqual(expect.arrayContaining(["description"]));
    for (const k of ["description", "lng", "lat", "locationText", "reporterUserId", "contactName", "contactPhoneMasked"]) expect(payload.case).not.toHaveProperty(k);

    const [after] = await deliveriesOf(webhook.id);
    expect(after).toMatchObject({ attempts: 1, lastStatus: 200, lastError: null });
    expect(after!.deliveredAt).not.toBeNull();
    expect((await runWebhookDeliveries(db(), t.keyring)).claimed).toBe(0);
  });

  it("replaces the signing secret: shown once, audited without it, and every later delivery is signed with the new one", async () => {
    const { webhook, secret: old } = await create({ name: "换密钥" });
    const c = await insertCase(db(), s, cat.garbage);
    await step(c.id, "register");
    const auditsBefore = await count("audit_entries");
    const res = await t.as(admin, "POST", `/api/webhooks/${webhook.id}/secret`);
    expect(res.statusCode, res.body).toBe(200);
    const { secret } = res.json<{ secret: string; webhook: { id: string } }>();
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(old);
    expect(res.headers["cache-control"]).toBe("no-store");
    const [audit] = await t.database.query<{ action: string; summary: unknown }>("select action, summary from audit_entries where entity_id = $1 order by id desc limit 1", [webhook.id]);
    expect(audit).toEqual({ action: "webhook.secret", summary: { name: "换密钥" } });
    expect(await count("audit_entries")).toBe(auditsBefore + 1);
    expect((await t.as(admin, "GET", "/api/webhooks")).body).not.toContain(secret);

    // The delivery queued before the change goes out signed with the new secret.
    expect(await runWebhookDeliveries(db(), t.keyring)).toMatchObject({ delivered: 1 });
    const { headers, body } = receiver.received[0]!;
    const ts = headers["x-gongzhi-timestamp"] as string;
    expect(headers["x-gongzhi-signature"]).toBe(signWebhook(secret, ts, body));
    expect(headers["x-gongzhi-signature"]).not.toBe(signWebhook(old, ts, body));

    expect((await t.as(streetAdmin, "POST", `/api/webhooks/${webhook.id}/secret`)).statusCode).toBe(403);
    expect((await t.as(admin, "POST", "/api/webhooks/00000000-0000-4000-8000-000000000000/secret")).statusCode).toBe(404);
  });

  it("queues only matching events, for cases inside the webhook's area, and nothing for a rolled-back step", async () => {
    const { webhook } = await create({ name: "甲社区结案", areaId: s.communityA, events: ["case.registered", "case.closed"] });
    const all = await create({ name: "全部事件", events: [] });
    const inA = await insertCase(db(), s, cat.garbage);
    const inB = await insertCase(db(), s, cat.garbage, { gridId: s.gridB1 });
    await step(inA.id, "register");
    await step(inB.id, "register");
    await step(inA.id, "dispatch");
    await expect(
      db().transaction(async (tx) => {
        await applyTransition(tx, systemActor, await lockCase(tx, inB.id), "dispatch");
        throw new Error("roll back");
      }),
    ).rejects.toThrow("roll back");
    const mine = await deliveriesOf(webhook.id);
    expect(mine.map((d) => [d.event, (d.payload as { case: { id: string } }).case.id])).toEqual([["case.registered", inA.id]]);
    // Empty events = every event: two submissions, two registrations, one dispatch.
    expect((await deliveriesOf(all.webhook.id)).map((d) => d.event)).toEqual(["case.submitted", "case.submitted", "case.registered", "case.registered", "case.dispatched"]);

    // Paused: nothing queued, and what is queued waits.
    await t.as(admin, "PATCH", `/api/webhooks/${all.webhook.id}`, { active: false });
    await step(inB.id, "dispatch");
    expect(await deliveriesOf(all.webhook.id)).toHaveLength(5);
    const round = await runWebhookDeliveries(db(), t.keyring);
    expect(round.claimed).toBe(1);
  });

  it("pushes each signed audit checkpoint to the webhooks that name audit.checkpoint, as a witness verify accepts", async () => {
    const witness = await create({ name: "公证处存证", events: ["audit.checkpoint"] });
    const all = await create({ name: "全部事件", events: [] });
    expect(await sealPending(db(), { signer: t.auditSigner, onCheckpoint: queueCheckpointWebhooks })).toMatchObject({ checkpoints: 1 });
    const [newest] = (await listCheckpoints(db(), { limit: 1000 })).slice(-1);
    const pushed = await deliveriesOf(witness.webhook.id);
    expect(pushed.map((d) => [d.event, (d.payload as { checkpoint: unknown }).checkpoint])).toEqual([["audit.checkpoint", newest]]);
    // "All events" means case events: no checkpoints for a webhook that did not ask for them.
    expect((await deliveriesOf(all.webhook.id)).map((d) => d.event)).not.toContain("audit.checkpoint");

    // What the receiver got, given back to the verifier, holds — until the log is cut short behind it.
    const { witnesses } = loadWitnesses(null, [JSON.stringify(pushed[0]!.payload)]);
    const check = () => verifyAuditLog(db(), { publicKeys: [t.auditSigner.publicKey], witnesses, stalePendingMs: 3_600_000 });
    expect(await check()).toMatchObject({ ok: true, witnesses: 1 });
    await t.database.query("delete from audit_entries where seq >= $1", [newest!.firstSeq]);
    await t.database.query("delete from audit_checkpoints where id = $1", [newest!.id]);
    expect((await check()).firstBad?.reason).toMatch(/signed head from \(inline JSON\) .* shows \d+ entries \(truncated\?\)/);
  });

  it("retries after a failure with backoff, then delivers; a due row is claimed once", async () => {
    const { webhook } = await create({ name: "重试" });
    const c = await insertCase(db(), s, cat.garbage);
    await step(c.id, "register");
    receiver.script.push(500);
    const t0 = new Date();
    // Two workers at once (two processes, or two rounds overlapping): one send.
    const [r1, r2] = await Promise.all([runWebhookDeliveries(db(), t.keyring, { now: t0 }), runWebhookDeliveries(db(), t.keyring, { now: t0 })]);
    expect(r1.claimed + r2.claimed).toBe(1);
    expect(r1.retried + r2.retried).toBe(1);
    expect(receiver.received).toHaveLength(1);
    let [d] = await deliveriesOf(webhook.id);
    expect(d).toMatchObject({ attempts: 1, lastStatus: 500, lastError: "HTTP 500", deliveredAt: null, failedAt: null });
    expect(d!.nextAttemptAt.getTime()).toBe(t0.getTime() + 30_000);

    expect((await runWebhookDeliveries(db(), t.keyring, { now: new Date(t0.getTime() + 29_000) })).claimed).toBe(0);
    const r3 = await runWebhookDeliveries(db(), t.keyring, { now: new Date(t0.getTime() + 30_000) });
    expect(r3).toMatchObject({ claimed: 1, delivered: 1 });
    [d] = await deliveriesOf(webhook.id);
    expect(d).toMatchObject({ attempts: 2, lastStatus: 200, lastError: null });
    // The same delivery id both times, so the receiver can drop duplicates.
    expect(receiver.received.map((r) => r.headers["x-gongzhi-delivery"])).toEqual([String(d!.id), String(d!.id)]);

    const deliveries = await t.as(admin, "GET", `/api/webhooks/${webhook.id}/deliveries`);
    expect(deliveries.json<{ items: unknown[] }>().items[0]).toMatchObject({ id: d!.id, status: "delivered", attempts: 2, caseNo: c.caseNo });
  });

  it("marks a delivery failed after the last attempt, and reports unreachable receivers", async () => {
    const { webhook } = await create({ name: "总是失败" });
    const c = await insertCase(db(), s, cat.garbage);
    await step(c.id, "register");
    let now = Date.now();
    for (let i = 0; i < maxAttempts; i++) {
      receiver.script.push(503);
      const r = await runWebhookDeliveries(db(), t.keyring, { now: new Date(now) });
      expect(r.claimed).toBe(1);
      expect(i < maxAttempts - 1 ? r.retried : r.failed).toBe(1);
      now += 3_600_000;
    }
    const [d] = await deliveriesOf(webhook.id);
    expect(d).toMatchObject({ attempts: maxAttempts, lastStatus: 503 });
    expect(d!.failedAt).not.toBeNull();
    expect((await runWebhookDeliveries(db(), t.keyring, { now: new Date(now + 86_400_000) })).claimed).toBe(0);
    const failedList = await t.as(admin, "GET", `/api/webhooks/${webhook.id}/deliveries?status=failed`);
    expect(failedList.json<{ items: { status: string }[] }>().items.map((i) => i.status)).toEqual(["failed"]);

    // Nobody listening: the error says so, and the delivery waits for its next attempt.
    const closed = await startReceiver();
    await closed.close();
    await t.as(admin, "PATCH", `/api/webhooks/${webhook.id}`, { url: closed.url });
    await step(c.id, "dispatch");
    await t.as(admin, "PATCH", `/api/webhooks/${webhook.id}`, { events: ["case.registered", "case.dispatched"] });
    await step(c.id, "receive");
    await step(c.id, "returnToDispatcher");
    await step(c.id, "dispatch");
    const r = await runWebhookDeliveries(db(), t.keyring);
    expect(r).toMatchObject({ claimed: 1, retried: 1 });
    const last = (await deliveriesOf(webhook.id)).at(-1)!;
    expect(last.lastStatus).toBeNull();
    expect(last.lastError).toMatch(/ECONNREFUSED|fetch failed/);
  });

  it("sends a test ping and answers with what the receiver said; deleting removes the history", async () => {
    const { webhook, secret } = await create({ name: "测试" });
    const ping = await t.as(admin, "POST", `/api/webhooks/${webhook.id}/test`);
    expect(ping.statusCode).toBe(200);
    expect(ping.json()).toMatchObject({ ok: true, status: 200, error: null });
    const { headers, body } = receiver.received[0]!;
    expect(headers["x-gongzhi-event"]).toBe("ping");
    expect(headers["x-gongzhi-signature"]).toBe(signWebhook(secret, headers["x-gongzhi-timestamp"] as string, body));

    receiver.script.push(404);
    const failing = await t.as(admin, "POST", `/api/webhooks/${webhook.id}/test`);
    expect(failing.json()).toMatchObject({ ok: false, status: 404, error: "HTTP 404" });

    const auditBefore = await count("audit_entries");
    expect((await t.as(admin, "DELETE", `/api/webhooks/${webhook.id}`)).statusCode).toBe(204);
    expect(await deliveriesOf(webhook.id)).toEqual([]);
    expect(await count("audit_entries")).toBe(auditBefore + 1);
    expect((await t.as(admin, "POST", `/api/webhooks/${webhook.id}/test`)).statusCode).toBe(404);
  });

  it("re-encrypts signing secrets when the data keys rotate", async () => {
    const value = generateDataKeysValue();
    const first = parseDataKeys(value);
    const adminActor = { kind: "user", userId: adminUserId, grants: [{ role: "systemAdmin" }] } as unknown as Actor;
    // The other tests' secrets are under the app's own keyring; start from ours alone.
    await t.database.query("delete from webhook_deliveries");
    await t.database.query("delete from webhooks");
    const { webhook, secret } = await createWebhook(db(), first, adminActor, { name: "轮换", url: receiver.url, events: [] });
    const rotatedRing = parseDataKeys(`${generateDataKey({ keyring: first })},${value}`);
    const { rotated } = await rotateWebhookSecrets(db(), rotatedRing);
    expect(rotated).toBe(1);
    expect((await rotateWebhookSecrets(db(), rotatedRing)).rotated).toBe(0);
    const [row] = await db().select().from(webhooks).where(eq(webhooks.id, webhook.id));
    expect(keyIdOf(row!.secretEnc)).toBe("2");
    expect(decryptField(rotatedRing, row!.secretEnc, secretContext)).toBe(secret);
  });
});
