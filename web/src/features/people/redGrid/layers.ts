import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import type { GridOverlay, LegendItem, MapProblem } from "../../areas/AreaMap";
import type { AreaFeatureCollection } from "../../areas/types";
import { useGridCoverages, useTopology, type TopologyReport } from "./api";
import { classifyGrid, coverageClasses, coverageColours, formatRatio } from "./coverage";

/**
 * The areas to ask for per-grid coverage: the map's own area when the collection has one top node
 * (one request for all its grids), otherwise the communities of its grids.
 */
export function coverageAreas(data: AreaFeatureCollection | undefined): string[] {
  const features = data?.features ?? [];
  const ids = new Set(features.map((f) => f.properties.id));
  const tops = features.filter((f) => !f.properties.parentId || !ids.has(f.properties.parentId));
  if (tops.length === 1) return [tops[0]!.properties.id];
  const grids = features.filter((f) => f.properties.level === "grid");
  return [...new Set(grids.map((g) => g.properties.parentId ?? g.properties.id))];
}

/** 覆盖情况: each grid of the map coloured by its households' red grid coverage. */
export function useCoverageLayer(data: AreaFeatureCollection | undefined, enabled: boolean) {
  const { t, i18n } = useTranslation();
  const gridIds = useMemo(
    () => (data?.features ?? []).filter((f) => f.properties?.level === "grid").map((f) => f.properties.id),
    [data],
  );
  const coverages = useGridCoverages(useMemo(() => coverageAreas(data), [data]), enabled);

  const gridStyles = useMemo(() => {
    if (!enabled) return undefined;
    const styles = new Map<string, GridOverlay>();
    for (const id of gridIds) {
      const figures = coverages.byGrid.get(id);
      const cls = classifyGrid(figures);
      const pct = figures ? formatRatio(figures.households, i18n.language) : null;
      const note =
        cls === "noPartyOrg"
          ? t("coverage.map.noPartyOrgNote", { value: pct ?? t("common.none") })
          : cls === "unknown"
            ? undefined
            : cls === "noHouseholds"
              ? t("coverage.map.noHouseholdsNote")
              : t("coverage.map.householdsNote", { value: pct });
      styles.set(id, { ...coverageColours[cls], hatch: cls === "noPartyOrg", ...(note ? { note } : {}) });
    }
    return styles;
  }, [enabled, gridIds, coverages.byGrid, t, i18n.language]);

  const legend = useMemo<LegendItem[] | undefined>(
    () =>
      enabled
        ? coverageClasses.map((cls) => ({ key: cls, label: t(`coverage.map.legend.${cls}`), ...coverageColours[cls], hatch: cls === "noPartyOrg" }))
        : undefined,
    [enabled, t],
  );

  return {
    gridStyles,
    legend,
    legendTitle: enabled ? t("coverage.map.legendTitle") : undefined,
    pending: enabled && coverages.pending,
    error: enabled ? coverages.error : null,
  };
}

function formatArea(m2: number, language: string): string {
  return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(m2);
}

/** 拓扑检查: the community's gaps, overlaps and parts outside, as red shapes with their areas. */
export function useTopologyLayer(communityId: string | undefined, enabled: boolean) {
  const { t, i18n } = useTranslation();
  const query = useTopology(communityId, enabled);
  const report: TopologyReport | undefined = enabled ? query.data : undefined;

  const problems = useMemo<MapProblem[] | undefined>(() => {
    if (!report) return undefined;
    // The head names the grids and the area; the server's full message is listed under the map.
    const text = (head: string, _message: string) => head;
    const list: MapProblem[] = [];
    report.overlaps.forEach((o, i) =>
      list.push({
        key: `overlap-${i}`,
        kind: "overlap",
        geometry: o.geometry,
        tooltip: text(t("topology.tooltip.overlap", { a: o.gridA.name, b: o.gridB.name, area: formatArea(o.areaM2, i18n.language) }), o.message),
      }),
    );
    report.gaps.forEach((g, i) =>
      list.push({
        key: `gap-${i}`,
        kind: "gap",
        geometry: g.geometry,
        tooltip: text(t("topology.tooltip.gap", { area: formatArea(g.areaM2, i18n.language) }), g.message),
      }),
    );
    report.outside.forEach((o, i) =>
      list.push({
        key: `outside-${i}`,
        kind: "outside",
        geometry: o.geometry,
        tooltip: text(t("topology.tooltip.outside", { grid: o.grid.name, area: formatArea(o.areaM2, i18n.language) }), o.message),
      }),
    );
    return list;
  }, [report, t, i18n.language]);

  return {
    report,
    problems,
    pending: enabled && Boolean(communityId) && query.isPending,
    error: enabled ? query.error : null,
  };
}

export { formatArea };
