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

// For the demo street (src/tools/demo), which replays case histories with this module's own rules
// and writes them in bulk: the state machine, working-time limits, routing, levels, reporter notices.
export * from "./bulk.js";
export { dueAfter, workingCalendar } from "./calendar.js";
export { warningTimeFor } from "./timers.js";
export { contactPhoneContext } from "./intake.js";
export { routeCase } from "./routing.js";
export { areaAtLevel, levelLabels } from "./levels.js";
export { reporterMessage } from "./live.js";
export { nextStatus, type CaseAction, type CaseStatus } from "./machine.js";
export type { CaseLevel, CaseRating, CaseSource } from "./schema.js";
export { ensureDefaultCatalogue } from "./catalogue.js";
