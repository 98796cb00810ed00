/**
 * People's side of platform's persons port (platform/auth/persons-port.ts): whether a registry
 * person exists and lies in the administrator's reach by people's own policy, before a login is
 * linked to them. Plugged in by `peopleModule.connect()`.
 */
import type { UserPersons } from "../../platform/auth/persons-port.js";
import { personPolicy } from "./policy.js";
import { loadPersonRecord } from "./persons.js";

export const userPersons: UserPersons = {
  async personInScope(db, actor, personId) {
    const record = await loadPersonRecord(db, personId);
    return record !== undefined && personPolicy.read(actor, record);
  },
};
