/**
 * The port through which grid staff (staff.ts) reads residents. Residents belong to people, which
 * builds on areas: areas may not import people (that was the areas ↔ people cycle), so areas
 * declares here exactly the reads it needs and people plugs its implementation in from its
 * module's `connect()` (src/modules/index.ts calls it once, before any request or event).
 */
import type { Actor } from "../../platform/auth/actor.js";
import type { Db } from "../../platform/db/index.js";

/** A resident the appointment dialog offers (a building head, a volunteer or a party member). */
export interface StaffCandidateResident {
  personId: string;
  /** In clear: the caller masks it unless `clearNames` says otherwise. */
  name: string;
  tags: string[];
  partyMember: boolean;
}

export interface GridStaffResidents {
  /**
   * Of `personIds`, those whose names `actor` sees in clear — exactly those their person page would
   * show clear — so a staff list never tells more than the record.
   */
  clearNames(db: Db, actor: Actor, personIds: readonly string[]): Promise<Set<string>>;
  /** The name of a person living in a grid under `communityPath`; undefined if none lives there. */
  nameInCommunity(db: Db, personId: string, communityPath: string): Promise<string | undefined>;
  /**
   * The grid's building heads, volunteers and party members: building heads first, then by name,
   * at most `limit`.
   */
  candidatesOfGrid(db: Db, gridId: string, limit: number): Promise<StaffCandidateResident[]>;
}

let plugged: GridStaffResidents | undefined;

/** Called by people's `connect()`. A second call replaces the first (tests may plug a fake). */
export function plugGridStaffResidents(impl: GridStaffResidents): void {
  plugged = impl;
}

export function gridStaffResidents(): GridStaffResidents {
  if (!plugged) {
    throw new Error("areas: grid staff's residents port is not plugged — import src/modules/index.ts (the module list connects people to it) before using grid staff");
  }
  return plugged;
}
