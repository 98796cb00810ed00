/**
 * The policy core: one place that answers "may this actor do this to this record".
 * Modules declare their rules as small predicates (Outline `server/policies/`); routes call
 * `authorize`, which answers 404 for records the actor may not read and 403 for readable records
 * the actor may not change, always through this one path. List queries use `scopeCondition`.
 */
import { sql, type SQL, type AnyColumn } from "drizzle-orm";
import type { Actor, Grant } from "../auth/actor.js";
import { AppError } from "../errors.js";
import type { Role } from "./roles.js";

/** A record as policies see it: where it sits in the area tree, and whose it is. */
export interface Scoped {
  /** Path of the area the record belongs to ("/id/…/id/"). */
  areaPath: string;
}

export type Rule<R> = (actor: Actor, record: R) => boolean;

/** True when the area path lies in the subtree of the grant's node. */
export function pathWithin(path: string, grantPath: string): boolean {
  return path.startsWith(grantPath);
}

/** Holds one of `roles` on a node whose subtree contains the record. */
export function inScopeOf<R extends Scoped>(...roles: Role[]): Rule<R> {
  return (actor, record) =>
    actor.grants.some((g) => roles.includes(g.role) && g.areaPath !== null && pathWithin(record.areaPath, g.areaPath));
}

/** Like inScopeOf but strictly below the granted node (e.g. a community worker edits grids, not the community). */
export function belowScopeOf<R extends Scoped>(...roles: Role[]): Rule<R> {
  return (actor, record) =>
    actor.grants.some(
      (g) => roles.includes(g.role) && g.areaPath !== null && record.areaPath !== g.areaPath && pathWithin(record.areaPath, g.areaPath),
    );
}

export function anyOf<R>(...rules: Rule<R>[]): Rule<R> {
  return (actor, record) => rules.some((r) => r(actor, record));
}

export function allOf<R>(...rules: Rule<R>[]): Rule<R> {
  return (actor, record) => rules.every((r) => r(actor, record));
}

/** A module's policy: `read` plus named actions. */
export type Policy<R, A extends string> = { read: Rule<R> } & Record<A, Rule<R>>;

export function definePolicy<R, A extends string>(policy: Policy<R, A>): Policy<R, A> {
  return policy;
}

/** The actions an actor may take on a record, sent to the web app with the record. */
export function abilities<R, A extends string>(policy: Policy<R, A>, actor: Actor, record: R): Record<A | "read", boolean> {
  const out = {} as Record<A | "read", boolean>;
  for (const key of Object.keys(policy) as (A | "read")[]) out[key] = policy[key](actor, record);
  return out;
}

/**
 * Narrows or throws: unreadable → 404 not_found (the record's existence is not revealed),
 * readable but not allowed → 403 forbidden.
 */
export function authorize<R, A extends string>(actor: Actor, action: A | "read", record: R | undefined, policy: Policy<R, A>): asserts record is R {
  if (record === undefined || !policy.read(actor, record)) throw new AppError("not_found");
  if (action !== "read" && !policy[action](actor, record)) throw new AppError("forbidden");
}

/** Grants of the actor that carry one of `roles`. */
export function grantsWith(actor: Actor, roles: readonly Role[]): Grant[] {
  return actor.grants.filter((g) => roles.includes(g.role) && g.areaPath !== null);
}

/**
 * SQL condition: `pathColumn` lies in the subtree of a node where the actor holds one of `roles`.
 * False when the actor holds none, so an out-of-scope list is empty rather than everything.
 */
export function scopeCondition(actor: Actor, roles: readonly Role[], pathColumn: AnyColumn | SQL): SQL {
  const prefixes = [...new Set(grantsWith(actor, roles).map((g) => g.areaPath!))];
  if (prefixes.length === 0) return sql`false`;
  return sql.join(
    prefixes.map((p) => sql`${pathColumn} like ${`${escapeLike(p)}%`}`),
    sql` or `,
  );
}

export function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
