/**
 * Events of the areas module. Grid reshaping (split, merge, a replacing import) changes which grid
 * holds what; each owner of what lies inside moves its own rows when it hears of it.
 */
import type { Actor } from "../../platform/auth/actor.js";
import type { Geometry } from "../../platform/geojson.js";

export interface ReshapeTarget {
  id: string;
  code: string | null;
  boundary: Geometry;
}

/**
 * 网格调整: the contents of `fromGridIds` (retired, or redrawn in place by an import) now belong to
 * `toGrids`. Everything with a point (a building, an open case) goes to the grid of `toGrids`
 * holding its point, or to `fallbackGridId` when none does; what has no point follows what it is
 * in (a dwelling its building, a household its dwelling, a person their household) or goes to the
 * fallback. Subscribers run in the module list's order: places moves buildings and dwellings before
 * people moves households by their dwellings.
 */
export interface GridsReshaped {
  actor: Actor;
  fromGridIds: readonly string[];
  toGrids: readonly ReshapeTarget[];
  fallbackGridId: string;
  /** Organizations of the old grids to re-point to a new grid, as the request says. */
  organizations: readonly { id: string; gridId: string }[];
  /** Filled in by subscribers, for the reshape's audit entry. */
  moved: { openCases: number };
}

/**
 * A reshape being planned (also its dry run): subscribers count what would move to each target
 * (`key` of `toGrids`), or to the fallback when no target holds its point.
 */
export interface GridsReshapePlanned {
  fromGridIds: readonly string[];
  toGrids: readonly { key: number; code: string | null; boundary: Geometry }[];
  fallbackKey: number;
  /** Filled in by cases: open cases per target key, and how many went to the fallback for want of a target. */
  openCases: Map<number, number>;
  unlocated: { openCases: number };
}

/**
 * An area (district, street, community) is about to be retired: owners of what may still lie in
 * it count it (cases: open cases under `areaPath`); any count refuses the retirement.
 */
export interface AreaRetiring {
  areaPath: string;
  /** Filled in by cases. */
  openCases: number;
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    "area.retiring": AreaRetiring;
    "area.gridsReshaped": GridsReshaped;
    "area.gridsReshapePlanned": GridsReshapePlanned;
  }
}
