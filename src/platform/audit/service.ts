/**
 * 审计记录 — the tamper-evident log. A service that changes state calls `recordAudit` inside its
 * own transaction; the sealer chains entries into the hash chain shortly after commit.
 */
import { createHash } from "node:crypto";
import type { Db } from "../db/index.js";
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

/** Appends an audit entry in the caller's transaction; returns its id. */
export async function recordAudit(tx: Db, input: AuditInput): Promise<number> {
  const digest = sha256Hex(canonicalJson(input.change));
  const [row] = await tx
    .insert(auditEntries)
    .values({
      actorKind: input.actor.kind,
      actorId: input.actor.id ?? null,
      action: input.action,
      entityType: input.entityType,
      entityId: input.entityId,
      digest,
      summary: input.summary ?? null,
    })
    .returning({ id: auditEntries.id });
  return row!.id;
}
