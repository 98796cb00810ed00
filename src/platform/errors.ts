/**
 * One catalogue of errors with stable codes (Outline `server/errors.ts`, Documenso `AppError`).
 * The web app switches on `code`; the message is chosen by the request's language.
 */
export type Lang = "zh-CN" | "en";

interface ErrorDef {
  status: number;
  zh: string;
  en: string;
}

/** Messages may use {name} placeholders filled from `params`. */
export const errorCatalogue = {
  validation_failed: { status: 400, zh: "提交的内容不符合要求：{detail}", en: "The request is invalid: {detail}" },
  invalid_json: { status: 400, zh: "请求内容不是有效的 JSON", en: "The request body is not valid JSON" },
  unauthenticated: { status: 401, zh: "请先登录", en: "Please log in" },
  session_expired: { status: 401, zh: "登录已过期，请重新登录", en: "Your session has expired; please log in again" },
  invalid_credentials: { status: 401, zh: "用户名或密码不正确", en: "Wrong username or password" },
  invalid_api_key: { status: 401, zh: "API 密钥无效或已停用", en: "The API key is invalid or revoked" },
  account_locked: {
    status: 423,
    zh: "登录失败次数过多，账号已锁定至 {until}",
    en: "Too many failed logins; the account is locked until {until}",
  },
  account_disabled: { status: 403, zh: "账号已停用", en: "This account is disabled" },
  csrf_missing: { status: 403, zh: "缺少防跨站请求令牌，请刷新页面后重试", en: "The CSRF token is missing; reload the page and try again" },
  csrf_invalid: { status: 403, zh: "防跨站请求令牌无效，请刷新页面后重试", en: "The CSRF token is invalid; reload the page and try again" },
  forbidden: { status: 403, zh: "您没有执行此操作的权限", en: "You are not allowed to do this" },
  not_found: { status: 404, zh: "未找到该记录", en: "Not found" },
  route_not_found: { status: 404, zh: "接口不存在", en: "No such route" },
  outside_grids: { status: 404, zh: "该位置不在任何网格内", en: "This location is not inside any grid" },
  audit_not_sealed: {
    status: 409,
    zh: "该记录尚未封存进审计链，请几秒后再取回执",
    en: "This entry is not sealed into the audit chain yet; ask for the receipt again in a few seconds",
  },
  audit_log_inconsistent: {
    status: 409,
    zh: "审计记录与其封存不一致，无法出具回执；请联系系统管理员用 gongzhi audit verify 核查",
    en: "The audit log does not match its seals, so no receipt can be issued; ask the system administrator to check it with gongzhi audit verify",
  },
  import_rejected: {
    status: 422,
    zh: "共 {total} 行，其中 {rows} 行有问题，未写入任何数据；请按报告修改后重新导入",
    en: "{rows} of {total} rows have problems; nothing was written. Fix them as the report says and import again",
  },
  conflict: { status: 409, zh: "记录已存在：{detail}", en: "Already exists: {detail}" },
  // Places and households (楼栋、单元、房屋、户、人员).
  place_outside_grids: {
    status: 400,
    zh: "该位置不在本社区的任何网格内，请在地图上重新选点",
    en: "This point is not inside any grid of the community; pick the location again",
  },
  place_not_empty: { status: 409, zh: "{what}下还有{count}个{children}，不能删除", en: "The {what} still has {count} {children}; it cannot be deleted" },
  building_floors_below_dwellings: {
    status: 400,
    zh: "楼栋层数不能少于已登记房屋的最高楼层（{floor} 层）",
    en: "The building cannot have fewer floors than its highest registered dwelling (floor {floor})",
  },
  unit_name_taken: { status: 409, zh: "这栋楼已有同名的单元", en: "This building already has a unit of that name" },
  dwelling_floor_above_building: {
    status: 400,
    zh: "楼层 {floor} 超出了这栋楼的层数（共 {floors} 层）",
    en: "Floor {floor} is above the building's {floors} floors",
  },
  dwelling_room_taken: { status: 409, zh: "本单元已有相同房号的房屋", en: "This unit already has a dwelling with that room number" },
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
  registration_pending: {
    status: 409,
    zh: "该党员已有一条待社区确认的登记，请勿重复提交",
    en: "This party member already has a registration waiting for the community; it was not submitted twice",
  },
  registration_decided: { status: 409, zh: "该登记已处理过，不能再次处理", en: "This registration has already been decided" },
  password_too_weak: {
    status: 400,
    zh: "密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少三类",
    en: "A password needs at least 8 characters of at least 3 kinds (upper case, lower case, digits, symbols)",
  },
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
  case_reopen_used: { status: 409, zh: "已经重新办理过一次，不能再次申请", en: "This case was already reopened once" },
  case_reopen_not_dissatisfied: { status: 409, zh: "只有评价为「不满意」时才能申请重新办理", en: "Only a case rated dissatisfied can be reopened" },
  case_level_invalid: { status: 400, zh: "无法{action}：{detail}", en: "Cannot {action}: {detail}" },
  case_merge_invalid: { status: 400, zh: "无法合并：{detail}", en: "Cannot merge: {detail}" },
  case_extension_pending: { status: 409, zh: "已有一条延期申请待审批", en: "An extension request is already waiting for a decision" },
  case_extension_none: { status: 409, zh: "没有待审批的延期申请", en: "There is no extension request waiting for a decision" },
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
  measure_weights_invalid: { status: 400, zh: "考核权重设置有误：{detail}", en: "The measure weights are invalid: {detail}" },
  webhook_invalid: { status: 400, zh: "Webhook 设置有误：{detail}", en: "The webhook is invalid: {detail}" },
  payload_too_large: { status: 413, zh: "提交的内容过大", en: "The request is too large" },
  unsupported_media_type: { status: 415, zh: "不支持的内容类型", en: "Unsupported content type" },
  rate_limited: { status: 429, zh: "请求过于频繁，请 {retry} 秒后再试", en: "Too many requests; try again in {retry} s" },
  internal_error: { status: 500, zh: "服务器内部错误（请求编号 {requestId}）", en: "Internal error (request id {requestId})" },
  service_unavailable: { status: 503, zh: "服务暂时不可用", en: "Service unavailable" },
} satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof errorCatalogue;

