/** Cases: the closed loop of residents' problems (接诉即办). See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { countOpenCasesToMove, moveOpenCases } from "./regrid.js";
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
  subscribe(bus) {
    // Open cases follow their point into the grids that succeed theirs (regrid.ts).
    bus.subscribe("area.gridsReshapePlanned", "cases", countOpenCasesToMove);
    bus.subscribe("area.gridsReshaped", "cases", async (tx, e) => {
      e.moved.openCases += await moveOpenCases(tx, e.actor, e.fromGridIds, e.toGrids, e.fallbackGridId);
    });
  },
};

export { actionLabels, openStatuses, statusLabels, type CaseAction, type CaseStatus } from "./machine.js";
export type { CaseSource, CategoryAttribute } from "./schema.js";
export { publicSummary } from "./board.js";
export { submitCase } from "./intake.js";
export { attributeErrorCode, checkAttributeAnswers, type AttributeAnswer, type AttributeProblem } from "./attributes.js";
