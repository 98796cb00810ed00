/** Shared TypeBox schemas for routes and OpenAPI. */
import { Type, type Static, type TSchema, type TUnsafe } from "typebox";
import { errorCodes } from "../errors.js";
import { tabularErrorCodes } from "../tabular/errors.js";
import type { Policy } from "../policy/index.js";
import { consoleSectionKeys } from "../console-sections.js";

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: "stable machine code, e.g. not_found (one of ErrorCode)" }),
    message: Type.String({ description: "human message in zh-CN or en (Accept-Language)" }),
    field: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
  },
  { $id: "Error", title: "Error" },
);

export const Uuid = Type.String({ format: "uuid" });
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

/**
 * The error shape by reference: registered once with the server (`app.addSchema(ErrorSchema)`),
 * so the OpenAPI document names it as one component instead of repeating it for every status of
 * every route.
 */
const ErrorRef = Type.Unsafe<Static<typeof ErrorSchema>>(Type.Ref("Error"));

/** Error responses a route may give, for the OpenAPI document. */
export function errorResponses(...statuses: number[]): Record<number, typeof ErrorRef> {
  const out: Record<number, typeof ErrorRef> = {};
  for (const s of [400, ...statuses]) out[s] = ErrorRef;
  return out;
}

/**
 * Every code an error answer may carry (platform's, each module's and the import pipeline's),
 * named in the OpenAPI document for clients that switch on `code`. Documentation only:
 * `Error.code` stays a string, so an answer is serialized the same way whatever its code. Built
 * when the server is, after every module has defined its codes.
 */
function errorCodeSchema(): TSchema {
  return Type.Union(
    [...errorCodes().map((c) => c.code), ...tabularErrorCodes].map((code) => Type.Literal(code)),
    { $id: "ErrorCode", title: "ErrorCode" },
  );
}

/** The console's sections the session answer flags (`SessionUser.sections`), built like ErrorCode once every owner declared its own. */
function consoleSectionsSchema(): TSchema {
  return Type.Object(Object.fromEntries(consoleSectionKeys().map((k) => [k, Type.Boolean()])), {
    $id: "ConsoleSections",
    title: "ConsoleSections",
    description: "per console section (menu entry): whether one of your roles opens it",
  });
}

/** `ConsoleSections` by reference, for the session answer. */
export const ConsoleSectionsRef = Type.Unsafe<Record<string, boolean>>(Type.Ref("ConsoleSections"));

const namedSchemas = new Map<string, TSchema>([["Error", ErrorSchema]]);

/**
 * A response shape by reference, named once in the OpenAPI document (`#/components/schemas/<id>`)
 * so clients (the web app's generated types) get one type per shape instead of a copy per route.
 * The schema itself is registered with the server (`app.addSchema`, see `sharedSchemas`) and the
 * serializer resolves the reference, so the JSON sent is the same as with the schema inline.
 * Responses only: the input validator does not resolve shared references.
 */
export function named<T extends TSchema>(id: string, schema: T): TUnsafe<Static<T>> {
  if (namedSchemas.has(id) || id === "ErrorCode" || id === "ConsoleSections") throw new Error(`schema ${id} is named twice`);
  namedSchemas.set(id, { ...schema, $id: id, title: id });
  return Type.Unsafe<Static<T>>(Type.Ref(id));
}

/** Every named schema, for `app.addSchema` (modules name theirs when they are imported). */
export function sharedSchemas(): readonly TSchema[] {
  const [error, ...rest] = namedSchemas.values();
  return [error!, errorCodeSchema(), consoleSectionsSchema(), ...rest];
}

/** `T` or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

/**
 * The `abilities` a record is sent with (`abilities(policy, actor, record)`): one boolean per
 * action of the policy, plus `extra` keys a service adds, so the web app's generated types name
 * every key and a renamed action is a type error there instead of a silent `undefined`.
 */
export function abilitiesSchema<R, A extends string, E extends string = never>(policy: Policy<R, A>, extra: readonly E[] = []): TUnsafe<Record<A | "read" | E, boolean>> {
  const keys = [...Object.keys(policy), ...extra];
  return Type.Unsafe<Record<A | "read" | E, boolean>>(
    Type.Object(Object.fromEntries(keys.map((k) => [k, Type.Boolean()])), { description: "what you may do with this record (the module's policy)" }),
  );
}
