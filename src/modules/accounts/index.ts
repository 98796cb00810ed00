/** Accounts: residents' sign-ups, their check against the registry, invitation codes, SMS codes. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { accountsErrors } from "./errors.js";
import { accountVerifiers } from "./policy.js";
import { accountsRoutes } from "./routes.js";
import { grantsWith } from "../../platform/policy/index.js";
import { todoLink } from "../../platform/home/todos.js";
import { pendingSignupCount } from "./service.js";

export const accountsModule: GongzhiModule = {
  name: "accounts",
  consoleSections: [
    // 居民账号核实 and 邀请码: the community's workers and secretary, and the street above.
    { key: "residentSignups", roles: accountVerifiers },
    { key: "invitations", roles: accountVerifiers },
  ],
  errors: accountsErrors,
  routes: [{ plugin: accountsRoutes }],
  // 待办: residents' sign-ups waiting for the check against the registry (the list's own scope and status).
  async todos(db, actor) {
    if (grantsWith(actor, accountVerifiers).length === 0) return [];
    const count = await pendingSignupCount(db, actor);
    return [{ key: "accounts.signups", count, label: { zh: "居民注册待核实", en: "Resident sign-ups to verify" }, link: todoLink("/console/accounts/signups", { status: "pending" }), severity: "info" }];
  },
};

export { accountVerifiers, signupPolicy } from "./policy.js";
export { pendingSignupCount } from "./service.js";
export { useSmsSender, type SmsSender } from "./sms.js";
