/**
 * Webhooks: outside systems (a 12345 hotline platform, a district command centre) told of case
 * steps, audit checkpoints and the catalogue's webhook events. A system administrator registers a URL and the events it wants; every matching step
 * queues a `webhook_deliveries` row in the step's own transaction (so a rolled-back step sends
 * nothing), and the delivery worker (webhook-worker.ts) posts it, signed and retried.
 *
 * Payloads carry no personal data: no description, contact, reporter or exact location — ids,
 * statuses, levels, the grid and times only. Receivers fetch more through the API if allowed.
 */
import { randomBytes } from "node:crypto";
import { and, desc, eq, sql } from "drizzle-orm";
import type { Actor } from "../auth/actor.js";
import type { Db } from "../db/index.js";
import { rows } from "../db/index.js";
import { AppError, type Bilingual } from "../errors.js";
import { recordAudit } from "../audit/service.js";
import type { Checkpoint } from "../audit/index.js";
import { encryptField, needsRotation, rotateField } from "../pii/crypto.js";
import type { DataKeyring } from "../pii/keys.js";
import { definePolicy, type Rule } from "../policy/index.js";
import { catalogueWebhookEvents } from "./catalogue.js";
import type { StatementParts } from "./inbox.js";
import { webhookDeliveries, webhooks } from "./schema.js";

/**
 * Each signed audit checkpoint (a signed head of the log, no personal data), for receivers that
 * keep them as witnesses: a log later cut short or rewritten no longer reaches them
 * (`gongzhi audit verify --head`). Only for webhooks that name it.
 */
export const auditCheckpointEvent = "audit.checkpoint";

/** Events a module sends to webhooks itself (cases: one per step), with whether "all" (no event named) includes them. */
const moduleEvents: { name: string; inAll: boolean }[] = [];

/** Adds a module's own webhook events (module list only, before the routes are registered). */
export function registerWebhookEvents(names: readonly string[], opts: { inAll: boolean }): void {
  for (const name of names) if (!moduleEvents.some((e) => e.name === name)) moduleEvents.push({ name, inAll: opts.inAll });
}

/**
 * Every event a webhook may subscribe to: modules' own (case steps), `audit.checkpoint`, then the
 * catalogue's webhook events. A webhook naming none gets those registered with `inAll` (case steps).
 */
export function webhookEvents(): string[] {
  return [...moduleEvents.map((e) => e.name), auditCheckpointEvent, ...catalogueWebhookEvents()];
}

/** Sent by "test" from the console; not subscribable. */
export const pingEvent = "ping";

export const secretContext = "webhooks.secret";

// ---------------------------------------------------------------------------------------------
// Queueing, in the transaction of the event

/**
 * Queues one delivery of `event` per active webhook that wants it — named, or (`inAll`) no event
 * named — and whose area (if any) contains `areaPath` (a null path: only hooks without an area),
 * as one INSERT … SELECT statement part named `name`.
 */
export function webhookQueue(name: string, opts: { event: string; payload: Record<string, unknown>; areaPath: string | null; inAll: boolean }): StatementParts {
  const wants = opts.inAll ? sql`(cardinality(w.events) = 0 or ${opts.event} = any(w.events))` : sql`${opts.event} = any(w.events)`;
  const area = opts.areaPath === null ? sql`w.area_id is null` : sql`(w.area_id is null or starts_with(${opts.areaPath}, a.path))`;
  const deliveries = sql`insert into ${webhookDeliveries} (webhook_id, event, payload)
    select w.id, ${opts.event}, ${JSON.stringify(opts.payload)}::jsonb from ${webhooks} w left join areas a on a.id = w.area_id
    where w.active and ${wants} and ${area}`;
  return { writes: [{ name, sql: deliveries }], selects: [] };
}

/** Queues a new checkpoint for the webhooks that name `audit.checkpoint`, in the sealing transaction. */
export async function queueCheckpointWebhooks(tx: Db, checkpoint: Checkpoint): Promise<void> {
  const payload = { event: auditCheckpointEvent, occurredAt: new Date().toISOString(), checkpoint };
  await tx.execute(sql`insert into ${webhookDeliveries} (webhook_id, event, payload)
    select w.id, ${auditCheckpointEvent}, ${JSON.stringify(payload)}::jsonb from ${webhooks} w
    where w.active and ${auditCheckpointEvent} = any(w.events)`);
}

// ---------------------------------------------------------------------------------------------
// Administration (system administrators)

const isSystemAdmin: Rule<unknown> = (actor) => actor.grants.some((g) => g.role === "systemAdmin");

export const webhookPolicy = definePolicy<unknown, "manage">({ read: isSystemAdmin, manage: isSystemAdmin });

/** Lists and creation have no record: not an administrator → 403. */
export function assertWebhookAdmin(actor: Actor): void {
  if (!isSystemAdmin(actor, null)) throw new AppError("forbidden");
}

