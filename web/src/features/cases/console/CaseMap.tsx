import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Feature, Geometry } from "geojson";
import L from "../../areas/leaflet";
import { mapColours } from "../../areas/palette";
import type { AreaFeatureCollection, AreaFeatureProperties } from "../../areas/types";
import { useLeafletMap } from "../../areas/useLeafletMap";
import { displayLatLng, geoJsonDatum } from "../../areas/datum";
import type { CaseMapGrid, CaseMapPoint } from "./api";
import "../../areas/map.css";

/** Open-case counts → fill, light to dark red; a grid with none stays pale. */
export const countBands = [
  { min: 0, max: 0, fill: "#f0f0f0", stroke: "#bfbfbf" },
  { min: 1, max: 2, fill: "#fde3cf", stroke: "#d4883b" },
  { min: 3, max: 5, fill: "#fcae91", stroke: "#cf5b32" },
  { min: 6, max: 10, fill: "#fb6a4a", stroke: "#b2321b" },
  { min: 11, max: Infinity, fill: "#cb181d", stroke: "#7f0a0d" },
] as const;

function bandOf(count: number) {
  return countBands.find((b) => count >= b.min && count <= b.max) ?? countBands[0];
}

/**
 * Grids coloured by their open cases, one dot per case (red when overdue); clicking a dot opens
 * the case, clicking a grid reports it (to filter the list beside the map).
 */
export function CaseMap({
  geo,
  grids,
  height = 560,
  onOpenCase,
  onSelectGrid,
}: {
  geo: AreaFeatureCollection | undefined;
  grids: CaseMapGrid[];
  height?: number | string;
  onOpenCase: (id: string) => void;
  onSelectGrid?: (gridId: string) => void;
}) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement | null>(null);
  const map = useLeafletMap(container);
  const fitted = useRef<unknown>(null);
  const openRef = useRef(onOpenCase);
  const selectRef = useRef(onSelectGrid);
  useEffect(() => {
    openRef.current = onOpenCase;
    selectRef.current = onSelectGrid;
  }, [onOpenCase, onSelectGrid]);

  const byGrid = useMemo(() => new Map(grids.map((g) => [g.gridId, g])), [grids]);
  const features = useMemo(
    () => (geo?.features ?? []).filter((f): f is Feature<Geometry, AreaFeatureProperties> => Boolean(f.geometry && f.properties && (f.properties.level === "grid" || f.properties.level === "community"))),
    [geo],
  );

  useEffect(() => {
    if (!map) return;
    const group = L.featureGroup();
    for (const f of features) {
      const p = f.properties;
      if (p.level === "community") {
        L.geoJSON(f, { ...geoJsonDatum(map), style: () => ({ color: mapColours.community, weight: 3, fill: false, interactive: false }) }).addTo(group);
        continue;
      }
      const g = byGrid.get(p.id);
      const count = g?.count ?? 0;
      const band = bandOf(count);
      const layer = L.geoJSON(f, { ...geoJsonDatum(map), style: () => ({ color: band.stroke, weight: 1.5, fillColor: band.fill, fillOpacity: 0.6 }) });
      const text = document.createElement("div");
      text.textContent = g?.overdue ? t("caseConsole.map.gridTipOverdue", { name: p.name, count, overdue: g.overdue }) : t("caseConsole.map.gridTip", { name: p.name, count });
      layer.bindTooltip(text, { sticky: true });
      layer.on("click", () => selectRef.current?.(p.id));
      layer.addTo(group);
    }
    const points: CaseMapPoint[] = grids.flatMap((g) => g.points);
    for (const pt of points) {
      const marker = L.circleMarker(displayLatLng(map, pt.lng, pt.lat), {
        radius: 6,
        color: "#ffffff",
        weight: 1.5,
        fillColor: pt.overdue ? "#cf1322" : "#1f5fa8",
        fillOpacity: 0.95,
        className: "gz-case-dot",
      });
      marker.bindTooltip(pt.overdue ? `${pt.caseNo} · ${t("caseConsole.overdue")}` : pt.caseNo);
      marker.on("click", () => openRef.current(pt.id));
      marker.addTo(group);
    }
    group.addTo(map);
    // Fit once per set of boundaries: a live refresh of the counts keeps the person's zoom.
    const bounds = group.getBounds();
    if (fitted.current === features && map.getZoom()) {
      /* keep the view */
    } else if (bounds.isValid()) {
      fitted.current = features;
      map.invalidateSize();
      map.fitBounds(bounds, { padding: [24, 24], animate: false });
    } else if (!map.getZoom()) map.setView([30.64, 104.05], 14);
    return () => {
      group.remove();
    };
  }, [map, features, byGrid, grids, t]);

  return (
    <div className="gz-map-wrap" style={{ height }}>
      <div ref={container} className="gz-map" data-testid="case-map" />
      <div className="gz-map-legend" aria-hidden="true">
        <b>{t("caseConsole.map.legend")}</b>
        {countBands.map((b) => (
          <span key={b.min}>
            <i style={{ background: b.fill, border: `1px solid ${b.stroke}` }} />
            {b.max === Infinity ? `${b.min}+` : b.min === b.max ? String(b.min) : `${b.min}–${b.max}`}
          </span>
        ))}
        <span>
          <i style={{ background: "#1f5fa8", borderRadius: "50%" }} />
          {t("caseConsole.map.dot")}
        </span>
        <span>
          <i style={{ background: "#cf1322", borderRadius: "50%" }} />
          {t("caseConsole.overdue")}
        </span>
      </div>
    </div>
  );
}
