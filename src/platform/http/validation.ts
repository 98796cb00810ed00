/**
 * How every route's input is checked, in one place (the validator compiler of the app):
 *
 * - Query strings, path parameters and headers arrive as text, so they are coerced to the
 *   schema's types; JSON bodies are not — a `true` where a name is expected is refused, never
 *   read as "true".
 * - Numbers must be finite (Ajv's coercion turns "Infinity" or "1e309" into Infinity and then
 *   skips `minimum`/`maximum`), and an integer without its own bounds is held to PostgreSQL's
 *   `integer` range, so that no input reaches SQL as an out-of-range number.
 * - No text, anywhere in the input (also inside free-form JSON such as case attributes), may hold
 *   a C0 control character other than tab, line feed and carriage return: PostgreSQL refuses NUL
 *   in text and JSON, and the others have no business in a name or a report.
 *
 * A refusal is an ordinary validation error naming the field, so every route answers it in its
 * own format (the platform's `validation_failed`, or Open311's errors).
 */
import { Ajv, type ErrorObject, type Options, type ValidateFunction } from "ajv";
import formatsModule from "ajv-formats";
import type { FastifySchemaCompiler } from "fastify";
import type { TSchema } from "typebox";
import { hasControlCharacters } from "../text.js";


/** Bounds of an integer whose schema names none: PostgreSQL's `integer`. */
export const defaultIntegerBounds = { minimum: -2147483648, maximum: 2147483647 } as const;

// ajv-formats is CommonJS; depending on the loader its plugin is the module or its `default`.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ?? formatsModule) as unknown as (ajv: Ajv) => Ajv;

function buildAjv(coerceTypes: Options["coerceTypes"]): Ajv {
  // As Fastify's defaults, but additional properties are refused rather than dropped.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, removeAdditional: false, addUsedSchema: false, allErrors: false });
  addFormats(ajv);
  return ajv;
}

const strictAjv = buildAjv(false);
const coercingAjv = buildAjv("array");

type Schema = Record<string, unknown>;

/**
 * A copy of `schema` in which every integer without bounds gets PostgreSQL's integer range. The
 * route's own schema (and so the OpenAPI document) is left as it is.
 */
export function withIntegerBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withIntegerBounds);
  if (!schema || typeof schema !== "object") return schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(schema as Schema)) {
    // `properties`, `$defs` and `patternProperties` map names to schemas; `enum`, `const`,
    // `default` and `examples` hold values, not schemas.
    if (k === "enum" || k === "const" || k === "default" || k === "examples") out[k] = v;
    else if ((k === "properties" || k === "$defs" || k === "definitions" || k === "patternProperties") && v && typeof v === "object") {
      out[k] = Object.fromEntries(Object.entries(v as Schema).map(([name, sub]) => [name, withIntegerBounds(sub)]));
    } else out[k] = withIntegerBounds(v);
  }
  const type = out.type;
  if (type === "integer" || (Array.isArray(type) && type.includes("integer"))) {
    if (out.minimum === undefined && out.exclusiveMinimum === undefined) out.minimum = defaultIntegerBounds.minimum;
    if (out.maximum === undefined && out.exclusiveMaximum === undefined) out.maximum = defaultIntegerBounds.maximum;
  }
  return out;
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/**
 * The first place in `value` (depth-first, as a JSON pointer) holding text with a forbidden
 * control character or a number that is not finite, and what is wrong there; null if none.
 * Iterative, so that a deeply nested body cannot overflow the stack.
 */
export function findUnsafeValue(value: unknown): { instancePath: string; message: string } | null {
  // Almost every body is clean: look first without building a path for every value, and walk
  // again with paths only to name the field of a refusal.
  if (!holdsUnsafeValue(value)) return null;
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length > 0) {
    const [v, at] = stack.pop()!;
    if (typeof v === "string") {
      if (hasControlCharacters(v)) return { instancePath: at, message: "must not contain control characters" };
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return { instancePath: at, message: "must be a finite number" };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${at}/${i}`]);
    } else if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
      const entries = Object.entries(v as Schema);
      for (const [k] of entries) if (hasControlCharacters(k)) return { instancePath: at, message: "must not have property names with control characters" };
      for (let i = entries.length - 1; i >= 0; i--) stack.push([entries[i]![1], `${at}/${escapePointer(entries[i]![0])}`]);
    }
  }
  return null;
}

/** Whether `value` holds anything `findUnsafeValue` would name; iterative, builds no paths. */
function holdsUnsafeValue(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (hasControlCharacters(v)) return true;
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return true;
    } else if (Array.isArray(v)) {
      for (const x of v) stack.push(x);
    } else if (v && typeof v === "object" && !Buffer.isBuffer(v)) {
      for (const k in v) {
        if (!Object.hasOwn(v, k)) continue;
        if (hasControlCharacters(k)) return true;
        stack.push((v as Schema)[k]);
      }
    }
  }
  return false;
}

/**
 * Validates one part of a request: Ajv by the (bounded) schema, then the whole value — coerced,
 * with defaults — for control characters and non-finite numbers.
 */
function checker(validate: ValidateFunction) {
  return (data: unknown): { value: unknown } | { error: ErrorObject[] } => {
    // A holder lets Ajv replace the root value itself when it coerces it.
    const holder = { value: data };
    if (!validate(data, { instancePath: "", parentData: holder, parentDataProperty: "value", rootData: data as Record<string, unknown>, dynamicAnchors: {} })) return { error: validate.errors ?? [] };
    const unsafe = findUnsafeValue(holder.value);
    if (unsafe) return { error: [{ ...unsafe, keyword: "safeInput", schemaPath: "#", params: {} }] };
    return { value: holder.value };
  };
}

const compiled = { strict: new WeakMap<object, ReturnType<typeof checker>>(), coercing: new WeakMap<object, ReturnType<typeof checker>>() };

/** Fastify's validator compiler: strict for bodies, coercing for query strings, path parameters and headers. */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const kind = httpPart === "body" ? "strict" : "coercing";
  // Shared schemas (IdParams, …) are compiled once.
  let fn = compiled[kind].get(schema);
  if (!fn) {
    fn = checker((kind === "strict" ? strictAjv : coercingAjv).compile(withIntegerBounds(schema) as Schema));
    compiled[kind].set(schema, fn);
  }
  return fn;
};
