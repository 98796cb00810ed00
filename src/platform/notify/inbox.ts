/**
 * 站内信, the in-app inbox: each person's notices, read state, and their choice of kinds.
 *
 * Rows are written only by `inboxWrites` (in the transaction of what they tell of, see
 * catalogue.ts); this file reads them and keeps read state and preferences.
 */
import { and, desc, eq, isNull, sql, type SQL } from "drizzle-orm";
import { deleteCounted, insertChunked, type Db } from "../db/index.js";
import { AppError } from "../errors.js";
import { inboxChannel } from "./live.js";
import { noticeKinds, type NoticeKind } from "./kinds.js";
import { notificationPreferences, notifications } from "./schema.js";

/**
 * Parts of one closing SQL statement: `writes` become `name as (sql)` CTEs (names unique within the
 * statement; later parts may read earlier ones), `selects` select-list expressions evaluated after
 * them (the NOTIFYs, sent at commit in this order). Case steps gather every effect into one.
 */
export interface StatementParts {
  writes: { name: string; sql: SQL }[];
  selects: SQL[];
}

/** The one statement that carries the parts' writes; null when there is nothing to write. */
export function partsStatement(parts: StatementParts[]): SQL | null {
  const writes = parts.flatMap((p) => p.writes);
  const selects = parts.flatMap((p) => p.selects);
  if (writes.length === 0 && selects.length === 0) return null;
  const ctes = writes.length > 0 ? sql`with ${sql.join(writes.map((w) => sql`${sql.identifier(w.name)} as (${w.sql})`), sql`, `)} ` : sql``;
  return sql`${ctes}select ${selects.length > 0 ? sql.join(selects, sql`, `) : sql`1`}`;
}

export interface InboxText {
  title: string;
  body: string;
  titleEn: string;
  bodyEn: string;
  link: string | null;
}

/**
 * Inbox rows for `userIds` (one each, none for those who switched `kind` off) and one
 * `pg_notify('gongzhi_inbox', {userId, id})` per row, as statement parts named `name`.
 * `rowKind` is stored in the row's `kind` (resident case notices keep `case.<action>`).
 */
export function inboxWrites(name: string, opts: { userIds: readonly string[]; kind: NoticeKind; rowKind?: string; caseId?: string | null; text: InboxText }): StatementParts {
  const ids = [...new Set(opts.userIds)];
  if (ids.length === 0) return { writes: [], selects: [] };
  const t = opts.text;
  const insert = sql`insert into ${notifications} (user_id, kind, case_id, title, body, title_en, body_en, link)
    select u.id, ${opts.rowKind ?? opts.kind}, ${opts.caseId ?? null}::uuid, ${t.title}, ${t.body}, ${t.titleEn}, ${t.bodyEn}, ${t.link}
    from unnest(${`{${ids.join(",")}}`}::uuid[]) with ordinality as u(id, n)
    where not exists (select 1 from ${notificationPreferences} p where p.user_id = u.id and ${opts.kind} = any(p.muted_kinds))
    order by u.n
    returning id, user_id`;
  return {
    writes: [{ name, sql: insert }],
    // count() makes every row's NOTIFY run (a scalar subquery would stop at the first row).
    selects: [sql`(select count(pg_notify(${inboxChannel}, json_build_object('userId', r.user_id::text, 'id', r.id)::text)) from ${sql.identifier(name)} r)`],
  };
}

export interface InboxItem {
  id: number;
  kind: string;
  caseId: string | null;
  title: string;
  body: string;
  link: string | null;
  readAt: string | null;
  createdAt: string;
}

export const inboxPageSize = 20;

/** The user's own notices, newest first, in their language; with the unread count. */
export async function listInbox(
  db: Db,
  userId: string,
  opts: { unread?: boolean; page?: number; lang: "zh-CN" | "en" },
): Promise<{ items: InboxItem[]; unreadCount: number; total: number; page: number; pageSize: number }> {
  const page = Math.max(1, opts.page ?? 1);
  const where = opts.unread ? and(eq(notifications.userId, userId), isNull(notifications.readAt)) : eq(notifications.userId, userId);
  const list = await db
    .select()
    .from(notifications)
    .where(where)
    .orderBy(desc(notifications.id))
    .limit(inboxPageSize)
    .offset((page - 1) * inboxPageSize);
  const [counts] = await db
    .select({
      total: sql<number>`count(*)::int`,
      unread: sql<number>`(count(*) filter (where ${notifications.readAt} is null))::int`,
    })
    .from(notifications)
    .where(eq(notifications.userId, userId));
  const en = opts.lang === "en";
  return {
    items: list.map((n) => ({
      id: n.id,
      kind: n.kind,
      caseId: n.caseId,
      title: en ? (n.titleEn ?? n.title) : n.title,
      body: en ? (n.bodyEn ?? n.body) : n.body,
      link: n.link,
      readAt: n.readAt ? n.readAt.toISOString() : null,
      createdAt: n.createdAt.toISOString(),
    })),
    unreadCount: Number(counts?.unread ?? 0),
    total: opts.unread ? Number(counts?.unread ?? 0) : Number(counts?.total ?? 0),
    page,
    pageSize: inboxPageSize,
  };
}

