/** Shared TypeBox schemas for routes and OpenAPI. */
import { Type, type Static, type TSchema } from "typebox";

export const ErrorSchema = Type.Object(
  {
    code: Type.String({ description: "stable machine code, e.g. not_found" }),
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

/** `T` or null. */
export const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
