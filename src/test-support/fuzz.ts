/**
 * Malformed requests generated from the OpenAPI document, for the fuzz suite
 * (src/platform/http/fuzz.test.ts). Deterministic for a seed.
 *
 * Each operation gets a valid request first (path ids of real rows where the test gives them,
 * required fields filled in), then variants that are wrong *by construction*: a value of a JSON
 * type the schema does not allow, a missing required field, a field the schema does not know, a
 * control character, a number that is not finite or beyond the bounds, broken or oversized or
 * deeply nested JSON, a content type the route does not read, a multipart body. Those must be
 * refused (4xx). A GET may also get odd but valid values (LIKE wildcards, quotes, long text,
 * boundary integers, ids of other records): it must answer without a 5xx.
 */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  default?: unknown;
}

interface Param {
  name: string;
  required: boolean;
  schema: JsonSchema;
}

export interface Operation {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** OpenAPI path, `{param}` style. */
  path: string;
  pathParams: Param[];
  query: Param[];
  /** Whether the route declares a query schema (unknown parameters are then refused). */
  queryClosed: boolean;
  headers: Param[];
  /** The JSON body schema, when the route validates one. */
  body?: JsonSchema;
  open311: boolean;
}

export interface FuzzRequest {
  method: Operation["method"];
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  /** What the variant does, for the failure message. */
  what: string;
  /** `reject`: wrong by construction, must answer 4xx; `read`: an odd but valid GET, must answer < 500. */
  expect: "reject" | "read";
  /** The field a platform 400 must name (when the rest of the request is valid). */
  field?: string;
  /** Only for the anonymous principal (costly variants, and streams that never end when signed in). */
  anonymousOnly?: boolean;
}

export interface FuzzContext {
  /** Real ids for a path parameter of an operation (may be empty). */
  pathIds(op: Operation, param: string): string[];
  /** A real id for a uuid field or query parameter of that name, if there is one. */
  fieldId(name: string): string | undefined;
  /** Real ids of some other kind of record (a case, a household, an area, …). */
  otherIds: string[];
  /** A v4 UUID from the seeded generator (of no record). */
  uuid(): string;
  /** A complete Open311 `POST requests` form (real key, service, point), to vary one field at a time. */
  open311Form: Record<string, string>;
  /** Whether a body or query value is valid by the route's own validator (to know when the field can be asserted). */
  valid(op: Operation, part: "body" | "querystring", value: unknown): boolean;
}

