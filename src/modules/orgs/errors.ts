/**
 * The error codes this module defines (Organizations), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors } from "../../platform/errors.js";

export const orgErrors = defineErrors("orgs", {
  org_wrong_parent: {
    status: 400,
    zh: "{kind}不能设在这里：{detail}",
    en: "A {kindEn} cannot be placed here: {detailEn}",
  },
  org_not_social: { status: 400, zh: "只有社会组织才有孵化状态（孵化中/已出壳）", en: "Only social organizations have an incubation status" },
  org_dissolved: { status: 409, zh: "该组织已于 {on} 撤销，不能再修改", en: "This organization was dissolved on {on} and cannot be changed" },
  org_has_dependents: {
    status: 409,
    zh: "该组织还有 {children} 个下级组织、{posts} 个在任职务，请先撤销下级组织并结束职务",
    en: "This organization still has {children} live sub-organizations and {posts} open posts; dissolve those and end the posts first",
  },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof orgErrors> {}
}
