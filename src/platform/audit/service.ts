/**
 * 审计记录 — the tamper-evident log. A service that changes state calls `recordAudit` inside its
 * own transaction; the sealer chains entries into the hash chain shortly after commit.
 */
import { createHash } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import { rows, type Db } from "../db/index.js";
import { auditEntries } from "./schema.js";

export interface AuditActor {
  kind: "user" | "apiKey" | "system";
  id?: string | null;
}

export interface AuditInput {
  actor: AuditActor;
  /** Dotted verb, e.g. "household.update", "area.create". */
  action: string;
  entityType: string;
  entityId: string;
  /** The change (before/after or the new values). Only its digest is stored. */
  change: unknown;
  /** Optional non-personal summary kept in clear for reading the log. */
  summary?: Record<string, unknown>;
}

/** JSON with sorted keys, so the same change always gives the same digest. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

/**
 * The INSERT of an audit entry, `… returning id`: for a caller that folds the entry into a larger
 * statement (a CTE) to save round trips. `recordAudit` runs the same statement on its own.
 */
export function auditInsert(input: AuditInput): SQL {
  const digest = sha256Hex(canonicalJson(input.change));
  return sql`insert into ${auditEntries} (actor_kind, actor_id, action, entity_type, entity_id, digest, summary)
    values (${input.actor.kind}, ${input.actor.id ?? null}, ${input.action}, ${input.entityType}, ${input.entityId}, ${digest},
            ${input.summary === undefined ? null : JSON.stringify(input.summary)}::jsonb)
    returning id`;
}

/** Appends an audit entry in the caller's transaction; returns its id. */
export async function recordAudit(tx: Db, input: AuditInput): Promise<number> {
  const [row] = await rows<{ id: string | number }>(tx, auditInsert(input));
  return Number(row!.id);
}
