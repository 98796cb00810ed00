/**
 * Cases: the closed loop of residents' problems (接诉即办). See README.md.
 *
 * What other modules may use of cases: its module entry, and read functions that return rows and
 * aggregates. Other modules never import cases' schema tables or internals.
 */
import type { GongzhiModule } from "../../platform/module.js";
import { caseIntakeRoutes } from "./intake-routes.js";
import { caseRoutes } from "./routes.js";
import { registerWebhookEvents } from "../../platform/notify/webhooks.js";
import { caseLiveTopic } from "./live.js";
import { webhookEventOf } from "./webhooks.js";
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
    { plugin: catalogueRoutes },
    { plugin: boardRoutes },
    { plugin: whistleRoutes },
  ],
  liveTopics: [caseLiveTopic],
  subscribe() {
    // Every step is a webhook event of its own; a webhook naming no event gets all of them.
    registerWebhookEvents(Object.values(webhookEventOf), { inAll: true });
  },
};
