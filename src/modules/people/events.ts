/** Events of the people module, for the modules built on it. */

/** Why households changed grid: a household moved home, its building moved, or grids were reshaped. */
export type HouseholdMoveCause = "household" | "building" | "reshape";

/**
 * Households changed grid (with their persons), after the red grid rule of grid-moves.ts was
 * applied; one event per move however many households it carried. Only households whose grid
 * really changed are listed. No personal data.
 */
export interface HouseholdsMoved {
  cause: HouseholdMoveCause;
  moves: { householdId: string; fromGridId: string; toGridId: string }[];
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    "households.moved": HouseholdsMoved;
  }
}