/** Marks one of the user's own notices read; someone else's (or none) is not_found. */
export async function markInboxRead(db: Db, userId: string, id: number): Promise<{ id: number; readAt: string }> {
  const [row] = await db
    .update(notifications)
    .set({ readAt: sql`coalesce(${notifications.readAt}, now())` })
    .where(and(eq(notifications.id, id), eq(notifications.userId, userId)))
    .returning({ id: notifications.id, readAt: notifications.readAt });
  if (!row) throw new AppError("not_found");
  return { id: row.id, readAt: row.readAt!.toISOString() };
}

export async function markAllInboxRead(db: Db, userId: string): Promise<{ updated: number }> {
  const list = await db
    .update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .returning({ id: notifications.id });
  return { updated: list.length };
}

// ---------------------------------------------------------------------------------------------
// Preferences

export interface NoticePreference {
  kind: NoticeKind;
  label: string;
  description: string;
  enabled: boolean;
}

/** Every kind with the person's choice (no row: everything on), labels in their language. */
export async function getNoticePreferences(db: Db, userId: string, lang: "zh-CN" | "en"): Promise<NoticePreference[]> {
  const [row] = await db.select({ muted: notificationPreferences.mutedKinds }).from(notificationPreferences).where(eq(notificationPreferences.userId, userId));
  const muted = new Set(row?.muted ?? []);
  const en = lang === "en";
  return noticeKinds.map((k) => ({ kind: k.kind, label: en ? k.en : k.zh, description: en ? k.descriptionEn : k.descriptionZh, enabled: !muted.has(k.kind) }));
}

/** Switches kinds on or off (others unchanged); an unknown kind is `validation_failed` on `kinds`. */
export async function setNoticePreferences(db: Db, userId: string, changes: Partial<Record<string, boolean>>, lang: "zh-CN" | "en"): Promise<NoticePreference[]> {
  const known = new Set<string>(noticeKinds.map((k) => k.kind));
  const unknown = Object.keys(changes).filter((k) => !known.has(k));
  if (unknown.length > 0) throw new AppError("validation_failed", { detail: { code: "kinds", zh: `没有这种消息：${unknown.join("、")}`, en: `unknown notice kinds: ${unknown.join(", ")}` } }, "kinds");
  await db.transaction(async (tx) => {
    const [row] = await tx.select({ muted: notificationPreferences.mutedKinds }).from(notificationPreferences).where(eq(notificationPreferences.userId, userId)).for("update");
    const muted = new Set(row?.muted ?? []);
    for (const [kind, on] of Object.entries(changes)) {
      if (on === true) muted.delete(kind);
      else if (on === false) muted.add(kind);
    }
    const mutedKinds = noticeKinds.map((k) => k.kind).filter((k) => muted.has(k));
    await tx
      .insert(notificationPreferences)
      .values({ userId, mutedKinds })
      .onConflictDoUpdate({ target: notificationPreferences.userId, set: { mutedKinds, updatedAt: new Date() } });
  });
  return getNoticePreferences(db, userId, lang);
}

/** An inbox row as written by tools that replay a past history (the demo street). */
export type NewInboxRow = typeof notifications.$inferInsert;

/** Writes inbox rows as they are, chunked, in the caller's transaction (replayed histories only). */
export async function insertInboxRows(tx: Db, items: readonly NewInboxRow[]): Promise<void> {
  await insertChunked(tx, notifications, items, { asJson: true });
}

/** Deletes the inbox rows about the cases `caseIds` selects (a subquery); answers how many. */
export function deleteInboxRowsOfCases(tx: Db, caseIds: SQL): Promise<number> {
  return deleteCounted(tx, sql`delete from notifications where case_id in ${caseIds}`);
}
