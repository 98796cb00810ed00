/**
 * The row-level messages of ledger imports (台账导入问题), each with a stable code and a zh-CN and
 * an English text. Problems carry both (`message`/`reason` in Chinese, `messageEn`/`reasonEn` in
 * English); an answer picks one with `localizeOutcome`. Messages name rows, column headers and
 * place names (小区, 楼栋, 社区, 党组织), never a personal value.
 */
import { bilingual, type Lang, type MessageParam, type MessageTemplates } from "../errors.js";
import type { ParseResult } from "./mapping.js";
import type { Problem, RowCheckProblem } from "./validate.js";

export const ledgerMessages = {
  // Cells.
  integer_expected: { zh: "应填写整数（{min}–{max}）", en: "must be a whole number ({min}–{max})" },
  out_of_range: { zh: "应在 {min} 到 {max} 之间", en: "must be between {min} and {max}" },
  date_format: { zh: "日期格式应为 2001-07-01", en: "a date is written like 2001-07-01" },
  date_invalid: { zh: "不是有效的日期", en: "is not a valid date" },
  date_future: { zh: "日期不能晚于今天", en: "the date cannot be after today" },
  text_too_long: { zh: "不能超过 {max} 个字", en: "must be at most {max} characters" },
  name_invalid: {
    zh: "姓名只能包含汉字、字母和间隔号，且不超过 30 个字",
    en: "a name may hold only Chinese characters, letters and the middle dot, up to 30 characters",
  },
  gender_invalid: { zh: "性别应填写“男”或“女”", en: "gender must be “男” (male) or “女” (female)" },
  relation_invalid: { zh: "与户主关系应为 {choices} 之一", en: "the relation to the head must be one of {choices}" },
  tags_unknown: { zh: "无法识别的标签：{tags}（可用：{choices}）", en: "unknown tags: {tags} (known: {choices})" },
  room_invalid: { zh: "房号应为数字或字母，例如 502", en: "a room number is digits or letters, e.g. 502" },
  status_invalid: {
    zh: "状态应填写“在职”“离退休”或“流动”",
    en: "the status must be “在职” (in service), “离退休” (retired) or “流动” (floating)",
  },
  coordinate_format: { zh: "{label}应为十进制度数，例如 {example}", en: "the {labelEn} is decimal degrees, e.g. {example}" },
  coordinate_range: {
    zh: "{label}应在 {min} 到 {max} 之间（中国境内，WGS 84 坐标）",
    en: "the {labelEn} must be between {min} and {max} (inside China, WGS 84)",
  },
  // ID numbers and phones: the zh-CN text an answer gives is the one of `src/platform/pii/validate.ts`.
  id_length: { zh: "身份证号码应为 18 位", en: "the ID number must have 18 characters" },
  id_characters: { zh: "身份证号码只能包含数字，最后一位可以是 X", en: "the ID number holds only digits, with X allowed as the last character" },
  id_birth_date: { zh: "身份证号码中的出生日期无效，请核对", en: "the birth date inside the ID number is not valid; check it" },
  id_checksum: { zh: "身份证号码校验位不正确，请逐位核对", en: "the check digit of the ID number is wrong; check it digit by digit" },
  id_old_15: { zh: "15 位旧身份证号码已停止使用，请填写 18 位身份证号码", en: "15-digit ID numbers are no longer in use; enter the 18-digit number" },
  phone_empty: { zh: "请填写电话号码", en: "enter a phone number" },
  phone_characters: { zh: "电话号码只能包含数字、空格、短横线、括号和开头的 +", en: "a phone number holds only digits, spaces, dashes, brackets and a leading +" },
  phone_format: { zh: "请填写 11 位手机号码，或带区号的座机号码（例如 028-8xxxxxxx）", en: "enter an 11-digit mobile number or a landline with its area code (e.g. 028-8xxxxxxx)" },
  // Persons (人员台账).
  gender_mismatch: { zh: "性别与身份证号不一致", en: "the gender does not agree with the ID number" },
  person_registered: { zh: "该身份证号已在人员库中登记", en: "this ID number is already in the registry" },
  household_not_found: {
    zh: "本辖区没有这个住址的户，请先登记户或核对住址",
    en: "no household of the area has this address; register the household first or check the address",
  },
  household_address_ambiguous: {
    zh: "本辖区有多户使用这个住址，请写到门牌号",
    en: "several households of the area have this address; write it down to the door number",
  },
  // Households (户台账).
  household_twice: {
    zh: "与第 {row} 行是同一户（户主相同），但房屋不同：一户只能登记在一处房屋",
    en: "the same household as row {row} (same head) but another dwelling: a household lives in one dwelling",
  },
  household_twice_by_name: {
    zh: "与第 {row} 行是同一户（户主相同），但房屋不同：一户只能登记在一处房屋（同名的不同户请填写户主身份证号区分）",
    en: "the same household as row {row} (same head) but another dwelling: a household lives in one dwelling (for different households whose heads share a name, fill in the head's ID number)",
  },
  building_elsewhere: {
    zh: "「{compound}」的「{building}」不在所选区域内（属于「{area}」）",
    en: "“{building}” of “{compound}” is not in the chosen area (it belongs to “{area}”)",
  },
  building_not_found: {
    zh: "所选区域内没有「{compound}」的「{building}」，请先导入楼栋台账或核对小区、楼栋名称",
    en: "the chosen area has no “{building}” in “{compound}”; import the buildings ledger first or check the compound and building names",
  },
  building_ambiguous: {
    zh: "「{compound}」有多栋名为「{building}」的楼，无法确定是哪一栋",
    en: "“{compound}” has several buildings named “{building}”; it is not clear which one is meant",
  },
  floor_unknown: { zh: "无法从房号推出楼层，请填写「楼层」列", en: "the floor cannot be told from the room number; fill in the “楼层” (floor) column" },
  floor_out_of_range: { zh: "楼层应在 1 到 {floors} 之间（该楼共 {floors} 层）", en: "the floor must be between 1 and {floors} (the building has {floors} floors)" },
  dwelling_occupied: {
    zh: "该房屋已登记了一户；换户请先在户的页面办理迁出",
    en: "a household is already registered in this dwelling; move it out on the household's page first",
  },
  head_lives_elsewhere: {
    zh: "户主已在人员库中登记，住在另一处房屋；搬迁请在户的页面办理",
    en: "the head is already in the registry and lives in another dwelling; record the move on the household's page",
  },
  // Party members (党员台账).
  person_not_found: { zh: "人员库中没有这个身份证号的人员，请先导入人员台账", en: "no person of the registry has this ID number; import the persons ledger first" },
  person_outside_area: { zh: "该人员不住在所选区域内", en: "this person does not live in the chosen area" },
  already_member: { zh: "该人员已登记为党员", en: "this person is already registered as a party member" },
  name_mismatch: { zh: "姓名与人员库中该身份证号的登记不一致", en: "the name differs from the registry's entry for this ID number" },
  org_ambiguous: { zh: "区域内有多个名为「{org}」的党组织，请写全称", en: "the area has several party organizations named “{org}”; write the full name" },
  community_not_found: { zh: "没有名为「{name}」的社区", en: "there is no community named “{name}”" },
  community_ambiguous: { zh: "有多个名为「{name}」的社区，无法确定是哪一个", en: "several communities are named “{name}”; it is not clear which one is meant" },
  // Buildings (楼栋台账).
  point_outside_grids: {
    zh: "坐标不在任何网格内，请核对经度、纬度（WGS 84）或先划好网格",
    en: "the point is not inside any grid; check the longitude and latitude (WGS 84) or draw the grids first",
  },
  point_outside_area: { zh: "坐标落在所选区域之外，请核对经度、纬度或改选区域", en: "the point lies outside the chosen area; check the longitude and latitude or choose another area" },
  point_outside_area_in: {
    zh: "坐标落在所选区域之外（「{grid}」），请核对经度、纬度或改选区域",
    en: "the point lies outside the chosen area (in “{grid}”); check the longitude and latitude or choose another area",
  },
  point_in_retired_grid: {
    zh: "坐标落在已停用的网格内（网格刚刚调整过），请重新导入",
    en: "the point lies in a grid that has been retired (the grids have just changed); import again",
  },
  grid_mismatch: { zh: "坐标所在的网格是「{grid}」，与填写的网格不一致", en: "the point lies in grid “{grid}”, not in the grid given" },
  building_taken: { zh: "「{compound}」已登记了同名楼栋", en: "“{compound}” already has a building of this name" },
} satisfies MessageTemplates;