function invalid(field: string, zh: string, en: string): AppError {
  const detail: Bilingual = { code: field, zh, en };
  return new AppError("webhook_invalid", { detail }, field);
}

/** http(s) only, no credentials, a host; returns the normalised URL. */
export function checkWebhookUrl(url: string): string {
  if (url.length > 2000) throw invalid("url", "地址太长（最多 2000 个字符）", "the URL is too long (2,000 characters at most)");
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalid("url", "地址格式不正确", "the URL is not valid");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw invalid("url", "地址必须以 http:// 或 https:// 开头", "the URL must start with http:// or https://");
  if (u.username || u.password) throw invalid("url", "地址中不能包含用户名或密码，请改用签名密钥验证", "the URL must not contain a user name or password; verify the signature instead");
  if (!u.hostname) throw invalid("url", "地址缺少主机名", "the URL has no host");
  return u.toString();
}

export function checkWebhookEvents(events: string[]): string[] {
  const known = webhookEvents();
  const unknown = events.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw invalid("events", `不支持的事件：${unknown.join("、")}`, `unknown events: ${unknown.join(", ")}`);
  }
  return [...new Set(events)];
}

function checkName(name: string): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 100) throw invalid("name", "名称不能为空，最多 100 个字", "the name must be 1 to 100 characters");
  return n;
}

export interface WebhookView {
  id: string;
  name: string;
  url: string;
  events: string[];
  areaId: string | null;
  areaName: string | null;
  active: boolean;
  createdAt: string;
  pending: number;
  failed: number;
  lastDeliveredAt: string | null;
}

export async function listWebhooks(db: Db, id?: string): Promise<WebhookView[]> {
  const list = await rows<{
    id: string;
    name: string;
    url: string;
    events: string[];
    area_id: string | null;
    area_name: string | null;
    active: boolean;
    created_at: Date | string;
    pending: number;
    failed: number;
    last_delivered_at: Date | string | null;
  }>(
    db,
    sql`select w.id, w.name, w.url, w.events, w.area_id, a.name as area_name, w.active, w.created_at,
          (select count(*)::int from ${webhookDeliveries} d where d.webhook_id = w.id and d.delivered_at is null and d.failed_at is null) as pending,
          (select count(*)::int from ${webhookDeliveries} d where d.webhook_id = w.id and d.failed_at is not null) as failed,
          (select max(d.delivered_at) from ${webhookDeliveries} d where d.webhook_id = w.id) as last_delivered_at
        from ${webhooks} w left join areas a on a.id = w.area_id
        ${id ? sql`where w.id = ${id}` : sql``}
        order by w.created_at, w.id`,
  );
  const iso = (v: Date | string) => new Date(v).toISOString();
  return list.map((w) => ({
    id: w.id,
    name: w.name,
    url: w.url,
    events: w.events,
    areaId: w.area_id,
    areaName: w.area_name,
    active: w.active,
    createdAt: iso(w.created_at),
    pending: Number(w.pending),
    failed: Number(w.failed),
    lastDeliveredAt: w.last_delivered_at ? iso(w.last_delivered_at) : null,
  }));
}

export async function getWebhook(db: Db, id: string): Promise<WebhookView | undefined> {
  return (await listWebhooks(db, id))[0];
}

export interface CreateWebhookInput {
  name: string;
  url: string;
  events: string[];
  areaId?: string | null;
}

/** Registers a webhook; the signing secret is returned this once and kept encrypted. */
export async function createWebhook(db: Db, keyring: DataKeyring, actor: Actor, input: CreateWebhookInput): Promise<{ webhook: WebhookView; secret: string }> {
  assertWebhookAdmin(actor);
  const name = checkName(input.name);
  const url = checkWebhookUrl(input.url);
  const events = checkWebhookEvents(input.events);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  const id = await db.transaction(async (tx) => {
    if (input.areaId) {
      // The area tree is the scope every grant and webhook hangs on; platform reads it by name,
      // as auth does for role grants (never writes it).
      const [a] = await rows<{ id: string }>(tx, sql`select id from areas where id = ${input.areaId}`);
      if (!a) throw invalid("areaId", "所选区域不存在", "the area does not exist");
    }
    const [row] = await tx
      .insert(webhooks)
      .values({ name, url, events, areaId: input.areaId ?? null, secretEnc: encryptField(keyring, secret, secretContext), createdBy: actor.userId })
      .returning({ id: webhooks.id });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "webhook.create",
      entityType: "webhook",
      entityId: row!.id,
      change: { name, url, events, areaId: input.areaId ?? null },
      summary: { name, events },
    });
    return row!.id;
  });
  return { webhook: (await getWebhook(db, id))!, secret };
}

/**
 * A new signing secret (换新密钥), when the old one may have leaked: returned this once; deliveries
 * from now on — retries of older ones included — are signed with it. Audited without the secret.
 */
