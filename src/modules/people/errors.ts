/**
 * The error codes this module defines (People: persons, households, party registrations), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors, defineUniqueViolation } from "../../platform/errors.js";

export const peopleErrors = defineErrors("people", {
  household_move_same_dwelling: { status: 400, zh: "该户已住在这套房屋，无需迁移", en: "The household already lives in this dwelling" },
  household_move_before_last: {
    status: 400,
    zh: "迁移日期不能早于上一次迁移的日期（{last}）",
    en: "The move date cannot be before the last move ({last})",
  },
  person_duplicate: { status: 409, zh: "该身份证号已在人员库中登记，不能重复登记", en: "This ID number is already registered; a person cannot be registered twice" },
  person_tag_unknown: { status: 400, zh: "没有这个人员标签：{tag}", en: "Unknown person tag: {tag}" },
  person_skills_need_talent: {
    status: 400,
    zh: "只有标为“能人”的人员才能登记技能",
    en: "Skills can only be recorded for a person tagged as a community talent",
  },
  person_same_household: { status: 400, zh: "该人员已在这一户中", en: "The person is already in this household" },
  person_not_in_household: { status: 400, zh: "该人员目前不在任何户中", en: "The person is not in any household now" },
  registration_pending: {
    status: 409,
    zh: "该党员已有一条待社区确认的登记，请勿重复提交",
    en: "This party member already has a registration waiting for the community; it was not submitted twice",
  },
  registration_decided: { status: 409, zh: "该登记已处理过，不能再次处理", en: "This registration has already been decided" },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof peopleErrors> {}
}

// Two registrations of one ID number at once: the second meets the unique index, not the service's check.
defineUniqueViolation("persons_id_number_hash_key", "person_duplicate");
