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
  payload_too_large: { status: 413, zh: "提交的内容过大", en: "The request is too large" },
  unsupported_media_type: { status: 415, zh: "不支持的内容类型", en: "Unsupported content type" },
  rate_limited: { status: 429, zh: "请求过于频繁，请 {retry} 秒后再试", en: "Too many requests; try again in {retry} s" },
  internal_error: { status: 500, zh: "服务器内部错误（请求编号 {requestId}）", en: "Internal error (request id {requestId})" },
  service_unavailable: { status: 503, zh: "服务暂时不可用", en: "Service unavailable" },
} satisfies Record<string, ErrorDef>;

export type ErrorCode = keyof typeof errorCatalogue;

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    readonly field?: string,
  ) {
    super(code);
    this.name = "AppError";
    this.status = errorCatalogue[code].status;
  }
}

export function formatMessage(code: ErrorCode, lang: Lang, params: Record<string, string | number> = {}): string {
  const def: ErrorDef = errorCatalogue[code];
  const template = lang === "en" ? def.en : def.zh;
  return template.replace(/\{(\w+)\}/g, (_, k: string) => (params[k] !== undefined ? String(params[k]) : ""));
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
