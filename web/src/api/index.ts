/**
 * The one way the web app talks to the server: same-origin JSON, the CSRF token on every
 * state-changing request, and errors parsed into `ApiError` whose `code` the UI switches on.
 */

/** The server's error shape: a stable machine code and a message in the request's language. */
export interface ApiErrorBody {
  code: string;
  message: string;
  field?: string;
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly requestId: string | undefined;
  /** The whole JSON answer, for errors that carry more than the common shape (an import report). */
  details: unknown;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.name = "ApiError";
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.requestId = body.requestId;
  }
}

/** Codes the client produces itself when no server answer could be read. */
export const clientErrorCodes = {
  network: "network_error",
  badResponse: "bad_response",
} as const;

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

let csrfToken: string | null = null;
let currentLanguage = "zh-CN";
let onUnauthenticated: ((code: string) => void) | null = null;

/** Set from the login and `me` responses; sent as `x-csrf-token` on POST/PUT/PATCH/DELETE. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Sent as `Accept-Language` so server messages follow the chosen language. */
export function setApiLanguage(lang: string): void {
  currentLanguage = lang;
}

/** Called on a 401 `unauthenticated` / `session_expired`: the app sends the user to /login. */
export function setUnauthenticatedHandler(handler: ((code: string) => void) | null): void {
  onUnauthenticated = handler;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Do not redirect to /login on 401 (the session probe and the login form handle it). */
  noAuthRedirect?: boolean;
  /** A file sent as the raw body (imports), with its content type; `body` is then ignored. */
  file?: Blob;
  /** Extra request headers (e.g. x-file-name, URL-encoded). */
  headers?: Record<string, string>;
}

const sessionCodes = new Set(["unauthenticated", "session_expired"]);

function buildUrl(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function asErrorBody(value: unknown): ApiErrorBody | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string") return null;
  return {
    code: v.code,
    message: typeof v.message === "string" ? v.message : v.code,
    ...(typeof v.field === "string" ? { field: v.field } : {}),
    ...(typeof v.requestId === "string" ? { requestId: v.requestId } : {}),
  };
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": currentLanguage,
  };
  const res = await send(path, options, headers);
  if (res.status === 204) return undefined as T;

  const text = await res.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }

  if (!res.ok) throw failure(res, data, options);
  if (data === undefined) {
    throw new ApiError(res.status, { code: clientErrorCodes.badResponse, message: "Empty or invalid JSON response" });
  }
  return data as T;
}

async function send(path: string, options: RequestOptions, headers: Record<string, string>): Promise<Response> {
  const method = options.method ?? "GET";
  if (options.file !== undefined) headers["Content-Type"] = options.file.type || "application/octet-stream";
  else if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;
  Object.assign(headers, options.headers);
  try {
    return await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.file ?? (options.body === undefined ? null : JSON.stringify(options.body)),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, { code: clientErrorCodes.network, message: String(e) });
  }
}

function failure(res: Response, data: unknown, options: RequestOptions): ApiError {
  const body = asErrorBody(data) ?? {
    code: res.status >= 500 ? "internal_error" : clientErrorCodes.badResponse,
    message: `HTTP ${res.status}`,
  };
  const error = new ApiError(res.status, body);
  error.details = data;
  if (res.status === 401 && sessionCodes.has(body.code) && !options.noAuthRedirect) {
    csrfToken = null;
    onUnauthenticated?.(body.code);
  }
  return error;
}

/** An error answer's full JSON (e.g. an import's report on 422), kept on the error for the page that needs it. */
export function errorDetails<T>(e: unknown): T | undefined {
  return e instanceof ApiError ? (e.details as T | undefined) : undefined;
}

/**
 * A file download (exports, reports): the response as a Blob and the server's file name, saved
 * through a temporary link. Errors come as `ApiError` like `api`.
 */
export async function apiDownload(path: string, options: RequestOptions = {}): Promise<{ blob: Blob; fileName: string }> {
  const res = await send(path, options, { Accept: "*/*", "Accept-Language": currentLanguage });
  if (!res.ok) {
    const text = await res.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
    throw failure(res, data, options);
  }
  const disposition = res.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const fileName = star ? decodeURIComponent(star[1]!) : "download.xlsx";
  return { blob: await res.blob(), fileName };
}

export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
