/**
 * The error codes this module defines (Areas: the tree, grids and their staff), added to the one catalogue the server answers
 * with (platform/errors.ts). Messages may use {name} placeholders filled from an AppError's params.
 */
import { defineErrors } from "../../platform/errors.js";

export const areaErrors = defineErrors("areas", {
  outside_grids: { status: 404, zh: "该位置不在任何网格内", en: "This location is not inside any grid" },
  grid_split_invalid: { status: 400, zh: "无法拆分网格：{detail}", en: "The grid cannot be split: {detail}" },
  grid_merge_invalid: { status: 400, zh: "无法合并网格：{detail}", en: "The grids cannot be merged: {detail}" },
  grid_retired: { status: 409, zh: "网格「{name}」已于 {date} 停用，不能再修改", en: "The grid {name} was retired on {date} and can no longer be changed" },
  grid_leader_taken: {
    status: 409,
    zh: "网格「{grid}」已有在任网格长，请先为其办理卸任，再任命新的网格长",
    en: "The grid {grid} already has a grid leader in office; end their term before appointing a new one",
  },
  grid_staff_duplicate: {
    status: 409,
    zh: "此人已在网格「{grid}」担任该职务（专职和兼职网格员不能兼任）",
    en: "This person already holds this post in the grid {grid} (one cannot be both a full-time and a part-time grid worker)",
  },
  grid_staff_ended: { status: 409, zh: "该任职已于 {date} 卸任", en: "This term already ended on {date}" },
  grid_import_rejected: {
    status: 422,
    zh: "共 {total} 个网格要素，其中 {bad} 个有问题，未写入任何数据；请按报告修改后重新导入",
    en: "{bad} of {total} grid features have problems; nothing was written. Fix them as the report says and import again",
  },
  division_unknown: { status: 400, zh: "行政区划代码 {code} 不存在", en: "There is no division with the code {code}" },
  division_not_under: {
    status: 400,
    zh: "行政区划代码 {code}（{name}）不属于{parent}",
    en: "The division {code} ({name}) does not lie under {parent}",
  },
  area_retired: { status: 409, zh: "「{name}」已于 {date} 撤销，不能再修改", en: "{name} was retired on {date} and can no longer be changed" },
  area_has_children: {
    status: 409,
    zh: "「{name}」下还有 {count} 个在用的下级区域（{names}），请先撤销或调整它们",
    en: "{name} still has {count} areas in use below it ({names}); retire or move them first",
  },
  area_has_open_cases: {
    status: 409,
    zh: "「{name}」内还有 {count} 件未办结的案件，办结后才能撤销",
    en: "{name} still has {count} open cases; they must be closed before it can be retired",
  },
  community_import_rejected: {
    status: 422,
    zh: "共 {total} 个社区要素，其中 {bad} 个有问题，未写入任何数据；请按报告修改后重新导入",
    en: "{bad} of {total} community features have problems; nothing was written. Fix them as the report says and import again",
  },
});

declare module "../../platform/errors.js" {
  interface ErrorCatalogue extends Codes<typeof areaErrors> {}
}
