/**
 * The catalogue of notifiable events (可通知事件): any domain event (`DomainEvents`, the event
 * bus) can be made a notice by one entry saying
 *   - `kind`: which setting switches it off (kinds.ts),
 *   - `concerns`: who is told — user ids computed from the payload, in the publishing transaction
 *     (helpers below read role grants: `usersGrantedOver`, `departmentUsers`),
 *   - `text`: the zh-CN and en title/body and the link,
 *   - `webhook`: whether outside systems may subscribe to it (the event name is the bus name),
 *     and the payload they get — never personal data.
 *
 * A module adds its entries in its `subscribe(bus)` with `subscribeNotices(bus, module, {...})`:
 * publishing the event on the bus then writes the inbox rows (and their NOTIFYs, for the bell)
 * and queues the webhook deliveries in the publisher's transaction. Case steps do not go through
 * the bus: effects.ts asks `noticeParts` for the same writes and folds them into the step's one
 * statement.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/index.js";
import { rows } from "../db/index.js";
import type { DomainEvents, EventBus, EventName } from "../events/index.js";
import type { Role } from "../policy/roles.js";
import { inboxWrites, partsStatement, type InboxText, type StatementParts } from "./inbox.js";
import type { NoticeKind } from "./kinds.js";
import { webhookQueue } from "./webhooks.js";

export interface NoticeEntry<P> {
  kind: NoticeKind;
  /** The users told of it (duplicates and the empty list are fine). */
  concerns(tx: Db, payload: P): Promise<string[]>;
  text(payload: P): InboxText;
  /** Also stored on the inbox row, when the notice is about a case. */
  caseId?(payload: P): string | null;
  /** Present when webhooks may subscribe to the event (only when they name it). */
  webhook?: {
    payload(p: P): Record<string, unknown>;
    /** Hooks limited to an area get the event only when this path lies under it; null: only unlimited hooks. */
    areaPath(tx: Db, p: P): Promise<string | null>;
  };
}

export type NoticeEntries = { [N in EventName]?: NoticeEntry<DomainEvents[N]> };

const catalogue = new Map<string, NoticeEntry<unknown>>();

/** Event name → kind and whether it is a webhook event (for docs and tests). */
export function describeNotices(): Record<string, { kind: NoticeKind; webhook: boolean }> {
  return Object.fromEntries([...catalogue].map(([name, e]) => [name, { kind: e.kind, webhook: !!e.webhook }]));
}

/** Webhook events of the catalogue, in the order they were added. */
export function catalogueWebhookEvents(): string[] {
  return [...catalogue].filter(([, e]) => e.webhook).map(([name]) => name);
}

/** Adds `entries` to the catalogue and delivers each event published on `bus` (module list only). */
export function subscribeNotices(bus: EventBus, module: string, entries: NoticeEntries): void {
  for (const [name, entry] of Object.entries(entries) as [EventName, NoticeEntry<unknown>][]) {
    if (catalogue.has(name)) throw new Error(`notice ${name} is already in the catalogue`);
    catalogue.set(name, entry);
    bus.subscribe(name, module, async (tx, payload) => {
      const statement = partsStatement([await noticeParts(tx, name, entry, payload, "notice")]);
      if (statement) await tx.execute(statement);
    });
  }
}

/**
 * The writes of one notice, as statement parts (CTE names start with `prefix`): inbox rows for
 * the people it concerns who did not switch its kind off, their NOTIFYs, and the webhook deliveries.
 */
export async function noticeParts<P>(tx: Db, name: string, entry: NoticeEntry<P>, payload: P, prefix: string): Promise<StatementParts> {
  const userIds = await entry.concerns(tx, payload);
  const inbox = inboxWrites(`${prefix}_inbox`, { userIds, kind: entry.kind, caseId: entry.caseId?.(payload) ?? null, text: entry.text(payload) });
  if (!entry.webhook) return inbox;
  const body = { event: name, occurredAt: new Date().toISOString(), ...entry.webhook.payload(payload) };
  const queue = webhookQueue(`${prefix}_webhooks`, { event: name, payload: body, areaPath: await entry.webhook.areaPath(tx, payload), inAll: false });
  return { writes: [...inbox.writes, ...queue.writes], selects: [...inbox.selects, ...queue.selects] };
}

// ---------------------------------------------------------------------------------------------
// Who a notice concerns, from role grants

/** The path of an area (for `usersGrantedOver` and webhook areas), or null when there is none. */
export async function areaPathOf(tx: Db, areaId: string): Promise<string | null> {
  const [a] = await rows<{ path: string }>(tx, sql`select path from areas where id = ${areaId}`);
  return a?.path ?? null;
}

/**
 * Users (not disabled) holding one of `roles` on an area whose subtree holds `areaPath` — the
 * same scope rule as the policies (`inScopeOf`).
 */
export async function usersGrantedOver(tx: Db, roles: readonly Role[], areaPath: string): Promise<string[]> {
  if (roles.length === 0) return [];
  const list = await rows<{ user_id: string }>(
    tx,
    sql`select distinct g.user_id from role_grants g join areas a on a.id = g.area_id join users u on u.id = g.user_id
        where not u.disabled and g.role in (${sql.join(
          roles.map((r) => sql`${r}`),
          sql`, `,
        )}) and starts_with(${areaPath}, a.path)`,
  );
  return list.map((r) => r.user_id);
}

/** Staff (departmentStaff, not disabled) of the given departments. */
export async function departmentUsers(tx: Db, orgIds: readonly string[]): Promise<string[]> {
  if (orgIds.length === 0) return [];
  const list = await rows<{ user_id: string }>(
    tx,
    sql`select distinct g.user_id from role_grants g join users u on u.id = g.user_id
        where not u.disabled and g.role = 'departmentStaff' and coalesce(g.org_id, u.org_id) in (${sql.join(
          orgIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})`,
  );
  return list.map((r) => r.user_id);
}
