/**
 * The error codes this module defines (Cases: intake, steps, whistles, photos, the catalogue), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors } from "../../platform/errors.js";

export const caseErrors = defineErrors("cases", {
  case_illegal_transition: {
    status: 409,
    zh: "当前状态为「{status}」，不能{action}",
    en: "The case is {status}; {action} is not possible now",
  },
  case_unknown_category: { status: 400, zh: "案件类别「{code}」不存在或已停用", en: "The case category {code} does not exist or is not in use" },
  case_duplicate_submission: {
    status: 409,
    zh: "这次提交已经受理过（案件编号 {caseNo}），请勿重复提交",
    en: "This submission was already received (case {caseNo}); it was not submitted again",
  },
  case_summons_unfinished: {
    status: 409,
    zh: "还有 {count} 个被召集的部门没有办结，事不完、人不走，暂不能结案",
    en: "{count} summoned department(s) have not finished their part; the case cannot close yet",
  },
  case_not_reporter: { status: 403, zh: "只有反映人本人可以评价", en: "Only the person who reported the case may rate it" },
  case_self_verification: {
    status: 403,
    zh: "处置结果由您本人反馈，须由其他有核查权限的人员核查",
    en: "You reported this result yourself; someone else who may verify must check it",
  },
  case_reopen_used: { status: 409, zh: "已经重新办理过一次，不能再次申请", en: "This case was already reopened once" },
  case_reopen_not_dissatisfied: { status: 409, zh: "只有评价为「不满意」时才能申请重新办理", en: "Only a case rated dissatisfied can be reopened" },
  case_level_invalid: { status: 400, zh: "无法{action}：{detail}", en: "Cannot {action}: {detail}" },
  case_merge_invalid: { status: 400, zh: "无法合并：{detail}", en: "Cannot merge: {detail}" },
  case_extension_pending: { status: 409, zh: "已有一条延期申请待审批", en: "An extension request is already waiting for a decision" },
  case_extension_none: { status: 409, zh: "没有待审批的延期申请", en: "There is no extension request waiting for a decision" },
  case_assignee_invalid: {
    status: 400,
    zh: "所选人员不能承办本案：只能派给负责本案的{level}办理人员",
    en: "The chosen person cannot take this case: only someone who handles cases at the {level} level here can",
  },
  case_summons_invalid: { status: 400, zh: "无法吹哨召集：{detail}", en: "Cannot summon: {detail}" },
  case_summons_step_invalid: { status: 409, zh: "暂不能{action}：{detail}", en: "Cannot {action} now: {detail}" },
  case_photo_invalid: { status: 400, zh: "照片 {id} 不存在，或不是本人上传的", en: "The photo {id} does not exist or was not uploaded by you" },
  photo_not_image: { status: 415, zh: "只能上传 JPEG、PNG 或 WebP 格式的照片", en: "Only JPEG, PNG or WebP photos can be uploaded" },
  photo_too_large: { status: 413, zh: "照片不能超过 {maxMb} MB", en: "A photo may not exceed {maxMb} MB" },
  photo_too_many_pixels: {
    status: 400,
    zh: "照片尺寸过大（{width}×{height}），像素总数不能超过 {limit}",
    en: "The photo is too large ({width}×{height}); it may have at most {limit} pixels",
  },
  photo_unreadable: { status: 400, zh: "照片无法读取：文件已损坏或不完整", en: "The photo cannot be read: the file is damaged or incomplete" },
  category_invalid: { status: 400, zh: "类别设置有误：{detail}", en: "The category is invalid: {detail}" },
  catalogue_not_draft: { status: 409, zh: "只有草稿版本的分类目录可以修改", en: "Only a draft catalogue version can be edited" },
  catalogue_draft_exists: {
    status: 409,
    zh: "已有一份第 {version} 版的修订草稿，请先发布或放弃它",
    en: "A draft (version {version}) already exists; publish or discard it first",
  },
  catalogue_empty: { status: 409, zh: "草稿里没有在用的小类，不能发布", en: "The draft has no sub-category in use and cannot be published" },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof caseErrors> {}
}
