/**
 * The webhook delivery worker. Each round:
 *   1. claim — in a short transaction, due deliveries are selected `FOR UPDATE SKIP LOCKED` and
 *      leased (next_attempt_at = now + 60 s), so another process skips them and, should this one
 *      die mid-send, they come due again after the lease;
 *   2. send — with no lock held, POST the JSON body with X-Gongzhi-Event, X-Gongzhi-Delivery,
 *      X-Gongzhi-Timestamp and X-Gongzhi-Signature = "sha256=" + hex HMAC-SHA256(secret,
 *      `${timestamp}.${body}`), 10 s timeout, redirects not followed;
 *   3. record — 2xx: delivered; otherwise attempts + 1 and the next try after 30 s × 2^(attempts−1)
 *      (capped at an hour), failed for good after 8 attempts.
 */
import { createHmac } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import type { Database, Db } from "../db/index.js";
import { rows } from "../db/index.js";
import { decryptField } from "../pii/crypto.js";
import type { DataKeyring } from "../pii/keys.js";
import { webhookDeliveries, webhooks } from "./schema.js";
import { pingEvent, secretContext } from "./webhooks.js";

export const maxAttempts = 8;
export const leaseMs = 60_000;
export const sendTimeoutMs = 10_000;
const baseBackoffMs = 30_000;
const maxBackoffMs = 3_600_000;
const batchSize = 20;

/** Pause after the given number of failed attempts (1 → 30 s, 2 → 60 s, …, capped). */
export function backoffMs(failedAttempts: number): number {
  return Math.min(baseBackoffMs * 2 ** Math.max(0, failedAttempts - 1), maxBackoffMs);
}

/** The signature header value receivers recompute with their secret. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

interface Claimed {
  id: number;
  webhookId: string;
  event: string;
  payload: Record<string, unknown>;
  attempts: number;
  url: string;
  secretEnc: string;
}

export interface SendOutcome {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Claims due deliveries of active webhooks and leases them. */
async function claim(db: Db, now: Date, limit: number): Promise<Claimed[]> {
  return db.transaction(async (tx) => {
    const list = await rows<{ id: number | string; webhook_id: string; event: string; payload: Record<string, unknown>; attempts: number; url: string; secret_enc: string }>(
      tx,
      sql`with due as (
            select d.id from ${webhookDeliveries} d join ${webhooks} w on w.id = d.webhook_id
            where d.delivered_at is null and d.failed_at is null and d.next_attempt_at <= ${now.toISOString()}::timestamptz and w.active
            order by d.next_attempt_at, d.id
            limit ${limit}
            for update of d skip locked
          )
          update ${webhookDeliveries} d set next_attempt_at = ${new Date(now.getTime() + leaseMs).toISOString()}::timestamptz
          from due, ${webhooks} w
          where d.id = due.id and w.id = d.webhook_id
          returning d.id, d.webhook_id, d.event, d.payload, d.attempts, w.url, w.secret_enc`,
    );
    return list.map((r) => ({ id: Number(r.id), webhookId: r.webhook_id, event: r.event, payload: r.payload, attempts: r.attempts, url: r.url, secretEnc: r.secret_enc }));
  });
}

/** The body sent: the stored payload with the delivery id second (after the event name). */
export function deliveryBody(d: { id: number; event: string; payload: Record<string, unknown> }): string {
  const { event: _event, ...rest } = d.payload;
  return JSON.stringify({ event: d.event, deliveryId: String(d.id), ...rest });
}

async function send(keyring: DataKeyring, d: Claimed, now: Date): Promise<SendOutcome> {
  let secret: string;
  try {
    secret = decryptField(keyring, d.secretEnc, secretContext);
  } catch {
    return { ok: false, status: null, error: "signing secret cannot be decrypted (data keys changed?)" };
  }
  const body = deliveryBody(d);
  const timestamp = String(Math.floor(now.getTime() / 1000));
  try {
    const res = await fetch(d.url, {
      method: "POST",
      headers: {
        "content-type": "application/json; charset=utf-8",
        "user-agent": "Gongzhi-Webhook/1",
        "x-gongzhi-event": d.event,
        "x-gongzhi-delivery": String(d.id),
        "x-gongzhi-timestamp": timestamp,
        "x-gongzhi-signature": signWebhook(secret, timestamp, body),
      },
      body,
      redirect: "manual",
      signal: AbortSignal.timeout(sendTimeoutMs),
    });
    // The answer's body is not needed; release the connection.
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true, status: res.status, error: null };
    return { ok: false, status: res.status, error: `HTTP ${res.status}` };
  } catch (e) {
    return { ok: false, status: null, error: describeFetchError(e) };
  }
}

