/**
 * What other modules may use of cases: read functions that return rows and aggregates. Other
 * modules never import cases' schema tables or internals.
 */
export { countCasesByUnit, repeatRadiusM, repeatWindowDays, type CaseCountRow, type CaseCountsGrouping, type CountPeriod } from "./counts.js";
export { departmentOrgIds } from "./policy.js";
