/** Accounts: residents' sign-ups, their check against the registry, invitation codes, SMS codes. See README.md. */
import type { GongzhiModule } from "../../platform/module.js";
import { accountsErrors } from "./errors.js";
import { accountVerifiers } from "./policy.js";
import { accountsRoutes } from "./routes.js";

export const accountsModule: GongzhiModule = {
  name: "accounts",
  consoleSections: [
    // 居民账号核实 and 邀请码: the community's workers and secretary, and the street above.
    { key: "residentSignups", roles: accountVerifiers },
    { key: "invitations", roles: accountVerifiers },
  ],
  errors: accountsErrors,
  routes: [{ plugin: accountsRoutes }],
};

export { accountVerifiers, signupPolicy } from "./policy.js";
export { pendingSignupCount } from "./service.js";
export { useSmsSender, type SmsSender } from "./sms.js";
