/** Events of the places module. */

/**
 * A building's point moved into another grid; its dwellings moved with it. People moves the
 * households living there (and their persons) and counts what it did in `moved`, for the answer.
 */
export interface BuildingMoved {
  buildingId: string;
  fromGridId: string;
  toGridId: string;
  moved: { households: number; redGridDropped: number; redGridPinnedKept: number };
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    "building.moved": BuildingMoved;
  }
}
