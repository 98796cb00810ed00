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
  const method = options.method ?? "GET";
  const headers: Record<string, string> = {
    Accept: "application/json",
    "Accept-Language": currentLanguage,
  };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && csrfToken) headers["x-csrf-token"] = csrfToken;

  let res: Response;
  try {
    res = await fetch(buildUrl(path, options.query), {
      method,
      headers,
      credentials: "same-origin",
      body: options.body === undefined ? null : JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, { code: clientErrorCodes.network, message: String(e) });
  }

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

  if (!res.ok) {
    const body = asErrorBody(data) ?? {
      code: res.status >= 500 ? "internal_error" : clientErrorCodes.badResponse,
      message: `HTTP ${res.status}`,
    };
    const error = new ApiError(res.status, body);
    if (res.status === 401 && sessionCodes.has(body.code) && !options.noAuthRedirect) {
      csrfToken = null;
      onUnauthenticated?.(body.code);
    }
    throw error;
  }
  if (data === undefined) {
    throw new ApiError(res.status, { code: clientErrorCodes.badResponse, message: "Empty or invalid JSON response" });
  }
  return data as T;
}
