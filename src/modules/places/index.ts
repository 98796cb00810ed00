/** Places: compounds, buildings and dwellings of a community. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { placeErrors } from "./errors.js";
import { placeRoutes } from "./routes.js";
import { movePlacesOnReshape } from "./regrid.js";

export const placesModule: GongzhiModule = {
  name: "places", errors: placeErrors,
  routes: [{ plugin: placeRoutes }],
  subscribe(bus) {
    // Before people: households follow their dwellings' new grids.
    bus.subscribe("area.gridsReshaped", "places", movePlacesOnReshape);
  },
};

export type { BuildingMoved } from "./events.js";
export { composeAddress, loadDwellingPlace, type DwellingPlace } from "./service.js";
export { buildingLocation, type BuildingLocation } from "./reads.js";

// For the tools (src/tools): bulk writes and reads of places.
export * from "./bulk.js";
