/**
 * The one way the web app talks to the server: same-origin JSON, the CSRF token on every
 * state-changing request, and errors parsed into `ApiError` whose `code` the UI switches on.
 *
 * Requests go through `http` (openapi-fetch over the types generated from docs/openapi.json, see
 * `./schema.d.ts`): the path, its parameters, the body and the answer are checked against the
 * server's schemas at compile time. Shapes are named with `Schema<"Person">` (a component of the
 * document) or `Answer<"get", "/api/areas/{id}">` (what a route answers).
 */
import createClient, { type ClientPathsWithMethod, type FetchOptions, type FetchResponse, type MaybeOptionalInit } from "openapi-fetch";
import type { components, paths } from "./schema";

/** The named shapes of the OpenAPI document (`#/components/schemas`). */
export type Schemas = components["schemas"];
export type Schema<K extends keyof Schemas> = Schemas[K];

/** Every code an error answer may carry (the server's catalogue), plus the client's own. */
export type ErrorCode = Schema<"ErrorCode"> | (typeof clientErrorCodes)[keyof typeof clientErrorCodes];

/** The server's error shape: a stable machine code and a message in the request's language. */
export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
  field?: string;
  requestId?: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: ErrorCode;
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

const sessionCodes = new Set(["unauthenticated", "session_expired"]);

function asErrorBody(value: unknown): ApiErrorBody | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  if (typeof v.code !== "string") return null;
  return {
    // The server answers codes from its catalogue (ErrorCode in the OpenAPI document).
    code: v.code as ErrorCode,
    message: typeof v.message === "string" ? v.message : v.code,
    ...(typeof v.field === "string" ? { field: v.field } : {}),
    ...(typeof v.requestId === "string" ? { requestId: v.requestId } : {}),
  };
}

function failure(res: Response, data: unknown, options: { noAuthRedirect?: boolean | undefined }): ApiError {
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

/** Saves a downloaded file (see `download`) under the server's file name, through a temporary link. */
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

// ---- The typed client --------------------------------------------------------------------------

type Method = "get" | "post" | "put" | "patch" | "delete";
type RequiredKeysOf<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
/** As openapi-fetch's own: the options argument may be left out when nothing in it is required. */
type InitParam<Init> = RequiredKeysOf<Init> extends never ? [(Init & ExtraOptions)?] : [Init & ExtraOptions];

interface ExtraOptions {
  /** Do not redirect to /login on 401 (the session probe and the login form handle it). */
  noAuthRedirect?: boolean;
}

type Client = typeof client;
type PathOf<M extends Method> = ClientPathsWithMethod<Client, M>;
type Options<M extends Method, P extends PathOf<M>> = MaybeOptionalInit<paths[P], M>;
type Data<R> = Exclude<R extends { data?: infer D } ? D : never, undefined>;
type Success<Operation, Init> = Operation extends infer O extends Record<string | number, unknown> ? Data<FetchResponse<O, Init, `${string}/${string}`>> : never;
/** The success body, or `void` for a route that answers 204. */
type Answered<M extends Method, P extends PathOf<M>, Init> = [Success<paths[P][M], Init>] extends [never] ? void : Success<paths[P][M], Init>;

/** What a route answers on success, e.g. `Answer<"get", "/api/areas/{id}">`. */
export type Answer<M extends Method, P extends PathOf<M>> = Answered<M, P, object>;
/** A route's JSON body, e.g. `Body<"post", "/api/persons">`. */
export type Body<M extends Method, P extends PathOf<M>> = paths[P][M] extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
/** A route's query parameters. */
export type QueryOf<M extends Method, P extends PathOf<M>> = paths[P][M] extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

/** Query strings as before: every defined value as text, nothing for undefined or null. */
function serializeQuery(query: Record<string, unknown>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    // Query values are text, numbers and booleans, written as String() would.
    if (v !== undefined && v !== null) params.set(k, typeof v === "string" ? v : JSON.stringify(v));
  }
  return params.toString();
}

/** A file goes as the raw body (imports, photos); anything else as JSON. */
function serializeBody(body: unknown): BodyInit {
  return body instanceof Blob ? body : JSON.stringify(body);
}

