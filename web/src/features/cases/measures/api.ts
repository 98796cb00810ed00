import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api";

export type UnitKind = "grid" | "community" | "street" | "department";
export const unitKinds: readonly UnitKind[] = ["grid", "community", "street", "department"];
export const measureKeys = ["response", "resolution", "satisfaction", "onTimeClosing", "closing", "rework", "repeat", "reportIn", "onTimeReportIn", "completion"] as const;
export type MeasureKey = (typeof measureKeys)[number];

export interface Bilingual {
  zh: string;
  en: string;
}
/** A rate as the server counts it: value = numerator ÷ denominator, null when the denominator is 0. */
export interface Ratio {
  numerator: number;
  denominator: number;
  value: number | null;
}
export interface Formula {
  key: MeasureKey;
  name: Bilingual;
  formula: Bilingual;
  lowerIsBetter: boolean;
}
export type Weights = Partial<Record<MeasureKey, number>>;
export interface EffectiveWeights {
  source: "area" | "deployment" | "builtIn";
  areaId: string | null;
  fromMonth: string | null;
  weights: Weights;
}
export interface MeasureRow {
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  measures: Partial<Record<MeasureKey, Ratio>>;
  meanScore: number | null;
  meanHandlingHours: number | null;
  composite: number | null;
  rank: number | null;
  weightsFrom: EffectiveWeights;
}
export interface MeasuresView {
  month: string;
  unit: UnitKind;
  area: { id: string; name: string; level: string } | null;
  basicCounts: boolean;
  formulas: Formula[];
  composite: Bilingual;
  rows: MeasureRow[];
}
export interface TrendView {
  unitId: string;
  unitName: string;
  unitKind: UnitKind;
  formulas: Formula[];
  points: { month: string; measures: Partial<Record<MeasureKey, Ratio>>; composite: number | null }[];
}
export interface WeightsView {
  areaId: string | null;
  month: string;
  effective: EffectiveWeights;
  history: { fromMonth: string; weights: Weights; setAt: string }[];
  canEdit: boolean;
  defaults: Weights;
}

export function useMeasures(q: { unit: UnitKind; areaId: string | undefined; month: string; basicCounts: boolean }, enabled: boolean) {
  return useQuery({
    queryKey: ["measures", q],
    queryFn: ({ signal }) => api<MeasuresView>("/api/measures", { query: { ...q }, signal }),
    enabled,
  });
}

export function useMeasureTrend(unitId: string | undefined, month: string) {
  return useQuery({
    queryKey: ["measures", "trend", unitId, month],
    queryFn: ({ signal }) => api<TrendView>("/api/measures/trend", { query: { unitId, month, months: 6 }, signal }),
    enabled: Boolean(unitId),
  });
}

export function useMeasureWeights(areaId: string | undefined, month: string, enabled: boolean) {
  return useQuery({
    queryKey: ["measures", "weights", areaId ?? null, month],
    queryFn: ({ signal }) => api<WeightsView>("/api/measures/weights", { query: { areaId, month }, signal }),
    enabled,
  });
}

export function useSetMeasureWeights() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { areaId: string | null; fromMonth: string; weights: Weights }) => api<WeightsView>("/api/measures/weights", { method: "PUT", body }),
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
