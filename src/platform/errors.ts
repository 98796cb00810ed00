/**
 * One catalogue of errors with stable codes (Outline `server/errors.ts`, Documenso `AppError`).
 * The web app switches on `code`; the message is chosen by the request's language.
 *
 * Platform defines the codes every module shares (validation, authentication, not found…); each
 * module defines its own in its `errors.ts` with `defineErrors`, which adds them to the catalogue
 * at run time and, by augmenting `ErrorCatalogue`, to the `ErrorCode` type. A code is defined once.
 */
export type Lang = "zh-CN" | "en";

export interface ErrorDef {
  status: number;
  zh: string;
  en: string;
}

/** Messages may use {name} placeholders filled from `params`. */
const platformErrors = {
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
  password_too_weak: {
    status: 400,
    zh: "密码至少 8 位，且须包含大写字母、小写字母、数字、符号中的至少三类",
    en: "A password needs at least 8 characters of at least 3 kinds (upper case, lower case, digits, symbols)",
  },
  webhook_invalid: { status: 400, zh: "Webhook 设置有误：{detail}", en: "The webhook is invalid: {detail}" },
  payload_too_large: { status: 413, zh: "提交的内容过大", en: "The request is too large" },
  unsupported_media_type: { status: 415, zh: "不支持的内容类型", en: "Unsupported content type" },
  rate_limited: { status: 429, zh: "请求过于频繁，请 {retry} 秒后再试", en: "Too many requests; try again in {retry} s" },
  internal_error: { status: 500, zh: "服务器内部错误（请求编号 {requestId}）", en: "Internal error (request id {requestId})" },
  service_unavailable: { status: 503, zh: "服务暂时不可用", en: "Service unavailable" },
} satisfies Record<string, ErrorDef>;

/** The catalogue's codes, for the type checker: platform's here, each module's by augmentation. */
export type Codes<T> = { [K in keyof T]: ErrorDef };
export interface ErrorCatalogue extends Codes<typeof platformErrors> {}
export type ErrorCode = Extract<keyof ErrorCatalogue, string>;

const catalogue = new Map<string, ErrorDef & { owner: string }>(Object.entries(platformErrors).map(([code, def]) => [code, { ...def, owner: "platform" }]));

/**
 * A module's error codes, added to the catalogue. Called once per module (its `errors.ts`, which
 * its `index.ts` imports); a code another owner already defined is a programming error.
 */
export function defineErrors<const T extends Record<string, ErrorDef>>(owner: string, defs: T): T {
  for (const [code, def] of Object.entries(defs)) {
    const before = catalogue.get(code);
    if (before) throw new Error(`error code ${code} of ${owner} is already defined by ${before.owner}`);
    catalogue.set(code, { ...def, owner });
  }
  return defs;
}

/**
 * Every code defined so far with its owner (the OpenAPI document's ErrorCode): platform's first,
 * then by owner's name, each owner's in its own order — the same whatever order modules load in.
 */
export function errorCodes(): readonly { code: string; owner: string }[] {
  const all = [...catalogue].map(([code, d], i) => ({ code, owner: d.owner, i }));
  const rank = (o: string) => (o === "platform" ? "" : o);
  return all.sort((a, b) => rank(a.owner).localeCompare(rank(b.owner)) || a.i - b.i).map(({ code, owner }) => ({ code, owner }));
}

function errorDef(code: string): ErrorDef {
  const def = catalogue.get(code);
  // Modules define their codes when the module list (src/modules/index.ts) is imported.
  if (!def) throw new Error(`unknown error code ${code}: is its module loaded (src/modules/index.ts)?`);
  return def;
}

/**
 * Unique constraints whose violation has a code of its own (persons' ID number → person_duplicate);
 * any other unique violation answers `conflict`.
 */
const uniqueViolations = new Map<string, ErrorCode>();
export function defineUniqueViolation(constraint: string, code: ErrorCode): void {
  uniqueViolations.set(constraint, code);
}
export function codeOfUniqueViolation(constraint: string): ErrorCode | undefined {
  return uniqueViolations.get(constraint);
}

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
    this.status = errorDef(code).status;
  }
}

export function formatMessage(code: ErrorCode, lang: Lang, params: Record<string, MessageParam> = {}): string {
  const def = errorDef(code);
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
