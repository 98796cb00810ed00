/**
 * Kinds of notice: what a person can switch on or off in their settings (默认全部开启). Each
 * catalogue entry (catalogue.ts) has one kind; a module that publishes a new sort of notice adds
 * its kind here, with the words people see in the settings.
 */
export const noticeKinds = [
  {
    kind: "case.progress",
    zh: "我反映问题的进展",
    en: "Progress of my reports",
    descriptionZh: "您反映的问题已立案、派单、办结等每一步",
    descriptionEn: "Each step of the problems you reported: registered, assigned, closed…",
  },
  {
    kind: "work.assigned",
    zh: "新派给我的工作",
    en: "New work for me",
    descriptionZh: "案件派遣、上报或转交到您所在的网格、社区、街道或部门",
    descriptionEn: "Cases dispatched, escalated or passed to your grid, community, street or department",
  },
  {
    kind: "work.summoned",
    zh: "吹哨召集",
    en: "Summons (whistle)",
    descriptionZh: "街乡吹哨召集您所在的部门报到",
    descriptionEn: "A street or community summons your department to a case",
  },
  {
    kind: "work.warning",
    zh: "临期提醒",
    en: "Deadline warnings",
    descriptionZh: "您办理的案件快到签收或办结时限",
    descriptionEn: "A case you handle is close to its deadline",
  },
  {
    kind: "work.overdue",
    zh: "超期提醒",
    en: "Overdue",
    descriptionZh: "您办理的案件或报到已超过时限",
    descriptionEn: "A case or report-in you are responsible for is past its deadline",
  },
  {
    kind: "party.registration",
    zh: "双找登记待确认",
    en: "Party registrations to confirm",
    descriptionZh: "党员到社区报到或流动党员找组织的登记，等您确认",
    descriptionEn: "Party members reporting in or looking for an organization, waiting for you to confirm",
  },
] as const;

export type NoticeKind = (typeof noticeKinds)[number]["kind"];

export function isNoticeKind(value: string): value is NoticeKind {
  return noticeKinds.some((k) => k.kind === value);
}
