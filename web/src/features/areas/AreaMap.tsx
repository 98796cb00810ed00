import { useEffect, useMemo, useRef } from "react";
import { useTranslation } from "react-i18next";
import type { Feature, Geometry } from "geojson";
import L from "./leaflet";
import { displayBounds, geoJsonDatum } from "./datum";
import { drawPlaces, usePlacesMap } from "../places/mapLayer";
import { gridColours, mapColours } from "./palette";
import { asBBox, type AreaDetail, type AreaFeatureCollection, type AreaFeatureProperties, type AreaLevel } from "./types";
import { useLeafletMap } from "./useLeafletMap";
import "./map.css";

/** A grid drawn in a thematic colour instead of the palette (e.g. 覆盖情况). */
export interface GridOverlay {
  fill: string;
  stroke: string;
  /** Hatched: the grid lacks something essential (e.g. a party organization). */
  hatch?: boolean;
  /** Added to the grid's name when hovered, e.g. "户联系 93.4%". */
  note?: string;
}

/** A fault drawn above the grids (topology check): red, with its message on hover. */
export interface MapProblem {
  key: string;
  kind: "overlap" | "gap" | "outside";
  geometry: Geometry;
  tooltip: string;
}

export interface LegendItem {
  key: string;
  label: string;
  fill: string;
  stroke: string;
  hatch?: boolean;
}

export interface AreaMapProps {
  data: AreaFeatureCollection | undefined;
  /** The area drawn highlighted. */
  selectedId?: string | null | undefined;
  /** What to fit the view to (an area's bbox); defaults to everything drawn. */
  focus?: AreaDetail["bbox"] | undefined;
  onSelect?: ((area: AreaFeatureProperties) => void) | undefined;
  height?: number | string;
  loading?: boolean;
  /** A small map in a phone card: no zoom buttons (pinch works) and no legend. */
  compact?: boolean;
  /** Thematic colours per grid id; grids not listed keep the palette. */
  gridStyles?: ReadonlyMap<string, GridOverlay> | undefined;
  /** Legend entries for `gridStyles`, shown instead of the plain 网格 entry. */
  legend?: readonly LegendItem[] | undefined;
  /** What the thematic colours measure, shown before their entries. */
  legendTitle?: string | undefined;
  /** Faults drawn on top (red), each with a hover text. */
  problems?: readonly MapProblem[] | undefined;
  /**
   * Draw the registry's compounds and buildings of the area (default on, for a street and below):
   * what makes the map readable without tiles.
   */
  places?: boolean;
}

/** The hatch used by `.gz-hatch` paths; defined once per map (same id, same content). */
function MapPatterns() {
  return (
    <svg width="0" height="0" style={{ position: "absolute" }} aria-hidden="true" focusable="false">
      <defs>
        <pattern id="gz-hatch-grey" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
          <rect width="8" height="8" fill="#d9d9d9" />
          <line x1="0" y1="0" x2="0" y2="8" stroke="#595959" strokeWidth="2.5" />
        </pattern>
      </defs>
    </svg>
  );
}

/** Drawing order: wide boundaries first, grids above, community outlines on top (stroke only). */
const drawOrder: Record<AreaLevel, number> = { city: 0, district: 1, street: 2, grid: 3, microGrid: 4, community: 5 };

interface DrawnArea {
  props: AreaFeatureProperties;
  layer: L.Path & { getBounds(): L.LatLngBounds };
  baseStyle: L.PathOptions;
  /** The name as a map label: a grid drops its community's name when that community is drawn. */
  label: string;
  /** Whether the name is shown as a permanent label right now. */
  labelled: boolean;
  /** The text shown on hover: the full name, with the thematic note when there is one. */
  hover: string;
}

