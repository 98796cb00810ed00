/** Ledgers: spreadsheet import and export of the registry (台账). See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { ledgerRoutes } from "./routes.js";

export const ledgersModule: GongzhiModule = { name: "ledgers", routes: [{ plugin: ledgerRoutes }] };
