import { anyOf, definePolicy, inScopeOf, type Rule, type Scoped } from "../../platform/policy/index.js";
import { householdClearReaders, householdEditors, type Role } from "../../platform/policy/roles.js";

/**
 * Places (compounds, buildings, units, dwellings) are scoped by the area they lie in: a compound
 * by its community, a building, its units and dwellings by the grid of the building's point.
 */
export interface PlaceRecord extends Scoped {
  id: string;
}

/** Roles that read places of their area: a grid worker reads the buildings of their grid. */
export const placeReaders: Role[] = ["gridWorker", "communityWorker", "communitySecretary", "streetAdmin", "districtAnalyst", "systemAdmin"];
/** Roles that register and change places: the community and the street, not a grid worker. */
export const placeEditors: Role[] = ["communityWorker", "communitySecretary", "streetAdmin"];

/**
 * A grid worker sees the compounds of the community their grid lies in (a compound may span
 * grids), so they can name a compound and pick a dwelling when a household moves.
 */
const gridWorkerOfCommunity: Rule<PlaceRecord> = (actor, record) =>
  actor.grants.some((g) => g.role === "gridWorker" && g.areaPath !== null && g.areaPath.startsWith(record.areaPath));

export const placePolicy = definePolicy<PlaceRecord, "edit">({
  read: inScopeOf(...placeReaders),
  edit: inScopeOf(...placeEditors),
});

/** Compounds: as places, plus grid workers of the community may read them. */
export const compoundPolicy = definePolicy<PlaceRecord, "edit">({
  read: anyOf(inScopeOf(...placeReaders), gridWorkerOfCommunity),
  edit: inScopeOf(...placeEditors),
});

/**
 * The households shown on a building's page: names in clear for the roles whose work needs them,
 * and whether the actor may change them — the same role groups as people's household policy.
 */
export const occupantPolicy = definePolicy<PlaceRecord, "readClear" | "update">({
  read: inScopeOf(...placeReaders),
  readClear: inScopeOf(...householdClearReaders),
  update: inScopeOf(...householdEditors),
});