export type LedgerMessageCode = keyof typeof ledgerMessages;

/** A cell that cannot be read: `bad` of the ledgers, with a code and both texts. */
export function badCell(code: LedgerMessageCode, params: Record<string, MessageParam> = {}): ParseResult<never> {
  const t = bilingual(ledgerMessages, code, params);
  return { ok: false, message: t.zh, code, en: t.en };
}

/** A cross-field problem of `rowCheck`, tied to `field`'s column. */
export function rowIssue(field: string, code: LedgerMessageCode, params: Record<string, MessageParam> = {}): RowCheckProblem & { field: string } {
  const t = bilingual(ledgerMessages, code, params);
  return { field, message: t.zh, code, en: t.en };
}

/**
 * A failed ID number or phone check (`src/platform/pii/validate.ts`): its Chinese message as it
 * is, a code from its reason and the English text. No part of the value is quoted.
 */
export function badIdNumber(r: { reason: "length" | "characters" | "birth_date" | "checksum"; message: string }): ParseResult<never> {
  const code: LedgerMessageCode = r.reason === "length" && r.message.includes("15 位") ? "id_old_15" : `id_${r.reason}`;
  return { ok: false, message: r.message, code, en: ledgerMessages[code].en };
}

export function badPhone(r: { reason: "empty" | "characters" | "format"; message: string }): ParseResult<never> {
  const code: LedgerMessageCode = `phone_${r.reason}`;
  return { ok: false, message: r.message, code, en: ledgerMessages[code].en };
}

/** A problem as an answer gives it: `message` and `reason` in `lang`, the English copies dropped. */
export function localizeProblem(p: Problem, lang: Lang): Problem {
  const { reasonEn, messageEn, ...rest } = p;
  if (lang !== "en") return rest;
  return { ...rest, reason: reasonEn ?? rest.reason, message: messageEn ?? (p.column ? `Row ${p.row}, column “${p.column}”: ${p.reason}` : `Row ${p.row}: ${p.reason}`) };
}

export function localizeProblems(problems: readonly Problem[], lang: Lang): Problem[] {
  return problems.map((p) => localizeProblem(p, lang));
}

/** An import outcome with its problems in `lang`. */
export function localizeOutcome<O extends { problems: Problem[] }>(outcome: O, lang: Lang): O {
  return { ...outcome, problems: localizeProblems(outcome.problems, lang) };
}
