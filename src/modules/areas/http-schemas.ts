/** Request and response schemas shared by the area routes. */
import { Type } from "typebox";
import { named, Nullable } from "../../platform/http/schemas.js";

/** A calendar day, YYYY-MM-DD. */
export const Day = Type.String({ format: "date", description: "YYYY-MM-DD" });

export const GridTypeSchema = Type.Union([Type.Literal("comprehensive"), Type.Literal("dedicated")]);

const Position = Type.Array(Type.Number(), { minItems: 2, maxItems: 3 });
export const GeometrySchema = Type.Union([
  Type.Object({ type: Type.Literal("Polygon"), coordinates: Type.Array(Type.Array(Position)) }),
  Type.Object({ type: Type.Literal("MultiPolygon"), coordinates: Type.Array(Type.Array(Type.Array(Position))) }),
]);
export const PolygonSchema = Type.Object({ type: Type.Literal("Polygon"), coordinates: Type.Array(Type.Array(Position)) });
export const LineStringSchema = Type.Object({ type: Type.Literal("LineString"), coordinates: Type.Array(Position, { minItems: 2 }) }, { additionalProperties: false });

export const LineageLink = named("AreaLineageLink", Type.Object({
  kind: Type.Union([Type.Literal("split"), Type.Literal("merge")]),
  effectiveOn: Type.String(),
  area: Type.Object({ id: Type.String(), name: Type.String(), code: Nullable(Type.String()), validFrom: Nullable(Type.String()), validTo: Nullable(Type.String()) }),
}));
