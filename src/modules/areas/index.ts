/** Areas: the administrative tree, grids and their boundaries, grid staff. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { areaReaders } from "./policy.js";
import { areaErrors } from "./errors.js";
import { areaRoutes } from "./routes.js";

export const areasModule: GongzhiModule = {
  name: "areas",
  consoleSections: [{ key: "areas", roles: areaReaders.filter((r) => r !== "resident") }],
  errors: areaErrors,
  routes: [{ plugin: areaRoutes }],
  // The area tree: every module scopes its lists by area path and names grids and communities.
  readModels: ["areas"],
};

export type { AreaRetiring, GridsReshaped, GridsReshapePlanned, ReshapeTarget } from "./events.js";
// Official division codes (行政区划代码), for first-run setup and the demo.
export { divisionChildren, findDivision, streetChain, streetCommunities, type Division, type DivisionChain } from "./divisions.js";
// The jurisdiction a first-run setup creates (city, district, street, communities).
export { createJurisdiction, type JurisdictionCommunity } from "./admin.js";
export { SpatialGridIndex } from "./spatial.js";
export { geometryProblem, type Geometry } from "./geo.js";
export { GridIndex, readableAreaPath } from "./service.js";
export { areaPolicy } from "./policy.js";
// The port grid staff reads residents through; people plugs its implementation in (connect()).
export { plugAreaResidents, type AreaResidents, type ResidentCounts, type StaffCandidateResident } from "./residents-port.js";
export { inForceOn, today } from "./history.js";
// For other modules: names and paths of areas, one query per list of ids.
export { areaNames, areaPath, namedAreas, type NamedArea } from "./reads.js";
// For the tools (src/tools): bulk writes and reads of areas and places, point → grid.
export * from "./bulk.js";
export type { AreaLevel } from "./schema.js";
export { bbox, type Polygon, type Position, type Ring } from "./geo.js";

// For the command line (`gongzhi area …`, `gongzhi import communities`).
export { createChildArea, retireArea, type AreaWarning } from "./admin.js";
export { updateArea } from "./service.js";
export { importCommunities, localizeCommunityImport } from "./community-import.js";
// For the command line (`gongzhi grids import`).
export { GridImportCliError, repairedWord, runGridImport } from "./grid-import-cli.js";
export { localizeGridImport } from "./grid-import.js";
