/**
 * Cases: the closed loop of residents' problems (接诉即办). See README.md.
 *
 * What other modules may use of cases: its module entry, and read functions that return rows and
 * aggregates. Other modules never import cases' schema tables or internals.
 */
import type { GongzhiModule } from "../../platform/module.js";
import { caseAreaReaders, catalogueEditors, summonerRoles } from "./policy.js";
import { caseErrors } from "./errors.js";
import { configureCaseTimers } from "./timers/timers.js";
import { configureCaseVerification } from "./verification.js";
import { startTimerRunner } from "./timers/timer-runner.js";
import { ensureDefaultCatalogue } from "./catalogue/catalogue.js";
import { countOpenCasesInArea, countOpenCasesToMove, moveOpenCases } from "./lifecycle/regrid.js";
import { caseIntakeRoutes } from "./intake/intake-routes.js";
import { caseRoutes } from "./lifecycle/case-routes.js";
import { registerWebhookEvents } from "../../platform/notify/webhooks.js";
import { subscribeNotices } from "../../platform/notify/catalogue.js";
import { caseNotices } from "./notices.js";
import { caseLiveTopic } from "./live.js";
import { webhookEventOf } from "./webhooks.js";
import { catalogueRoutes } from "./catalogue/catalogue-routes.js";
import { boardRoutes } from "./board/board-routes.js";
import { whistleRoutes } from "./whistle/whistle-routes.js";
import { caseTodos } from "./todos.js";
import { caseSearch, indexPendingCaseWords } from "./search.js";

export { countCasesByUnit, latestCaseActivity, repeatRadiusM, repeatWindowDays, type CaseCountRow, type CaseCountsGrouping, type CountPeriod } from "./counts.js";
export { departmentOrgIds } from "./policy.js";

export type { CaseStepTaken } from "./events.js";

export const casesModule: GongzhiModule = {
  name: "cases",
  consoleSections: [
    { key: "cases", roles: [...caseAreaReaders, "departmentStaff"] },
    { key: "summons", roles: [...summonerRoles, "departmentStaff"] },
    { key: "caseCategories", roles: catalogueEditors },
  ],
  errors: caseErrors,
  todos: (db, actor) => caseTodos(db, actor),
  routes: [
    { plugin: caseIntakeRoutes },
    { plugin: caseRoutes },
    { plugin: catalogueRoutes },
    { plugin: boardRoutes },
    { plugin: whistleRoutes },
  ],
  liveTopics: [caseLiveTopic],
  configure(config) {
    configureCaseTimers({ warningShare: config.caseWarningPercent / 100 });
    configureCaseVerification({ allowSelfVerification: config.caseSelfVerification });
  },
  // A fresh install gets the default case catalogue (departments resolved when they exist); cases
  // written before the search column, or in bulk, get their words.
  prepare: async (db) => {
    await ensureDefaultCatalogue(db);
    await indexPendingCaseWords(db);
  },
  search: caseSearch,
  jobs: [
    {
      name: "case timers",
      start: ({ database, config, onError }) => startTimerRunner({ database, intervalMs: config.caseTimerIntervalMs, onError: (e, timer) => onError(e, timer) }),
    },
  ],
  subscribe(bus) {
    // Every step is a webhook event of its own; a webhook naming no event gets all of them.
    registerWebhookEvents(Object.values(webhookEventOf), { inAll: true });
    // Staff notices; steps write them in their own statement (effects.ts), the bus is for others.
    subscribeNotices(bus, "cases", caseNotices);
    // Open cases follow their point into the grids that succeed theirs (lifecycle/regrid.ts).
    bus.subscribe("area.gridsReshapePlanned", "cases", countOpenCasesToMove);
    // A district, street or community with open cases is not retired (areas/admin.ts).
    bus.subscribe("area.retiring", "cases", countOpenCasesInArea);
    bus.subscribe("area.gridsReshaped", "cases", async (tx, e) => {
      e.moved.openCases += await moveOpenCases(tx, e.actor, e.fromGridIds, e.toGrids, e.fallbackGridId);
    });
  },
};

export { actionLabels, openStatuses, statusLabels } from "./machine.js";
export type { CategoryAttribute } from "./schema.js";
export { publicSummary } from "./board/board.js";
export { submitCase } from "./intake/intake.js";
// Open data (open311): the active catalogue's services and cases without personal columns.
export {
  activeCatalogueChangedAt,
  caseNoOfOpen311Token,
  findPublicService,
  listPublicCases,
  listPublicServices,
  reporterVisibleSteps,
  type PublicCaseFilter,
  type PublicCaseRow,
  type PublicServiceRow,
} from "./board/open-data.js";
export { attributeErrorCode, checkAttributeAnswers, type AttributeAnswer, type AttributeProblem } from "./intake/attributes.js";

// For the demo street (src/tools/demo), which replays case histories with this module's own rules
// and writes them in bulk: the state machine, working-time limits, routing, levels, reporter notices.
export * from "./bulk.js";
export { dueAfter, workingCalendar } from "./calendar.js";
export { warningTimeFor } from "./timers/timers.js";
export { contactPhoneContext } from "./intake/intake.js";
export { routeCase } from "./intake/routing.js";
export { areaAtLevel, levelLabels } from "./levels.js";
export { reporterMessage } from "./live.js";
export { nextStatus, type CaseAction, type CaseStatus } from "./machine.js";
export type { CaseLevel, CaseRating, CaseSource } from "./schema.js";
export { ensureDefaultCatalogue } from "./catalogue/catalogue.js";
export { indexPendingCaseWords } from "./search.js";

// For the command line: hotline import, key rotation of reporters' contacts, the holiday check.
export { importHotline } from "./intake/hotline-import.js";
export { caseContactColumn } from "./intake/contact-keys.js";
export { missingHolidayYears } from "./calendar.js";
