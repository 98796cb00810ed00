/**
 * The console's sections (menu entries) and who may open them, declared by the modules and tools
 * that own the pages (their `GongzhiModule.consoleSections`) and by platform for its own. The
 * session answer (`/api/auth/me`) carries, per section, whether the user holds a role that opens
 * it, so the console shows only what the user can use — no copy of the server's role lists in the
 * web app, and no menu entry that leads to a refusal.
 */
import type { Actor } from "./auth/actor.js";
import type { Role } from "./policy/roles.js";

export interface ConsoleSection {
  /** A stable key the web app maps to its route (e.g. "redGrid"). */
  key: string;
  /** Roles that open it: a grant of one of them, at any area, shows the entry (the pages scope their data). */
  roles: readonly Role[];
}

const sections = new Map<string, ConsoleSection & { owner: string }>();

/** Adds an owner's sections; a key another owner declared is a programming error. */
export function defineConsoleSections(owner: string, list: readonly ConsoleSection[]): void {
  for (const s of list) {
    const before = sections.get(s.key);
    if (before) throw new Error(`console section ${s.key} of ${owner} is already declared by ${before.owner}`);
    sections.set(s.key, { ...s, owner });
  }
}

/** Every declared section's key, sorted (the OpenAPI document's ConsoleSections). */
export function consoleSectionKeys(): string[] {
  return [...sections.keys()].sort();
}

/** Section key → whether `actor` may open it. */
export function openSections(actor: Pick<Actor, "grants">): Record<string, boolean> {
  const out: Record<string, boolean> = {};
  for (const key of consoleSectionKeys()) {
    const s = sections.get(key)!;
    out[key] = actor.grants.some((g) => s.roles.includes(g.role));
  }
  return out;
}

// Platform's own: connecting outside systems to events (外部系统推送) is the system administrator's.
// 用户与权限: system and street administrators (src/platform/auth/admin.ts, userAdminRoles).
defineConsoleSections("platform", [
  { key: "webhooks", roles: ["systemAdmin"] },
  { key: "users", roles: ["systemAdmin", "streetAdmin"] },
]);
