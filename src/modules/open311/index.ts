/** Open311 GeoReport v2: the standard API over cases. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { open311Routes } from "./routes.js";

export const open311Module: GongzhiModule = { name: "open311", routes: [{ plugin: open311Routes, prefix: "/open311", collapseSlashes: true }] };