async function sendRequest(request: Request): Promise<Response> {
  if (!request.headers.has("Accept")) request.headers.set("Accept", "application/json");
  request.headers.set("Accept-Language", currentLanguage);
  if (request.method !== "GET" && csrfToken) request.headers.set("x-csrf-token", csrfToken);
  try {
    return await fetch(request);
  } catch (e) {
    if (e instanceof DOMException && e.name === "AbortError") throw e;
    throw new ApiError(0, { code: clientErrorCodes.network, message: String(e) });
  }
}

const client = createClient<paths>({ credentials: "same-origin", fetch: sendRequest, querySerializer: serializeQuery, bodySerializer: serializeBody });

async function call(method: Method, path: string, init: (FetchOptions<unknown> & ExtraOptions) | undefined): Promise<unknown> {
  const { noAuthRedirect, ...options } = init ?? {};
  let result: { data?: unknown; error?: unknown; response: Response };
  try {
    // The path and options were checked against `paths` by the typed methods below.
    result = await client.request(method as "get", path as PathOf<"get">, options as never);
  } catch (e) {
    if (e instanceof SyntaxError) throw new ApiError(200, { code: clientErrorCodes.badResponse, message: "Empty or invalid JSON response" });
    throw e;
  }
  const { data, error, response } = result;
  if (!response.ok) throw failure(response, error, { noAuthRedirect });
  if (response.status === 204) return undefined;
  if (data === undefined) throw new ApiError(response.status, { code: clientErrorCodes.badResponse, message: "Empty or invalid JSON response" });
  return data;
}

function typed<M extends Method>(method: M) {
  return <P extends PathOf<M>, Init extends Options<M, P>>(path: P, ...init: InitParam<Init>): Promise<Answered<M, P, Init>> =>
    // `call` returns what openapi-fetch parsed for this path and method, as the generated types say.
    call(method, path, init[0] as FetchOptions<unknown> | undefined) as Promise<Answered<M, P, Init>>;
}

/**
 * Typed requests: `await http.get("/api/areas/{id}", { params: { path: { id } }, signal })` answers
 * the route's success body or throws `ApiError` (401 `unauthenticated`/`session_expired` also calls
 * the handler set with `setUnauthenticatedHandler`).
 */
export const http = {
  get: typed("get"),
  post: typed("post"),
  put: typed("put"),
  patch: typed("patch"),
  delete: typed("delete"),
};

/**
 * A typed file download (exports, reports, templates): the body as a Blob and the server's file
 * name. Errors come as `ApiError` like `http`.
 */
export async function download<M extends "get" | "post", P extends PathOf<M>, Init extends Options<M, P>>(
  method: M,
  path: P,
  ...init: InitParam<Init>
): Promise<{ blob: Blob; fileName: string }> {
  const { noAuthRedirect, ...options } = (init[0] ?? {}) as FetchOptions<unknown> & ExtraOptions;
  // The path and options were checked against `paths` by this function's signature.
  const result: { data?: unknown; error?: unknown; response: Response } = await client.request(method as "get", path as PathOf<"get">, {
    ...options,
    parseAs: "blob",
    headers: { Accept: "*/*" },
  } as never);
  const { data, error, response } = result;
  if (!response.ok) throw failure(response, error, { noAuthRedirect });
  const disposition = response.headers.get("content-disposition") ?? "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const fileName = star ? decodeURIComponent(star[1]!) : "download.xlsx";
  return { blob: data instanceof Blob ? data : new Blob([]), fileName };
}

/**
 * A file sent as the raw request body (ledger and grid imports), with its own content type; the
 * path, the query and the answer are typed as with `http.post`. A JSON body the route declares
 * (a GeoJSON import's FeatureCollection) is what the file holds, so it is not asked for again.
 */
export function upload<P extends PathOf<"post">>(
  path: P,
  file: Blob,
  init: Omit<Options<"post", P>, "body"> & ExtraOptions & { headers?: Record<string, string> },
): Promise<Answer<"post", P>> {
  const headers = { "Content-Type": file.type || "application/octet-stream", ...init.headers };
  const options: Record<string, unknown> = { ...init, body: file, headers };
  // `call` sends the Blob as it is (see `serializeBody`); the answer is the route's, as for `http.post`.
  return call("post", path, options) as Promise<Answer<"post", P>>;
}
