/** 考核指标 over HTTP (the measures module): monthly measures per unit, rankings, a unit's trend, and the composite weights. */
import { Type } from "typebox";
import type { App } from "../../platform/http/server.js";
import { authenticate } from "../../platform/http/auth.js";
import { errorResponses, named, Nullable, Uuid } from "../../platform/http/schemas.js";
import { getWeights, listMeasures, measureTrend, rankMeasures, setWeights } from "./service.js";

const Month = Type.String({ pattern: "^\\d{4}-(0[1-9]|1[0-2])$", description: "China month, YYYY-MM" });
const Bilingual = Type.Object({ zh: Type.String(), en: Type.String() });
const Ratio = Type.Object({
  numerator: Type.Integer(),
  denominator: Type.Integer(),
  value: Nullable(Type.Number({ description: "numerator ÷ denominator; null when the denominator is 0" })),
});
const MeasureKey = Type.Union([
  Type.Literal("response"),
  Type.Literal("resolution"),
  Type.Literal("satisfaction"),
  Type.Literal("onTimeClosing"),
  Type.Literal("closing"),
  Type.Literal("rework"),
  Type.Literal("repeat"),
  Type.Literal("reportIn"),
  Type.Literal("onTimeReportIn"),
  Type.Literal("completion"),
]);
const Weights = Type.Record(Type.String(), Type.Number());
const Measures = Type.Record(Type.String(), Ratio);
const Formula = named("MeasureFormula", Type.Object({ key: MeasureKey, name: Bilingual, formula: Bilingual, lowerIsBetter: Type.Boolean() }));
const EffectiveWeights = named("EffectiveWeights", Type.Object({
  source: Type.Union([Type.Literal("area"), Type.Literal("deployment"), Type.Literal("builtIn")]),
  areaId: Nullable(Type.String()),
  fromMonth: Nullable(Type.String()),
  weights: Weights,
}));
const UnitKind = Type.Union([Type.Literal("grid"), Type.Literal("community"), Type.Literal("street"), Type.Literal("department")]);
const Row = named("MeasureRow", Type.Object({
  unitId: Type.String(),
  unitName: Type.String(),
  unitKind: UnitKind,
  measures: Measures,
  meanScore: Nullable(Type.Number()),
  meanHandlingHours: Nullable(Type.Number()),
  summonsOnBehalf: Nullable(Type.Integer({ description: "departments: summons of the month whose part the summoning side recorded for them (代为登记)" })),
  composite: Nullable(Type.Number({ description: "0–100" })),
  caseCount: Type.Integer({ description: "办件量: the largest denominator among the rates weighted in the composite" }),
  tooFewCases: Type.Boolean({ description: "fewer cases than minCases: listed after the ranked units, rank null" }),
  rank: Nullable(Type.Integer()),
  weightsFrom: EffectiveWeights,
}));
const MeasuresView = named("MeasuresView", Type.Object({
  month: Type.String(),
  unit: UnitKind,
  area: Nullable(Type.Object({ id: Type.String(), name: Type.String(), level: Type.String() })),
  basicCounts: Type.Boolean(),
  formulas: Type.Array(Formula),
  composite: Bilingual,
  rows: Type.Array(Row),
  monthSource: Type.Union([Type.Literal("requested"), Type.Literal("latestWithData"), Type.Literal("current")], {
    description: "requested: the month asked for; latestWithData: none asked, the latest month with cases in scope; current: none asked and no cases at all",
  }),
  latestMonthWithData: Nullable(Type.String({ description: "when the month has no figures: the nearest earlier month with cases (else the latest one)" })),
  minCases: Type.Integer({ description: "least 办件量 a unit needs to be ranked (GONGZHI_MEASURES_MIN_CASES)" }),
  rankRule: Bilingual,
}));
const WeightsView = named("WeightsView", Type.Object({
  areaId: Nullable(Type.String()),
  month: Type.String(),
  effective: EffectiveWeights,
  history: Type.Array(Type.Object({ fromMonth: Type.String(), weights: Weights, setAt: Type.String() })),
  canEdit: Type.Boolean(),
  defaults: Weights,
}));

export async function measureRoutes(app: App): Promise<void> {
  const db = () => app.ctx.database.db;

  app.get(
    "/api/measures",
    {
      schema: {
        tags: ["cases"],
        summary: "Monthly measures (考核指标) of the grids, communities, streets or departments under an area, with formulas, composite and rank (by default the level below the area, in the latest month with cases)",
        querystring: Type.Object(
          {
            // No unit: the level below the area (departments for department staff); no month: the latest month with cases.
            unit: Type.Optional(UnitKind),
            areaId: Type.Optional(Uuid),
            month: Type.Optional(Month),
            basicCounts: Type.Optional(Type.Boolean({ description: "基本满意 counts as satisfied (default true)" })),
          },
          { additionalProperties: false },
        ),
        response: { 200: MeasuresView, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => listMeasures(db(), await authenticate(req), req.query, app.ctx.config.measuresMinCases),
  );

  app.get(
    "/api/measures/rankings",
    {
      schema: {
        tags: ["cases"],
        summary: "Monthly ranking of the streets of a district, or of departments, by composite score",
        querystring: Type.Object(
          { level: Type.Union([Type.Literal("street"), Type.Literal("department")]), month: Type.Optional(Month), areaId: Type.Optional(Uuid) },
          { additionalProperties: false },
        ),
        response: { 200: MeasuresView, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => rankMeasures(db(), await authenticate(req), req.query, app.ctx.config.measuresMinCases),
  );

  app.get(
    "/api/measures/trend",
    {
      schema: {
        tags: ["cases"],
        summary: "One unit's measures and composite over the last months",
        querystring: Type.Object(
          { unitId: Uuid, months: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 })), month: Type.Optional(Month) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            unitId: Type.String(),
            unitName: Type.String(),
            unitKind: UnitKind,
            formulas: Type.Array(Formula),
            points: Type.Array(Type.Object({ month: Type.String(), measures: Measures, composite: Nullable(Type.Number()) })),
          }),
          ...errorResponses(401, 403, 404),
        },
      },
    },
    async (req) => measureTrend(db(), await authenticate(req), req.query),
  );

  app.get(
    "/api/measures/weights",
    {
      schema: {
        tags: ["cases"],
        summary: "Composite weights in force for an area (or the deployment) at a month",
        querystring: Type.Object({ areaId: Type.Optional(Uuid), month: Type.Optional(Month) }, { additionalProperties: false }),
        response: { 200: WeightsView, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => getWeights(db(), await authenticate(req), req.query),
  );

  app.put(
    "/api/measures/weights",
    {
      schema: {
        tags: ["cases"],
        summary: "Set the composite weights of an area (street administrator) or the deployment (system administrator) from a month on",
        body: Type.Object(
          {
            areaId: Nullable(Uuid),
            fromMonth: Month,
            weights: Type.Record(Type.String(), Type.Number(), { description: "measure → weight; non-negative, summing to 100" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: WeightsView, ...errorResponses(401, 403, 404) },
      },
    },
    async (req) => setWeights(db(), await authenticate(req), req.body),
  );
}
