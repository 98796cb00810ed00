import { definePolicy, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { roles } from "../../platform/policy/roles.js";

/** Organizations are public facts of an area: whoever may browse the area may read its bodies. */
export const orgPolicy = definePolicy<Scoped, never>({
  read: inScopeOf(...roles),
});
