import type { Db } from "../../platform/db/index.js";
import type { CaseEffect } from "./effects.js";

// Placeholder until this part is written (issue 4 in progress).
export async function enqueueWebhooks(_tx: Db, _effect: CaseEffect): Promise<void> {}