function baseStyleFor(level: AreaLevel, gridIndex: number): L.PathOptions {
  switch (level) {
    case "city":
    case "district":
    case "street":
      return { color: mapColours.boundary, weight: 2, dashArray: "6 4", fill: false, interactive: false };
    case "community":
      return { color: mapColours.community, weight: 4, opacity: 0.9, fill: false };
    case "grid": {
      const c = gridColours(gridIndex);
      return { color: c.stroke, weight: 1.5, opacity: 0.9, fillColor: c.fill, fillOpacity: 0.55 };
    }
    case "microGrid":
      return { color: "#595959", weight: 1, dashArray: "3 3", fillColor: "#ffffff", fillOpacity: 0.15 };
  }
}

function overlayStyle(o: GridOverlay): L.PathOptions {
  return { color: o.stroke, weight: o.hatch ? 2.5 : 1.5, opacity: 1, fillColor: o.fill, fillOpacity: 0.75, ...(o.hatch ? { dashArray: "5 3" } : {}) };
}

function problemStyle(kind: MapProblem["kind"]): L.PathOptions {
  const colour = kind === "outside" ? mapColours.outside : mapColours.problem;
  return {
    color: colour,
    weight: 2,
    opacity: 1,
    dashArray: "4 3",
    fillColor: colour,
    fillOpacity: 0.65,
    className: `gz-problem gz-problem-${kind}`,
  };
}

function selectedStyle(level: AreaLevel, base: L.PathOptions): L.PathOptions {
  if (level === "community") return { ...base, color: mapColours.selected, weight: 5, opacity: 1 };
  if (level === "grid" || level === "microGrid") {
    return { ...base, color: mapColours.selected, weight: 3.5, opacity: 1, fillOpacity: 0.8 };
  }
  return { ...base, color: mapColours.selected, weight: 3 };
}

/**
 * Names are permanent tooltips from the start, shown or hidden by a class. (Re-binding Leaflet
 * tooltips between hover and permanent leaves focus listeners behind that close a label on click.)
 */
function bindLabel(d: DrawnArea): void {
  d.layer.bindTooltip(d.label, {
    permanent: true,
    direction: "center",
    className: `gz-map-label gz-map-label-${d.props.level} gz-label-hidden`,
    opacity: 1,
  });
  const tooltip = d.layer.getTooltip();
  d.layer.on("mouseover", () => {
    tooltip?.setContent(d.hover);
    tooltip?.getElement()?.classList.add("gz-label-hover");
  });
  d.layer.on("mouseout", () => {
    tooltip?.setContent(d.label);
    tooltip?.getElement()?.classList.remove("gz-label-hover");
  });
}

function showLabel(d: DrawnArea, visible: boolean): void {
  const el = d.layer.getTooltip()?.getElement();
  if (!el) return; // not on the map yet; the next update catches it
  el.classList.toggle("gz-label-hidden", !visible);
  d.labelled = visible;
}

/** Rough on-screen width of a label (CJK glyphs are about one em wide). */
function labelWidth(text: string, fontPx: number): number {
  let w = 0;
  for (const ch of text) w += ch.charCodeAt(0) > 0x2e80 ? fontPx : fontPx * 0.6;
  return w + 8;
}

/** Show a name on the map only where its polygon is big enough on screen to hold it. */
function updateLabels(map: L.Map, drawn: DrawnArea[]): void {
  if (!map.getContainer().isConnected) return;
  const fits = (d: DrawnArea, fontPx: number) => {
    const b = d.layer.getBounds();
    const nw = map.latLngToContainerPoint(b.getNorthWest());
    const se = map.latLngToContainerPoint(b.getSouthEast());
    return Math.abs(se.x - nw.x) >= labelWidth(d.label, fontPx) && Math.abs(se.y - nw.y) >= fontPx * 2;
  };
  const labelledParents = new Set<string>();
  for (const d of drawn) {
    if (d.props.level !== "grid") continue;
    const want = fits(d, 12);
    if (want !== d.labelled) showLabel(d, want);
    if (want && d.props.parentId) labelledParents.add(d.props.parentId);
  }
  for (const d of drawn) {
    if (d.props.level !== "community") continue;
    const want = !labelledParents.has(d.props.id) && fits(d, 14);
    if (want !== d.labelled) showLabel(d, want);
  }
}

