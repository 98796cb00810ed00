/**
 * Notices of the people module (catalogue: src/platform/notify/catalogue.ts).
 *
 * 双找登记: a registration waits for the community to confirm it. Told: community workers and
 * secretaries whose grant covers the community (they confirm day to day; street administrators,
 * who may also confirm, see the queue without a notice each), not the person who registered it.
 * Also a webhook event, `party.registered`, carrying ids and the kind only — no name or phone.
 */
import { areaPathOf, usersGrantedOver, type NoticeEntries } from "../../platform/notify/catalogue.js";
import type { RegistrationKind } from "./party-registrations.js";

/** A registration with a community was made (self, or by a worker who found the member). */
export interface PartyRegistered {
  registrationId: string;
  communityId: string;
  kind: RegistrationKind;
  registeredBy: string;
}

declare module "../../platform/events/index.js" {
  interface DomainEvents {
    "party.registered": PartyRegistered;
  }
}

export const peopleNotices = {
  "party.registered": {
    kind: "party.registration",
    async concerns(tx, p) {
      const path = await areaPathOf(tx, p.communityId);
      const ids = path ? await usersGrantedOver(tx, ["communityWorker", "communitySecretary"], path) : [];
      return ids.filter((id) => id !== p.registeredBy);
    },
    text(p) {
      return p.kind === "reportIn"
        ? {
            title: "双找登记待确认",
            body: "有在职党员到本社区报到，请核实后确认。",
            titleEn: "Party registration to confirm",
            bodyEn: "A party member in work has reported in to your community. Please check and confirm.",
            link: "/console/party/registrations",
          }
        : {
            title: "双找登记待确认",
            body: "有流动党员登记找组织，请核实后确认。",
            titleEn: "Party registration to confirm",
            bodyEn: "A floating party member is looking for an organization in your community. Please check and confirm.",
            link: "/console/party/registrations",
          };
    },
    webhook: {
      payload: (p) => ({ registration: { id: p.registrationId, communityId: p.communityId, kind: p.kind } }),
      areaPath: (tx, p) => areaPathOf(tx, p.communityId),
    },
  },
} satisfies NoticeEntries;
