/** Ledgers: spreadsheet import and export of the registry (台账). A tool: see README.md. */
import type { GongzhiTool } from "../index.js";
import { ledgerRoutes } from "./routes.js";

export const ledgersTool: GongzhiTool = { name: "ledgers", routes: [{ plugin: ledgerRoutes }], after: "people" };
export { importLedger, type ImportOutcome } from "./import.js";
export { isLedgerKind, ledgerKinds, type LedgerKindName } from "./ledger.js";
