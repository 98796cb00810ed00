/** Places: compounds, buildings and dwellings of a community. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { placeErrors } from "./errors.js";
import { placeRoutes } from "./routes.js";
import { movePlacesOnReshape } from "./regrid.js";
import { placesSearch } from "./search.js";

export const placesModule: GongzhiModule = {
  name: "places",
  errors: placeErrors,
  routes: [{ plugin: placeRoutes }],
  search: placesSearch,
  // The address tree: lists of households, persons and cases show addresses in one query.
  readModels: ["compounds", "buildings", "building_units", "dwellings"],
  subscribe(bus) {
    // Before people: households follow their dwellings' new grids.
    bus.subscribe("area.gridsReshaped", "places", movePlacesOnReshape);
  },
};

export type { BuildingMoved } from "./events.js";
export { composeAddress, loadDwellingPlace, type DwellingPlace } from "./service.js";
export { buildingLocation, type BuildingLocation } from "./reads.js";
// The port through which places reads who lives in its dwellings; people plugs it in (connect()).
export { plugPlaceOccupants, type OccupantHousehold, type PlaceOccupants } from "./occupants-port.js";

// For the tools (src/tools): bulk writes and reads of places.
export * from "./bulk.js";
