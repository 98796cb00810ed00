/** Ledgers: spreadsheet import and export of the registry (台账). A tool: see README.md. */
import type { GongzhiTool } from "../index.js";
import { ledgerRoutes } from "./routes.js";
import { defineConsoleSections } from "../../platform/console-sections.js";
import { householdReaders } from "../../modules/people/index.js";

// 台账导入导出: whoever may read the registry's households may open it (imports need more; the page says so).
defineConsoleSections("ledgers", [{ key: "imports", roles: householdReaders }]);

export const ledgersTool: GongzhiTool = { name: "ledgers", routes: [{ plugin: ledgerRoutes }], after: "people" };
export { importLedger, type ImportOutcome } from "./import.js";
export { isLedgerKind, ledgerKinds, type LedgerKindName } from "./ledger.js";
