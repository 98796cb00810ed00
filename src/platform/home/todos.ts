/**
 * 待办: the to-dos of the console home. Each module that has work waiting for people declares a
 * provider (`GongzhiModule.todos`), which answers the actor's items in one query: a count, a label
 * and the link to the list page showing exactly those records (the list's API takes the same query
 * string, so the count is the length of that list). The home collects them from the module list
 * (given by app.ts; platform never imports a module).
 */
import type { Actor } from "../auth/actor.js";
import type { Db } from "../db/index.js";

export type TodoSeverity = "info" | "warning" | "danger";

export interface TodoItem {
  /** Stable, unique across modules: "<module>.<what>" (cases.verify, people.registrations). */
  key: string;
  /** How many records wait; the linked list shows exactly these. */
  count: number;
  label: { zh: string; en: string };
  /** The web page with its query string (/console/cases?mine=verify). Its list API takes the same query. */
  link: string;
  /** info: work to do; warning: someone waits past a deadline soon or now; danger: overdue. */
  severity: TodoSeverity;
}

/** A module's provider: the actor's items, in the module's order. Items the actor cannot have are left out, not sent as 0. */
export type TodoProvider = (db: Db, actor: Actor) => Promise<TodoItem[]>;

/** Every provider's items, in the module list's order; one provider failing fails the request (no silent gaps). */
export async function collectTodos(db: Db, actor: Actor, providers: readonly TodoProvider[]): Promise<TodoItem[]> {
  const lists = await Promise.all(providers.map((p) => p(db, actor)));
  return lists.flat();
}

/** A link with its query: `link("/console/cases", { mine: "verify", status: ["a", "b"] })` — arrays repeat the key. */
export function todoLink(path: string, query: Record<string, string | number | boolean | readonly string[] | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined) continue;
    if (Array.isArray(v)) for (const x of v as readonly string[]) q.append(k, x);
    else q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}
