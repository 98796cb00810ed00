/**
 * The port through which user administration (admin.ts) checks the registry person a login is
 * linked to. Persons belong to the people module, and platform may not import modules, so platform
 * declares here the one read it needs and people plugs its implementation in from its module's
 * `connect()` (src/modules/index.ts calls it once, before any request).
 */
import type { Actor } from "./actor.js";
import type { Db } from "../db/index.js";

export interface UserPersons {
  /** Whether the person exists and `actor` may read their record (people's own policy). */
  personInScope(db: Db, actor: Actor, personId: string): Promise<boolean>;
}

let plugged: UserPersons | undefined;

/** Called by people's `connect()`. A second call replaces the first. */
export function plugUserPersons(impl: UserPersons): void {
  plugged = impl;
}

export function userPersons(): UserPersons {
  if (!plugged) {
    throw new Error("platform/auth: the registry persons port is not plugged — import src/modules/index.ts (the module list connects people to it) before linking a user to a person");
  }
  return plugged;
}