/** mulberry32: a small seeded PRNG, so that a failing run reproduces with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A v4 UUID drawn from `random`. */
export function seededUuid(random: () => number): string {
  const hex = Array.from({ length: 32 }, () => Math.floor(random() * 16).toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${"89ab"[Math.floor(random() * 4)]}${hex.slice(17, 20)}-${hex.slice(20)}`;
}

interface OpenApiParameter {
  in: string;
  name: string;
  required?: boolean;
  schema?: JsonSchema;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: OpenApiParameter[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
}

/** Every operation of the document. */
export function operationsOf(doc: unknown): Operation[] {
  const out: Operation[] = [];
  for (const [p, ops] of Object.entries((doc as OpenApiDocument).paths)) {
    for (const [m, op] of Object.entries(ops)) {
      const params = op.parameters ?? [];
      const of = (where: string) => params.filter((x) => x.in === where).map((x) => ({ name: x.name, required: x.required === true, schema: x.schema ?? {} }));
      const body = op.requestBody?.content?.["application/json"]?.schema;
      out.push({
        method: m.toUpperCase() as Operation["method"],
        path: p,
        pathParams: of("path"),
        query: of("query"),
        queryClosed: params.some((x) => x.in === "query"),
        headers: of("header"),
        ...(body ? { body } : {}),
        open311: p.startsWith("/open311/"),
      });
    }
  }
  return out;
}

// ---- schemas: what a value may be, and a valid one ----

const jsonTypeOf = (v: unknown): string => (v === null ? "null" : Array.isArray(v) ? "array" : Number.isInteger(v) ? "integer" : typeof v);

/** JSON types a schema accepts; null when it does not say (anything goes). */
export function allowedTypes(s: JsonSchema): Set<string> | null {
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const out = new Set<string>();
    for (const b of branches) {
      const t = allowedTypes(b);
      if (!t) return null;
      t.forEach((x) => out.add(x));
    }
    return out;
  }
  if (s.const !== undefined) return new Set([jsonTypeOf(s.const)]);
  if (s.enum) return new Set(s.enum.map(jsonTypeOf));
  if (s.type === undefined) return null;
  const types = new Set(Array.isArray(s.type) ? s.type : [s.type]);
  if (types.has("number")) types.add("integer");
  return types;
}

const stringCandidates = ["a", "ab", "a1", "a_1", "2025-03", "510107005001001", "中文", "0"];

function sampleString(s: JsonSchema, name: string, ctx: FuzzContext): string {
  if (s.format === "uuid") return ctx.fieldId(name) ?? ctx.uuid();
  if (s.format === "date") return "2025-03-14";
  if (s.format === "date-time") return "2025-03-14T08:00:00.000Z";
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Infinity;
  const re = s.pattern ? new RegExp(s.pattern, "u") : null;
  for (const c of stringCandidates) {
    const v = c.length >= min ? c : c + "a".repeat(min - c.length);
    if (v.length <= max && (!re || re.test(v))) return v;
  }
  return "a".repeat(Math.max(min, 1));
}

function sampleNumber(s: JsonSchema, integer: boolean): number {
  let v = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 1);
  if (s.maximum !== undefined && v > s.maximum) v = s.maximum;
  if (s.exclusiveMaximum !== undefined && v >= s.exclusiveMaximum) v = s.exclusiveMaximum - 1;
  return integer ? Math.ceil(v) : v;
}

/** A valid value for `s` (as far as formats, patterns and bounds allow), with the required fields of objects only. */
export function sample(s: JsonSchema, name: string, ctx: FuzzContext): unknown {
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  if (s.default !== undefined) return s.default;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) return sample(branches.find((b) => b.type !== "null") ?? branches[0]!, name, ctx);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((b) => sample(b, name, ctx) as object)) as unknown;
  const type = (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type) ?? "";
  switch (type) {
    case "string":
      return sampleString(s, name, ctx);
    case "integer":
      return sampleNumber(s, true);
    case "number":
      return sampleNumber(s, false);
    case "boolean":
      return false;
    case "null":
      return null;
    case "array": {
      if (s.prefixItems) return s.prefixItems.map((p) => sample(p, name, ctx));
      if (Array.isArray(s.items)) return s.items.map((p) => sample(p, name, ctx));
      const n = Math.max(s.minItems ?? 0, 1);
      if (s.maxItems === 0 || !s.items) return [];
      return Array.from({ length: Math.min(n, s.maxItems ?? n) }, () => sample(s.items as JsonSchema, name, ctx));
    }
    case "object": {
      const out: Record<string, unknown> = {};
      for (const k of s.required ?? []) out[k] = sample(s.properties?.[k] ?? {}, k, ctx);
      return out;
    }
    default:
      return "x";
  }
}

// ---- values that are wrong by construction ----

/** Control characters the API refuses in any text (tab, line feed, carriage return are fine). */
export const controls = ["\u0000", "\u0001", "\u0007", "\u0008", "\u000b", "\u000c", "\u001b", "\u001f"];

/** Values of each JSON type, for "a type the schema does not allow". */
const typedValues: [string, unknown][] = [
  ["boolean", true],
  ["integer", 123],
  ["number", 1.5],
  ["string", "text"],
  ["null", null],
  ["array", ["x"]],
  ["object", { x: 1 }],
];

/** Raw JSON numbers that are never valid: not finite once parsed, or beyond any bound we use. */
const hugeNumbers = ["1e309", "-1e309", "9".repeat(400), `-${"9".repeat(400)}`];

function wrongTypes(s: JsonSchema): unknown[] {
  const allowed = allowedTypes(s);
  if (!allowed) return [];
  return typedValues.filter(([t]) => !allowed.has(t) && !(t === "integer" && allowed.has("number"))).map(([, v]) => v);
}

/** Fields of an object schema to mutate: top-level properties, and those one object deeper. */
function fieldsOf(s: JsonSchema, base: unknown): { path: string[]; schema: JsonSchema }[] {
  const out: { path: string[]; schema: JsonSchema }[] = [];
  for (const [k, sub] of Object.entries(s.properties ?? {})) {
    out.push({ path: [k], schema: sub });
    const inner = base && typeof base === "object" ? (base as Record<string, unknown>)[k] : undefined;
    if (sub.properties && inner && typeof inner === "object" && !Array.isArray(inner)) {
      for (const [k2, sub2] of Object.entries(sub.properties)) out.push({ path: [k, k2], schema: sub2 });
    }
  }
  return out;
}

function withValue(base: unknown, path: string[], value: unknown): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  at[path[path.length - 1]!] = value;
  return copy;
}

function withoutKey(base: unknown, path: string[]): unknown {
  const copy = structuredClone(base) as Record<string, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string, unknown>;
  delete at[path[path.length - 1]!];
  return copy;
}

/** JSON text with one field's value replaced by raw JSON text (for numbers JSON.stringify cannot write). */
function withRawValue(base: unknown, path: string[], raw: string): string {
  const marker = "__fuzz_raw_value__";
  return JSON.stringify(withValue(base, path, marker)).replace(`"${marker}"`, raw);
}

/** A small multipart body; `text` goes into a form field. */
function multipart(text: string): { type: string; body: string } {
  const b = "----gongzhi-fuzz";
  return {
    type: `multipart/form-data; boundary=${b}`,
    body: `--${b}\r\nContent-Disposition: form-data; name="description"\r\n\r\n${text}\r\n--${b}\r\nContent-Disposition: form-data; name="file"; filename="a\u0000.png"\r\nContent-Type: image/png\r\n\r\n\u0089PNG\r\n--${b}`,
  };
}

const oddStrings = ["%", "_", "\\", "' or 1=1 --", "%_\\%", "\u202e\u200b", "🏠🏠", "１２３", "   ", "a".repeat(2000), "Infinity", "1e309", "-1", "9".repeat(30), "NaN", "2024-02-30T25:61:00Z"];
/** Percent-encoded bytes that are not UTF-8 (a lone surrogate, an overlong slash, a stray byte). */
const badUtf8 = ["%ED%A0%80", "%C0%AF", "%FF"];

// ---- requests ----

function fillPath(op: Operation, values: Record<string, string>): string {
  return op.path.replace(/\{(\w+)\}/g, (_m, name: string) => values[name] ?? "x");
}

function queryString(q: Record<string, string | string[]>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) parts.push(`${encodeURIComponent(k)}=${x}`);
  return parts.length ? `?${parts.join("&")}` : "";
}

/** Encodes a query or path value; `raw` values (already percent-encoded) pass through. */
const enc = (v: string) => encodeURIComponent(v);

function isUuid(s: JsonSchema): boolean {
  return s.format === "uuid" || (s.anyOf ?? []).some((b) => b.format === "uuid");
}
function isNumeric(s: JsonSchema): "integer" | "number" | null {
  const t = allowedTypes(s);
  if (!t || t.has("string")) return null;
  if (t.has("number")) return "number";
  return t.has("integer") ? "integer" : null;
}

/** Text values for a path or query parameter that its schema refuses, raw (percent-encoded). */
function badParamValues(s: JsonSchema): string[] {
  const out = ["%00", "a%1Fb", "%1B%5B31m", "x%0B"];
  const numeric = isNumeric(s);
  const types = allowedTypes(s);
  if (numeric) out.push("Infinity", "-Infinity", "NaN", "1e309", "9".repeat(400), "-" + "9".repeat(30), "abc");
  if (numeric === "integer") out.push("1.5", "9".repeat(30));
  if (isUuid(s)) out.push("not-a-uuid", "00000000-0000-4000-8000-00000000000g", "%27%20or%201%3D1");
  if (s.enum || s.anyOf?.every((b) => b.const !== undefined || b.enum)) out.push("nope");
  if (types?.size === 1 && types.has("boolean")) out.push("maybe", "2");
  return out;
}

export interface GenerateOptions {
  random: () => number;
  /** Body limit of the server, to send one byte more. */
  bodyLimit: number;
}

/** The requests for one operation. */
export function requestsFor(op: Operation, ctx: FuzzContext, opts: GenerateOptions): FuzzRequest[] {
  const out: FuzzRequest[] = [];
  const pick = <T>(xs: T[]): T => xs[Math.floor(opts.random() * xs.length)]!;
  const isGet = op.method === "GET";
  const jsonHeaders = { "content-type": "application/json" };

  // A valid request to vary: real ids in the path, required query parameters, required body fields.
  const pathValues: Record<string, string> = {};
  for (const p of op.pathParams) {
    const real = ctx.pathIds(op, p.name);
    pathValues[p.name] = enc(real.length ? pick(real) : String(sample(p.schema, p.name, ctx)));
  }
  const query: Record<string, string> = {};
  for (const p of op.query) if (p.required) query[p.name] = enc(String(sample(p.schema, p.name, ctx)));
  const body = op.body ? sample(op.body, "body", ctx) : undefined;
  const bodyValid = op.body ? ctx.valid(op, "body", structuredClone(body)) : false;
  const queryValid = op.queryClosed ? ctx.valid(op, "querystring", { ...query }) : true;
  const url = (pv = pathValues, q: Record<string, string | string[]> = query) => fillPath(op, pv) + queryString(q);
  const bodyPart = (): Pick<FuzzRequest, "headers" | "payload"> => (op.body ? { headers: jsonHeaders, payload: JSON.stringify(body) } : { headers: {} });
  const add = (r: Omit<FuzzRequest, "method" | "expect"> & { expect?: FuzzRequest["expect"] }) => out.push({ method: op.method, expect: "reject", ...r });

  // Path parameters.
  for (const p of op.pathParams) {
    // Past 100 characters the router refuses the path before any parameter is named.
    for (const v of badParamValues(p.schema)) add({ url: url({ ...pathValues, [p.name]: v }), ...bodyPart(), what: `path ${p.name}=${v.slice(0, 40)}`, ...(op.open311 || v.length > 100 ? {} : { field: p.name }) });
    add({ url: url({ ...pathValues, [p.name]: "%E0%A4%A" }), ...bodyPart(), what: `path ${p.name} with broken percent-encoding` });
    add({ url: url({ ...pathValues, [p.name]: "a".repeat(300) }), ...bodyPart(), what: `path ${p.name} of 300 characters` });
    if (isGet) {
      for (const v of [ctx.uuid(), ...ctx.otherIds.slice(0, 2)]) add({ url: url({ ...pathValues, [p.name]: v }), headers: {}, what: `path ${p.name} of another record`, expect: "read" });
    } else if (isUuid(p.schema) && (!op.body || bodyValid) && queryValid) {
      // A valid request about a record that does not exist: the handler runs and must answer 4xx.
      add({ url: url({ ...pathValues, [p.name]: ctx.uuid() }), ...bodyPart(), what: `path ${p.name} of a record that does not exist` });
    }
  }

  // Query parameters: wrong values, repeated, unknown. A mutating route is sent only what it must refuse.
  if (op.queryClosed) {
    for (const p of op.query) {
      // Fastify checks the path, then the body, then the query: the field is known when those are valid.
      const field = !op.open311 && (!op.body || bodyValid) ? { field: p.name } : {};
      for (const v of badParamValues(p.schema)) add({ url: url(pathValues, { ...query, [p.name]: v }), ...bodyPart(), what: `query ${p.name}=${v.slice(0, 40)}`, ...field });
      const types = allowedTypes(p.schema);
      if (types && !types.has("array")) add({ url: url(pathValues, { ...query, [p.name]: ["1", "2"] }), ...bodyPart(), what: `query ${p.name} repeated` });
      if (isGet) {
        const odd = isUuid(p.schema) ? [ctx.uuid(), ...ctx.otherIds.slice(0, 2)] : isNumeric(p.schema) ? [String(p.schema.maximum ?? 2147483647), String(p.schema.minimum ?? -2147483648)] : types?.has("string") && !p.schema.enum && !p.schema.format ? oddStrings : [];
        for (const v of odd) {
          const s = p.schema.maxLength !== undefined ? v.slice(0, p.schema.maxLength) : v;
          add({ url: url(pathValues, { ...query, [p.name]: enc(s) }), headers: {}, what: `query ${p.name}=${s.slice(0, 20)} (odd but valid)`, expect: "read" });
        }
        if (odd === oddStrings) for (const v of badUtf8) add({ url: url(pathValues, { ...query, [p.name]: v }), headers: {}, what: `query ${p.name}=${v} (not UTF-8)`, expect: "read" });
      }
    }
    if (!op.open311) add({ url: url(pathValues, { ...query, surprise: "1" }), ...bodyPart(), what: "unknown query parameter", ...(queryValid && (!op.body || bodyValid) ? { field: "surprise" } : {}) });
  }

  // Headers the route reads.
  for (const h of op.headers) {
    add({ url: url(), headers: { ...bodyPart().headers, [h.name]: "x".repeat(5000) }, payload: "{", what: `header ${h.name} of 5000 characters with broken JSON` });
  }

  // Bodies.
  if (op.body) {
    const s = op.body;
    const f = (field: string) => (bodyValid && !op.open311 ? { field } : {});
    for (const { path, schema } of fieldsOf(s, body)) {
      const name = path.join(".");
      for (const v of wrongTypes(schema)) add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withValue(body, path, v)), what: `body ${name} = ${JSON.stringify(v)}`, ...f(name) });
      const types = allowedTypes(schema);
      if (!types || types.has("string")) {
        const c = pick(controls);
        add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withValue(body, path, `甲${c}乙`)), what: `body ${name} with U+${c.charCodeAt(0).toString(16).padStart(4, "0")}`, ...f(name) });
      }
      if (!types || types.has("array")) add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withValue(body, path, ["ok", `x${pick(controls)}`])), what: `body ${name} as an array with a control character` });
      if (!types || types.has("number") || types.has("integer")) {
        for (const raw of hugeNumbers) add({ url: url(), headers: jsonHeaders, payload: withRawValue(body, path, raw), what: `body ${name} = ${raw.slice(0, 12)}…` });
        if (types?.has("integer") && !types.has("number")) add({ url: url(), headers: jsonHeaders, payload: withRawValue(body, path, "4294967296"), what: `body ${name} = 2^32`, ...f(name) });
      }
      if (schema.maxLength !== undefined && (!types || types.has("string"))) {
        add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withValue(body, path, "长".repeat(schema.maxLength + 1))), what: `body ${name} one character too long`, ...f(name) });
      }
    }
    // Free-form fields (GeoJSON features, case attributes, receipts): what is inside them is text and numbers too.
    for (const { path, schema } of fieldsOf(s, body)) {
      const name = path.join(".");
      const types = allowedTypes(schema);
      const open = !types || (types.has("object") && schema.additionalProperties !== false && !schema.properties) || (types.has("array") && !!schema.items && !Array.isArray(schema.items) && !allowedTypes(schema.items));
      if (!open) continue;
      const inner = types?.has("array") && !types.has("object") ? (v: string) => `[${v}]` : (v: string) => `{"k":${v}}`;
      add({ url: url(), headers: jsonHeaders, payload: withRawValue(body, path, inner(`{"a":["x","y\\u0000"]}`)), what: `body ${name} holding a NUL deep inside` });
      add({ url: url(), headers: jsonHeaders, payload: withRawValue(body, path, inner(`{"a":1e309}`)), what: `body ${name} holding 1e309 deep inside` });
      add({ url: url(), headers: jsonHeaders, payload: withRawValue(body, path, inner(`${"[".repeat(5000)}1${"]".repeat(5000)}`)), what: `body ${name} holding 5,000 nested arrays` });
    }
    // Records that do not exist, where the body is otherwise valid: the handler runs and must refuse (404/400/403), not fail on a foreign key.
    if (bodyValid) {
      for (const { path, schema } of fieldsOf(s, body)) {
        if (!isUuid(schema) || path.length > 1 || /idempotency/i.test(path[0]!)) continue;
        add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withValue(body, path, ctx.uuid())), what: `body ${path[0]} of a record that does not exist` });
      }
    }
    // A required field with a default is filled in by the validator: leaving it out is valid.
    for (const k of (s.required ?? []).filter((k) => s.properties?.[k]?.default === undefined)) add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(withoutKey(body, [k])), what: `body without ${k}`, ...f(k) });
    if (s.additionalProperties === false) {
      add({ url: url(), headers: jsonHeaders, payload: JSON.stringify({ ...(body as object), surprise: "字段" }), what: "body with an unknown field", ...f("surprise") });
      add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(body).replace(/^\{/, '{"__proto__":{"isAdmin":true},'), what: "body with __proto__" });
      add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(body).replace(/^\{/, '{"constructor":{"prototype":{"isAdmin":true}},'), what: "body with constructor.prototype" });
      add({ url: url(), headers: jsonHeaders, payload: JSON.stringify({ ...(body as object), [`k${pick(controls)}`]: 1 }), what: "body with a control character in a field name" });
    }
    const deep = `${"[".repeat(20_000)}${"]".repeat(20_000)}`;
    add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(body).replace(/^\{/, `{"deep":${deep},`), what: "body with 20,000 nested arrays" });
    for (const whole of ["null", "[]", '"text"', "123", "true", '[{"a":1}]']) add({ url: url(), headers: jsonHeaders, payload: whole, what: `body ${whole}` });
    if ((s.required ?? []).length > 0 || (s.minProperties ?? 0) > 0) add({ url: url(), headers: jsonHeaders, payload: "{}", what: "empty object" });
    add({ url: url(), headers: jsonHeaders, payload: JSON.stringify(body).replace(/\}$/, ',"dup":1,"dup":"\\u0000"}'), what: "duplicate keys, the last with NUL" });
    add({ url: url(), headers: { "content-type": "text/plain" }, payload: JSON.stringify(body), what: "JSON as text/plain" });
    add({ url: url(), headers: { "content-type": "application/json" }, payload: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]), what: "invalid UTF-8" });
  }

  // Uploads read from the raw body (ledger and hotline imports, photos): files that are not what they claim.
  if (op.method === "POST" && !op.body) {
    const rows = Array.from({ length: 400 }, (_, i) => `甲${i},乙,${i}`).join("\n");
    const uploads: [string, string | Buffer, string][] = [
      ["text/csv", `列一,列二,列三\n${rows}\n尾\u0000行,x,1\n`, "CSV with a NUL past the first 8 KB"],
      ["text/csv", `列\u001b一,列二\n值,值\n`, "CSV with a control character in a header"],
      ["text/csv", `"未闭合的引号,列二\n值,值\n`, "CSV with an open quote"],
      ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Buffer.concat([Buffer.from("PK\u0003\u0004"), Buffer.alloc(64, 0xa5)]), "a ZIP header and junk as .xlsx"],
      ["application/octet-stream", Buffer.alloc(256, 0), "256 zero bytes"],
      ["image/png", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), "a PNG signature and nothing else"],
      ["image/jpeg", Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]), "a truncated JPEG"],
    ];
    for (const [type, payload, what] of uploads) {
      add({ url: url(), headers: { "content-type": type, "x-file-name": enc(`台账${pick(controls)}.csv`) }, payload, what: `${what}, file name with a control character` });
      add({ url: url(), headers: { "content-type": type, "x-file-name": enc("台账.csv"), "x-column-mapping": pick(["%7B%22a%22%3A", enc(JSON.stringify({ a: "\u0000" })), enc("[[[[1]]]]")]) }, payload, what: `${what}, a bad column mapping` });
      add({ url: url(), headers: { "content-type": type, "x-file-name": enc("台账.csv") }, payload, what });
    }
  }
  if (op.open311 && op.method === "POST") {
    const form = ctx.open311Form;
    const formBody = (f: Record<string, string | string[]>) => new URLSearchParams(Object.entries(f).flatMap(([k, v]): [string, string][] => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v]]))).toString();
    const formHeaders = { "content-type": "application/x-www-form-urlencoded" };
    const bad: [string, string | string[]][] = [
      ...Object.keys(form).map((k): [string, string] => [k, `${form[k]}${pick(controls)}`]),
      ...["Infinity", "-Infinity", "NaN", "1e309", "-91", "181", "9".repeat(400), "0x1F", "", "  "].flatMap((v): [string, string][] => [["lat", v], ["long", v]]),
      ["service_code", "nope"],
      ["service_code", ""],
      ["api_key", "gzk_forged_forged"],
      ["api_key", ""],
      ["description", "长".repeat(4001)],
      ["description", "<script>alert(1)</script>"],
      ["attribute[BIN_TYPE]", "x\u0000"],
      ["media_url", "javascript:alert(1)\u0000"],
      ["lat", ["30.6", "30.7"]],
    ];
    for (const [k, v] of bad) add({ url: url(), headers: formHeaders, payload: formBody({ ...form, [k]: v }), what: `Open311 form ${k}=${JSON.stringify(v).slice(0, 30)}` });
    for (const v of [123, true, null, ["x", 1], { a: 1 }]) add({ url: url(), headers: jsonHeaders, payload: JSON.stringify({ ...form, description: v }), what: `Open311 JSON description ${JSON.stringify(v)}` });
  }

  // Parsing: every route must refuse what it cannot read, before anything runs. A route without a
  // body schema gets only bodies that fail to parse (anything parsed would be ignored and the action run).
  const parseFailures: [Record<string, string>, string | Buffer, string][] = [
    [jsonHeaders, '{"a":', "broken JSON"],
    [jsonHeaders, "", "empty JSON body"],
    [{ "content-type": "application/xml" }, "<a>\u0000</a>", "XML"],
    [{ "content-type": "application/json; charset=utf-16" }, Buffer.from('{"a":1}', "utf16le"), "UTF-16 JSON"],
  ];
  const mp = multipart(`甲${pick(controls)}乙`);
  // The photo upload reads any type (to answer photo_not_image); Open311 reads forms.
  if (op.path !== "/api/case-photos") parseFailures.push([{ "content-type": mp.type }, mp.body, "multipart with a control character"]);
  if (!op.open311 && op.path !== "/api/case-photos") parseFailures.push([{ "content-type": "application/x-www-form-urlencoded" }, "a=%00&b=1", "form body"]);
  if (op.method !== "GET" && op.method !== "DELETE") {
    for (const [headers, payload, what] of parseFailures) add({ url: url(), headers, payload, what });
    add({ url: url(), headers: jsonHeaders, payload: `{"a":"${"x".repeat(opts.bodyLimit + 1)}"}`, what: "body over the size limit", anonymousOnly: true });
  }
  return out;
}
