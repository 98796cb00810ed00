import type { CoverageFigures, CoverageRatio } from "./api";

/**
 * How a grid is coloured on the map in 覆盖情况: by the share of its households that a red grid
 * member looks after, grey (hatched) when it has no party organization at all.
 */
export type CoverageClass = "good" | "fair" | "poor" | "noPartyOrg" | "noHouseholds" | "unknown";

export const coverageThresholds = { good: 0.9, fair: 0.6 } as const;

export const coverageClasses: readonly CoverageClass[] = ["good", "fair", "poor", "noPartyOrg", "noHouseholds"];

export const coverageColours: Record<CoverageClass, { fill: string; stroke: string }> = {
  good: { fill: "#95de64", stroke: "#389e0d" },
  fair: { fill: "#ffd666", stroke: "#d48806" },
  poor: { fill: "#ff7875", stroke: "#cf1322" },
  noPartyOrg: { fill: "#bfbfbf", stroke: "#262626" },
  noHouseholds: { fill: "#f5f5f5", stroke: "#8c8c8c" },
  unknown: { fill: "#e8e8e8", stroke: "#bfbfbf" },
};

export function classifyGrid(f: CoverageFigures | undefined): CoverageClass {
  if (!f) return "unknown";
  if (f.grids.denominator > 0 && f.grids.numerator === 0) return "noPartyOrg";
  const r = f.households.ratio;
  if (r === null) return "noHouseholds";
  if (r >= coverageThresholds.good) return "good";
  if (r >= coverageThresholds.fair) return "fair";
  return "poor";
}

/** 93.4 %, 100 %; the interface language decides the spacing and sign. */
export function formatRatio(r: CoverageRatio | { ratio: number | null }, language: string): string | null {
  if (r.ratio === null) return null;
  return new Intl.NumberFormat(language, { style: "percent", maximumFractionDigits: 1 }).format(r.ratio);
}

/** The formula in the interface language. */
export function formulaText(r: CoverageRatio, language: string): string {
  return language === "en" ? r.formulaEn : r.formula;
}