export async function regenerateWebhookSecret(db: Db, keyring: DataKeyring, actor: Actor, id: string): Promise<{ webhook: WebhookView; secret: string }> {
  assertWebhookAdmin(actor);
  const secret = `whsec_${randomBytes(32).toString("base64url")}`;
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ id: webhooks.id, name: webhooks.name }).from(webhooks).where(eq(webhooks.id, id)).for("update");
    if (!current) throw new AppError("not_found");
    await tx.update(webhooks).set({ secretEnc: encryptField(keyring, secret, secretContext) }).where(eq(webhooks.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "webhook.secret",
      entityType: "webhook",
      entityId: id,
      change: { secret: "regenerated" },
      summary: { name: current.name },
    });
  });
  return { webhook: (await getWebhook(db, id))!, secret };
}

export interface UpdateWebhookInput {
  name?: string;
  url?: string;
  events?: string[];
  active?: boolean;
}

export async function updateWebhook(db: Db, actor: Actor, id: string, input: UpdateWebhookInput): Promise<WebhookView> {
  const patch: Partial<typeof webhooks.$inferInsert> = {};
  if (input.name !== undefined) patch.name = checkName(input.name);
  if (input.url !== undefined) patch.url = checkWebhookUrl(input.url);
  if (input.events !== undefined) patch.events = checkWebhookEvents(input.events);
  if (input.active !== undefined) patch.active = input.active;
  await db.transaction(async (tx) => {
    const [current] = await tx.select({ id: webhooks.id }).from(webhooks).where(eq(webhooks.id, id)).for("update");
    if (!current) throw new AppError("not_found");
    if (Object.keys(patch).length === 0) return;
    await tx.update(webhooks).set(patch).where(eq(webhooks.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "webhook.update",
      entityType: "webhook",
      entityId: id,
      change: patch,
      summary: { fields: Object.keys(patch) },
    });
  });
  return (await getWebhook(db, id))!;
}

/** Removes the webhook and its delivery history. */
export async function deleteWebhook(db: Db, actor: Actor, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx.delete(webhooks).where(eq(webhooks.id, id)).returning({ id: webhooks.id, name: webhooks.name });
    if (!gone) throw new AppError("not_found");
    await tx.delete(webhookDeliveries).where(eq(webhookDeliveries.webhookId, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "webhook.delete",
      entityType: "webhook",
      entityId: id,
      change: { name: gone.name },
    });
  });
}

export interface DeliveryView {
  id: number;
  event: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  failedAt: string | null;
  createdAt: string;
  caseNo: string | null;
}

export function deliveryView(d: typeof webhookDeliveries.$inferSelect): DeliveryView {
  const payload = d.payload as { case?: { caseNo?: string } } | null;
  return {
    id: d.id,
    event: d.event,
    status: d.deliveredAt ? "delivered" : d.failedAt ? "failed" : "pending",
    attempts: d.attempts,
    lastStatus: d.lastStatus,
    lastError: d.lastError,
    nextAttemptAt: d.deliveredAt || d.failedAt ? null : d.nextAttemptAt.toISOString(),
    deliveredAt: d.deliveredAt?.toISOString() ?? null,
    failedAt: d.failedAt?.toISOString() ?? null,
    createdAt: d.createdAt.toISOString(),
    caseNo: payload?.case?.caseNo ?? null,
  };
}

/** The most recent deliveries of a webhook (100 at most), newest first. */
export async function listDeliveries(db: Db, webhookId: string, opts: { status?: DeliveryView["status"] } = {}): Promise<DeliveryView[]> {
  const statusCond =
    opts.status === "delivered"
      ? sql`${webhookDeliveries.deliveredAt} is not null`
      : opts.status === "failed"
        ? sql`${webhookDeliveries.failedAt} is not null`
        : opts.status === "pending"
          ? sql`${webhookDeliveries.deliveredAt} is null and ${webhookDeliveries.failedAt} is null`
          : sql`true`;
  const list = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.webhookId, webhookId), statusCond))
    .orderBy(desc(webhookDeliveries.id))
    .limit(100);
  return list.map(deliveryView);
}

/** `gongzhi keys rotate`: re-encrypts every signing secret under the current key. */
export async function rotateWebhookSecrets(db: Db, keyring: DataKeyring): Promise<{ rotated: number }> {
  let rotated = 0;
  await db.transaction(async (tx) => {
    const list = await tx.select({ id: webhooks.id, secretEnc: webhooks.secretEnc }).from(webhooks).for("update");
    for (const w of list) {
      if (!needsRotation(keyring, w.secretEnc)) continue;
      await tx.update(webhooks).set({ secretEnc: rotateField(keyring, w.secretEnc, secretContext) }).where(eq(webhooks.id, w.id));
      rotated++;
    }
  });
  return { rotated };
}
