/** What others may use of the measures module: its module entry, and the monthly computation (the bench). */
import type { GongzhiModule } from "../../platform/module.js";
import { measureErrors } from "./errors.js";
import { measureRoutes } from "./routes.js";
import { departmentReaders } from "./policy.js";

export { measureRoutes } from "./routes.js";
export { computeMonthlyMeasures, monthRange, type MeasureRow } from "./service.js";

export const measuresModule: GongzhiModule = {
  name: "measures",
  consoleSections: [{ key: "measures", roles: departmentReaders }],
  errors: measureErrors,
  routes: [{ plugin: measureRoutes }],
};