/** "玉林北路社区第1网格" inside 玉林北路社区's outline reads better as "第1网格". */
function shortLabel(props: AreaFeatureProperties, names: ReadonlyMap<string, string>): string {
  const parent = props.parentId ? names.get(props.parentId) : undefined;
  if (parent && props.name.startsWith(parent) && props.name.length > parent.length) {
    return props.name.slice(parent.length);
  }
  return props.name;
}

export function AreaMap({
  data,
  selectedId,
  focus,
  onSelect,
  height = 480,
  loading,
  compact,
  gridStyles,
  legend,
  legendTitle,
  problems,
  places = true,
}: AreaMapProps) {
  const { t } = useTranslation();
  const container = useRef<HTMLDivElement | null>(null);
  const map = useLeafletMap(container, { zoomControl: !compact });
  const drawnRef = useRef<DrawnArea[]>([]);
  const onSelectRef = useRef(onSelect);
  useEffect(() => {
    onSelectRef.current = onSelect;
  }, [onSelect]);

  const features = useMemo(() => {
    const list = (data?.features ?? []).filter((f): f is Feature<Geometry, AreaFeatureProperties> =>
      Boolean(f.geometry && f.properties),
    );
    return [...list].sort((a, b) => drawOrder[a.properties.level] - drawOrder[b.properties.level]);
  }, [data]);

  // The area the map is of comes first in its data (the server orders by depth).
  const top = data?.features[0]?.properties;
  const placesArea = places && top && ["street", "community", "grid", "microGrid"].includes(top.level) ? top.id : undefined;
  const placeData = usePlacesMap(placesArea);
  useEffect(() => {
    if (!map || !placesArea) return;
    return drawPlaces(map, placeData.data);
  }, [map, placesArea, placeData.data]);
  const placeKinds = new Set((placesArea ? placeData.data?.features ?? [] : []).map((f) => f.properties.kind));

  // Draw the polygons whenever the data changes.
  useEffect(() => {
    if (!map) return;
    const group = L.featureGroup();
    const drawn: DrawnArea[] = [];
    const communityNames = new Map(
      features.filter((f) => f.properties.level === "community").map((f) => [f.properties.id, f.properties.name]),
    );
    let gridIndex = 0;
    for (const feature of features) {
      const props = feature.properties;
      const baseStyle = baseStyleFor(props.level, props.level === "grid" ? gridIndex++ : 0);
      const layer = L.geoJSON(feature, { ...geoJsonDatum(map), style: () => baseStyle }).getLayers()[0] as DrawnArea["layer"] | undefined;
      if (!layer) continue;
      const label = props.level === "grid" || props.level === "microGrid" ? shortLabel(props, communityNames) : props.name;
      const d: DrawnArea = { props, layer, baseStyle, label, labelled: false, hover: props.name };
      if (baseStyle.interactive !== false) {
        bindLabel(d);
        layer.on("click", () => onSelectRef.current?.(props));
      }
      layer.addTo(group);
      drawn.push(d);
    }
    group.addTo(map);
    drawnRef.current = drawn;
    const relabel = () => updateLabels(map, drawnRef.current);
    map.on("zoomend", relabel);
    return () => {
      map.off("zoomend", relabel);
      group.remove();
      drawnRef.current = [];
    };
  }, [map, features]);

  // Thematic colours and the selection.
  useEffect(() => {
    if (!map) return;
    for (const d of drawnRef.current) {
      const overlay = d.props.level === "grid" ? gridStyles?.get(d.props.id) : undefined;
      const base = overlay ? overlayStyle(overlay) : d.baseStyle;
      const isSelected = d.props.id === selectedId;
      d.layer.setStyle(isSelected ? selectedStyle(d.props.level, base) : base);
      d.layer.getElement()?.classList.toggle("gz-hatch", Boolean(overlay?.hatch));
      d.hover = overlay?.note ? `${d.props.name} · ${overlay.note}` : d.props.name;
      if (isSelected && (d.props.level === "grid" || d.props.level === "microGrid")) d.layer.bringToFront();
    }
    // Community outlines stay above any grid brought forward.
    for (const d of drawnRef.current) if (d.props.level === "community") d.layer.bringToFront();
  }, [map, features, selectedId, gridStyles]);

  // Faults on top of everything, each with its message on hover.
  useEffect(() => {
    if (!map || !problems || problems.length === 0) return;
    const group = L.featureGroup();
    for (const p of problems) {
      const layer = L.geoJSON(p.geometry, { ...geoJsonDatum(map), style: () => problemStyle(p.kind) });
      // Text, not HTML: the message names grids, which are data.
      const text = document.createElement("div");
      text.textContent = p.tooltip;
      layer.bindTooltip(text, { sticky: true, className: "gz-problem-tooltip", opacity: 1 });
      layer.addTo(group);
    }
    group.addTo(map);
    group.bringToFront();
    return () => {
      group.remove();
    };
  }, [map, problems, features]);

  // Fit the view to the focus, or to everything drawn.
  const focusKey = focus ? focus.join(",") : "";
  useEffect(() => {
    if (!map) return;
    let bounds: L.LatLngBounds | null = null;
    const box = asBBox(focus ?? null);
    if (box) {
      bounds = displayBounds(map, box);
      // A grid among its neighbours: leave room to see them.
      const level = drawnRef.current.find((d) => d.props.id === selectedId)?.props.level;
      if ((level === "grid" || level === "microGrid") && drawnRef.current.length > 1) bounds = bounds.pad(0.3);
    } else if (drawnRef.current.length > 0) {
      bounds = L.featureGroup(drawnRef.current.map((d) => d.layer)).getBounds();
    }
    if (bounds?.isValid()) {
      map.invalidateSize();
      map.fitBounds(bounds, { padding: [24, 24], animate: false });
    } else if (!map.getZoom()) {
      map.setView([30.66, 104.06], 12);
    }
    updateLabels(map, drawnRef.current);
    // `focusKey` stands for `focus` (a new array each render); new data triggers a refit too.
  }, [map, focusKey, features]);

  const empty = !loading && data !== undefined && features.length === 0;
  const levels = new Set(features.map((f) => f.properties.level));
  const showLegend = !compact && features.length > 1;
  return (
    <div className="gz-map-wrap" style={{ height }}>
      <div ref={container} className="gz-map" data-testid="area-map" />
      {gridStyles && <MapPatterns />}
      {showLegend && (
        <div className="gz-map-legend" aria-hidden="true">
          {levels.has("community") && (
            <span>
              <i className="gz-legend-community" />
              {t("map.legend.community")}
            </span>
          )}
          {levels.has("grid") &&
            (legend ? (
              <>
                {legendTitle && <b>{legendTitle}</b>}
                {legend.map((item) => (
                  <span key={item.key}>
                    <i
                      className={item.hatch ? "gz-legend-hatch" : undefined}
                      style={{ background: item.hatch ? undefined : item.fill, border: `1px solid ${item.stroke}` }}
                    />
                    {item.label}
                  </span>
                ))}
              </>
            ) : (
              <span>
                <i className="gz-legend-grid" />
                {t("map.legend.grid")}
              </span>
            ))}
          {placeKinds.has("compound") && (
            <span>
              <i className="gz-legend-compound" />
              {t("map.legend.compound")}
            </span>
          )}
          {placeKinds.has("building") && (
            <span>
              <i className="gz-legend-building" />
              {t("map.legend.building")}
            </span>
          )}
          {problems && problems.length > 0 && (
            <span>
              <i className="gz-legend-problem" />
              {t("map.legend.problem")}
            </span>
          )}
          {selectedId && features.some((f) => f.properties.id === selectedId) && (
            <span>
              <i className="gz-legend-selected" />
              {t("map.legend.selected")}
            </span>
          )}
        </div>
      )}
      {loading && <div className="gz-map-overlay">{t("common.loading")}</div>}
      {empty && <div className="gz-map-overlay">{t("map.noBoundary")}</div>}
    </div>
  );
}
