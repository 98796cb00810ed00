/**
 * The port through which places reads who lives in its dwellings: household counts in lists of
 * buildings and before deleting a dwelling, the households and building heads on a building's
 * page. Households and persons belong to people, which builds on places: places may not import
 * people nor read its tables in SQL, so places declares here exactly the reads it needs and people
 * plugs its implementation in from its module's `connect()` (src/modules/index.ts calls it once,
 * before any request or event).
 */
import type { Db } from "../../platform/db/index.js";

/** A household as a building's page lists it: head's name in clear (the caller masks it). */
export interface OccupantHousehold {
  id: string;
  dwellingId: string;
  headName: string;
  size: number;
}

export interface PlaceOccupants {
  /** Households living in a dwelling of each building; buildings without any are absent. */
  householdCountsByBuilding(db: Db, buildingIds: readonly string[]): Promise<Map<string, number>>;
  /** Households living in each dwelling; dwellings without any are absent. */
  householdCountsByDwelling(db: Db, dwellingIds: readonly string[]): Promise<Map<string, number>>;
  /** The dwellings of these buildings where at least one household lives (keyed by buildings: a ledger import passes many). */
  occupiedDwellingsOfBuildings(db: Db, buildingIds: readonly string[]): Promise<Set<string>>;
  /** The households living in the building's dwellings, in the order they were recorded. */
  householdsOfBuilding(db: Db, buildingId: string): Promise<OccupantHousehold[]>;
  /** Residents of the building's households tagged building head (楼栋长), by name; names in clear. */
  buildingHeadsOf(db: Db, buildingId: string): Promise<{ id: string; name: string }[]>;
}

let plugged: PlaceOccupants | undefined;

/** Called by people's `connect()`. A second call replaces the first. */
export function plugPlaceOccupants(impl: PlaceOccupants): void {
  plugged = impl;
}

export function placeOccupants(): PlaceOccupants {
  if (!plugged) {
    throw new Error("places: the occupants port is not plugged — import src/modules/index.ts (the module list connects people to it) before reading places");
  }
  return plugged;
}
