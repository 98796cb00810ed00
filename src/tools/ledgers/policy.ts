/** Who may import and export ledgers (台账) of an area. */
import { definePolicy, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { householdClearReaders, householdReaders } from "../../modules/people/index.js";

/**
 * Importing writes the registry of an area: community staff and the street. Exports follow the
 * household rules: readers of an area get masked files; a clear file only for the roles whose
 * work needs clear values (the same roles that may reveal one value), with a stated purpose.
 */
export const ledgerPolicy = definePolicy<Scoped, "import" | "export" | "exportClear">({
  read: inScopeOf(...householdReaders),
  import: inScopeOf("communityWorker", "communitySecretary", "streetAdmin", "systemAdmin"),
  export: inScopeOf(...householdReaders),
  exportClear: inScopeOf(...householdClearReaders),
});
