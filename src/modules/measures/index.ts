/** What others may use of the measures module: its routes, and the monthly computation (the bench). */
export { measureRoutes } from "./routes.js";
export { computeMonthlyMeasures, monthRange, type MeasureRow } from "./service.js";
