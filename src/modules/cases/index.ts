/** Cases: the closed loop of residents' problems (接诉即办). See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { caseIntakeRoutes } from "./intake-routes.js";
import { caseRoutes } from "./routes.js";
import { registerWebhookEvents } from "../../platform/notify/webhooks.js";
import { subscribeNotices } from "../../platform/notify/catalogue.js";
import { caseNotices } from "./notices.js";
import { caseLiveTopic } from "./live.js";
import { webhookEventOf } from "./webhooks.js";
import { catalogueRoutes } from "./catalogue-routes.js";
import { boardRoutes } from "./board-routes.js";
import { measureRoutes } from "./measures-routes.js";
import { whistleRoutes } from "./whistle-routes.js";

export const casesModule: GongzhiModule = {
  name: "cases",
  routes: [
    { plugin: caseIntakeRoutes },
    { plugin: caseRoutes },
    { plugin: catalogueRoutes },
    { plugin: boardRoutes },
    { plugin: measureRoutes },
    { plugin: whistleRoutes },
  ],
  liveTopics: [caseLiveTopic],
  subscribe(bus) {
    // Every step is a webhook event of its own; a webhook naming no event gets all of them.
    registerWebhookEvents(Object.values(webhookEventOf), { inAll: true });
    // Staff notices; steps write them in their own statement (effects.ts), the bus is for others.
    subscribeNotices(bus, "cases", caseNotices);
  },
};