function describeFetchError(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err.name === "TimeoutError" || err.name === "AbortError") return `no answer within ${sendTimeoutMs / 1000} s`;
  const cause = err.cause?.code ?? err.cause?.message;
  return (cause ? `${err.message ?? "fetch failed"} (${cause})` : (err.message ?? String(e))).slice(0, 500);
}

async function record(db: Db, d: Claimed, outcome: SendOutcome, now: Date): Promise<"delivered" | "retry" | "failed"> {
  const attempts = d.attempts + 1;
  if (outcome.ok) {
    await db
      .update(webhookDeliveries)
      .set({ attempts, deliveredAt: now, lastStatus: outcome.status, lastError: null })
      .where(eq(webhookDeliveries.id, d.id));
    return "delivered";
  }
  const failed = attempts >= maxAttempts;
  await db
    .update(webhookDeliveries)
    .set({
      attempts,
      lastStatus: outcome.status,
      lastError: outcome.error,
      ...(failed ? { failedAt: now } : { nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)) }),
    })
    .where(eq(webhookDeliveries.id, d.id));
  return failed ? "failed" : "retry";
}

export interface RoundResult {
  claimed: number;
  delivered: number;
  retried: number;
  failed: number;
}

/** One round: claim what is due at `now`, send, record. */
export async function runWebhookDeliveries(db: Db, keyring: DataKeyring, opts: { now?: Date; limit?: number } = {}): Promise<RoundResult> {
  const now = opts.now ?? new Date();
  const claimed = await claim(db, now, opts.limit ?? batchSize);
  const result: RoundResult = { claimed: claimed.length, delivered: 0, retried: 0, failed: 0 };
  const outcomes = await Promise.all(claimed.map(async (d) => record(db, d, await send(keyring, d, opts.now ?? new Date()), opts.now ?? new Date())));
  for (const o of outcomes) {
    if (o === "delivered") result.delivered++;
    else if (o === "retry") result.retried++;
    else result.failed++;
  }
  return result;
}

/**
 * "Test" from the console: queues a ping to the webhook and sends it at once, returning what the
 * receiver answered. Like any delivery it is retried if it fails.
 */
export async function pingWebhook(db: Db, keyring: DataKeyring, webhookId: string): Promise<{ deliveryId: number } & SendOutcome> {
  const now = new Date();
  const [hook] = await db.select({ id: webhooks.id, name: webhooks.name, url: webhooks.url, secretEnc: webhooks.secretEnc }).from(webhooks).where(eq(webhooks.id, webhookId));
  if (!hook) throw new Error("webhook not found");
  const payload = { event: pingEvent, occurredAt: now.toISOString(), webhook: { id: hook.id, name: hook.name } };
  // Leased from the start, so the worker leaves it alone while it is being sent here.
  const [row] = await db
    .insert(webhookDeliveries)
    .values({ webhookId, event: pingEvent, payload, nextAttemptAt: new Date(now.getTime() + leaseMs) })
    .returning({ id: webhookDeliveries.id });
  const claimed: Claimed = { id: row!.id, webhookId, event: pingEvent, payload, attempts: 0, url: hook.url, secretEnc: hook.secretEnc };
  const outcome = await send(keyring, claimed, now);
  await record(db, claimed, outcome, new Date());
  return { deliveryId: row!.id, ...outcome };
}

export interface WebhookWorker {
  runOnce(now?: Date): Promise<RoundResult>;
  stop(): Promise<void>;
}

/**
 * Runs rounds every `intervalMs` (default 2 s; at once again while rounds come back full) until
 * stopped. Safe with several server processes on one database: claims skip each other's rows.
 */
export function startWebhookWorker(database: Database, keyring: DataKeyring, opts: { intervalMs?: number; onError?: (e: unknown) => void } = {}): WebhookWorker {
  const intervalMs = opts.intervalMs ?? 2_000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  const runOnce = (now?: Date) => runWebhookDeliveries(database.db, keyring, now ? { now } : {});
  const tick = () => {
    timer = null;
    if (stopped) return;
    running = runOnce()
      .then((r) => r.claimed >= batchSize)
      .catch((e: unknown) => {
        opts.onError?.(e);
        return false;
      })
      .then((more) => {
        running = null;
        if (!stopped) {
          timer = setTimeout(tick, more ? 0 : intervalMs);
          timer.unref();
        }
      });
  };
  timer = setTimeout(tick, intervalMs);
  timer.unref();

  return {
    runOnce,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
