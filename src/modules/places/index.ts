/** Places: compounds, buildings and dwellings of a community. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { placeRoutes } from "./routes.js";

export const placesModule: GongzhiModule = { name: "places", routes: [{ plugin: placeRoutes }] };
