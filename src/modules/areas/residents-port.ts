/**
 * The port through which areas reads residents: grid staff (staff.ts) shows and offers them, an
 * area's page and a split or merge count them. Residents belong to people, which builds on areas:
 * areas may not import people (that was the areas ↔ people cycle) nor read its tables in SQL, so
 * areas declares here exactly the reads it needs and people plugs its implementation in from its
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

export interface AreaResidents {
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
  /** Households and persons whose grid is one of `gridIds`. */
  countsInGrids(db: Db, gridIds: readonly string[]): Promise<ResidentCounts>;
  /**
   * Per building: the households of `gridIds` living in a dwelling of `gridIds`, and their persons
   * also of `gridIds` (a split or merge moves them with the building). Buildings without any are absent.
   */
  countsByBuilding(db: Db, gridIds: readonly string[]): Promise<Map<string, ResidentCounts>>;
  /** Households whose grid lies under the area path. */
  householdsUnder(db: Db, areaPath: string): Promise<number>;
}

export interface ResidentCounts {
  households: number;
  persons: number;
}

let plugged: AreaResidents | undefined;

/** Called by people's `connect()`. A second call replaces the first (tests may plug a fake). */
export function plugAreaResidents(impl: AreaResidents): void {
  plugged = impl;
}

export function areaResidents(): AreaResidents {
  if (!plugged) {
    throw new Error("areas: grid staff's residents port is not plugged — import src/modules/index.ts (the module list connects people to it) before using grid staff");
  }
  return plugged;
}
