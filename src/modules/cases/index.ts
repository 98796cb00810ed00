/**
 * Cases: the closed loop of residents' problems (接诉即办). See README.md.
 *
 * What other modules may use of cases: its module entry, and read functions that return rows and
 * aggregates. Other modules never import cases' schema tables or internals.
 */
import type { GongzhiModule } from "../../platform/module.js";
import { caseIntakeRoutes } from "./intake-routes.js";
import { caseRoutes } from "./routes.js";
import { liveRoutes } from "./live-routes.js";
import { webhookRoutes } from "./webhook-routes.js";
import { catalogueRoutes } from "./catalogue-routes.js";
import { boardRoutes } from "./board-routes.js";
import { whistleRoutes } from "./whistle-routes.js";

export { countCasesByUnit, repeatRadiusM, repeatWindowDays, type CaseCountRow, type CaseCountsGrouping, type CountPeriod } from "./counts.js";
export { departmentOrgIds } from "./policy.js";

export const casesModule: GongzhiModule = {
  name: "cases",
  routes: [
    { plugin: caseIntakeRoutes },
    { plugin: caseRoutes },
    { plugin: liveRoutes },
    { plugin: webhookRoutes },
    { plugin: catalogueRoutes },
    { plugin: boardRoutes },
    { plugin: whistleRoutes },
  ],
};
