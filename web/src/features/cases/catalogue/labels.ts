import type { TFunction } from "i18next";
import type { TimeLimit } from "./api";

/** "4 个工作小时", "3 个工作日", "30 分钟" (natural time under an hour). */
export function formatLimit(t: TFunction, limit: TimeLimit | null): string {
  if (!limit) return "—";
  if (limit.unit === "naturalHours" && limit.value < 1) return t("caseCatalogue.limit.minutes", { count: Math.round(limit.value * 60) });
  return t(`caseCatalogue.limit.${limit.unit}`, { count: limit.value });
}
