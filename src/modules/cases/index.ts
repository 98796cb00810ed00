/** Cases: the closed loop of residents' problems (接诉即办). See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { caseIntakeRoutes } from "./intake-routes.js";
import { caseRoutes } from "./routes.js";
import { liveRoutes } from "./live-routes.js";
import { webhookRoutes } from "./webhook-routes.js";
import { catalogueRoutes } from "./catalogue-routes.js";
import { boardRoutes } from "./board-routes.js";
import { measureRoutes } from "./measures-routes.js";
import { whistleRoutes } from "./whistle-routes.js";

export const casesModule: GongzhiModule = {
  name: "cases",
  routes: [
    { plugin: caseIntakeRoutes },
    { plugin: caseRoutes },
    { plugin: liveRoutes },
    { plugin: webhookRoutes },
    { plugin: catalogueRoutes },
    { plugin: boardRoutes },
    { plugin: measureRoutes },
    { plugin: whistleRoutes },
  ],
};
