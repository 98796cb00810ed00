import { skipToken, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { http, type Answer, type Body, type Schema } from "../../api";

export type MeasuresView = Schema<"MeasuresView">;
export type MeasureRow = Schema<"MeasureRow">;
export type Formula = Schema<"MeasureFormula">;
export type EffectiveWeights = Schema<"EffectiveWeights">;
export type WeightsView = Schema<"WeightsView">;
export type TrendView = Answer<"get", "/api/measures/trend">;
export type UnitKind = MeasureRow["unitKind"];
export type MeasureKey = Formula["key"];
/** A text in both languages (measure names, formulas). */
export type Bilingual = Formula["name"];
/** A rate as the server counts it: value = numerator ÷ denominator, null when the denominator is 0. */
export type Ratio = NonNullable<MeasureRow["measures"][string]>;
export type Weights = Body<"put", "/api/measures/weights">["weights"];

export const unitKinds = ["grid", "community", "street", "department"] as const satisfies readonly UnitKind[];

/** unit and month left out: the server picks (the level below the area, the latest month with cases) and says so in the view. */
export function useMeasures(q: { unit: UnitKind | undefined; areaId: string | undefined; month: string | undefined; basicCounts: boolean }, enabled: boolean) {
  return useQuery({
    queryKey: ["measures", q],
    queryFn: ({ signal }) => http.get("/api/measures", { params: { query: q }, signal }),
    enabled,
  });
}

export function useMeasureTrend(unitId: string | undefined, month: string) {
  return useQuery({
    queryKey: ["measures", "trend", unitId, month],
    queryFn: unitId ? ({ signal }) => http.get("/api/measures/trend", { params: { query: { unitId, month, months: 6 } }, signal }) : skipToken,
  });
}

export function useMeasureWeights(areaId: string | undefined, month: string, enabled: boolean) {
  return useQuery({
    queryKey: ["measures", "weights", areaId ?? null, month],
    queryFn: ({ signal }) => http.get("/api/measures/weights", { params: { query: { areaId, month } }, signal }),
    enabled,
  });
}

export function useSetMeasureWeights() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: Body<"put", "/api/measures/weights">) => http.put("/api/measures/weights", { body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: ["measures"] }),
  });
}

/** "93.4 %", or null when there is no denominator (shown as "—"). */
export function percent(value: number | null | undefined, lang: string): string | null {
  if (value === null || value === undefined) return null;
  return `${(value * 100).toLocaleString(lang, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} %`;
}

export function inLang(b: Bilingual, lang: string): string {
  return lang.startsWith("en") ? b.en : b.zh;
}