/**
 * A message in both languages with a stable code: the row- and feature-level messages of imports
 * and grid edits (catalogues in `src/platform/tabular/messages.ts`, `src/modules/areas/messages.ts`).
 * Chosen per request with `inLang`; a `Bilingual` passed as a param of another message or of an
 * `AppError` is rendered in that message's language.
 */
export interface Bilingual {
  code: string;
  zh: string;
  en: string;
}
export type MessageParam = string | number | Bilingual;
export type MessageTemplates = Record<string, { zh: string; en: string }>;

function isBilingual(v: unknown): v is Bilingual {
  return typeof v === "object" && v !== null && typeof (v as Bilingual).zh === "string" && typeof (v as Bilingual).en === "string";
}

function fill(template: string, lang: Lang, params: Record<string, MessageParam>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => {
    const v = params[k];
    return v === undefined ? "" : isBilingual(v) ? (lang === "en" ? v.en : v.zh) : String(v);
  });
}

/** Message `code` of `catalogue`, rendered in both languages. */
export function bilingual<C extends MessageTemplates>(catalogue: C, code: keyof C & string, params: Record<string, MessageParam> = {}): Bilingual {
  const def = catalogue[code]!;
  return { code, zh: fill(def.zh, "zh-CN", params), en: fill(def.en, "en", params) };
}

/** The text of a message in `lang` (a plain string is taken as it is). */
export function inLang(t: Bilingual | string, lang: Lang): string {
  return typeof t === "string" ? t : lang === "en" ? t.en : t.zh;
}

/** The language of the command line: English when `LANG` (or `LC_ALL`) starts with "en", else Chinese. */
export function cliLang(env: NodeJS.ProcessEnv = process.env): Lang {
  const v = env.LC_ALL || env.LANG || "";
  return v.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, MessageParam> = {},
    readonly field?: string,
  ) {
    super(code);
    this.name = "AppError";
    this.status = errorCatalogue[code].status;
  }
}

export function formatMessage(code: ErrorCode, lang: Lang, params: Record<string, MessageParam> = {}): string {
  const def: ErrorDef = errorCatalogue[code];
  return fill(lang === "en" ? def.en : def.zh, lang, params);
}

/** zh-CN unless the client prefers English. */
export function pickLang(acceptLanguage: string | undefined): Lang {
  if (!acceptLanguage) return "zh-CN";
  const first = acceptLanguage.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "zh-CN";
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  requestId?: string;
}
