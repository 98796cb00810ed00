import { useEffect, useMemo, useRef } from "react";
import type { Feature, Geometry, Position } from "geojson";
import L from "../areas/leaflet";
import { gridColours, mapColours } from "../areas/palette";
import type { AreaFeatureCollection, AreaFeatureProperties } from "../areas/types";
import { useLeafletMap } from "../areas/useLeafletMap";
import { displayLatLng, geoJsonDatum, storedLngLat } from "../areas/datum";
import "../areas/map.css";
import "./places.css";

export interface PickedPoint {
  lng: number;
  lat: number;
}

export interface PlaceMarker {
  id: string;
  label: string;
  lng: number;
  lat: number;
}

/** Ray casting over one ring ([lng, lat] positions). */
function inRing(p: PickedPoint, ring: Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    if (yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function inPolygon(p: PickedPoint, rings: Position[][]): boolean {
  const [outer, ...holes] = rings;
  return Boolean(outer && inRing(p, outer)) && !holes.some((h) => inRing(p, h));
}

/** Whether a point lies in a polygon or multipolygon (a hint only: the server decides). */
export function containsPoint(geometry: Geometry, p: PickedPoint): boolean {
  if (geometry.type === "Polygon") return inPolygon(p, geometry.coordinates);
  if (geometry.type === "MultiPolygon") return geometry.coordinates.some((poly) => inPolygon(p, poly));
  return false;
}

/** The grids (level grid) of a community's map data, in a stable order for colours. */
export function gridFeatures(data: AreaFeatureCollection | undefined): Feature<Geometry, AreaFeatureProperties>[] {
  return (data?.features ?? []).filter((f) => f.properties.level === "grid");
}

/** The grid a point falls in, if any. */
export function gridAt(data: AreaFeatureCollection | undefined, p: PickedPoint | null | undefined): AreaFeatureProperties | undefined {
  if (!p) return undefined;
  return gridFeatures(data).find((f) => containsPoint(f.geometry, p))?.properties;
}

interface Props {
  /** The community's map data (its grids), drawn over the configured tiles (none by default). */
  data: AreaFeatureCollection | undefined;
  point: PickedPoint | null;
  onPick?: (p: PickedPoint) => void;
  /** Other buildings, as small grey dots for orientation. */
  markers?: readonly PlaceMarker[];
  height?: number | string;
  testId?: string;
}

/**
 * 在地图上选点: the community's grids in colours, the buildings already there, and the chosen
 * point; a click (when `onPick` is given) moves the point. On GCJ-02 tiles the stored points are
 * shifted to be drawn, and the picked point is shifted back to WGS-84 before it is reported.
 */
export function PointPickerMap({ data, point, onPick, markers = [], height = 340, testId }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(container);
  const grids = useMemo(() => gridFeatures(data), [data]);
  // Grid names usually repeat the community's (玉林北路社区第1网格): the map shows the rest (第1网格).
  const prefix = useMemo(() => (data?.features ?? []).find((f) => f.properties.level === "community")?.properties.name ?? "", [data]);
  const fitted = useRef(false);

  useEffect(() => {
    if (!map || grids.length === 0) return;
    const group = L.featureGroup();
    grids.forEach((f, i) => {
      const colours = gridColours(i);
      const layer = L.geoJSON(f.geometry, {
        ...geoJsonDatum(map),
        style: () => ({ color: colours.stroke, weight: 1.5, fillColor: colours.fill, fillOpacity: 0.45 }),
        // Clicks go through to the map (the point), not to the polygon.
        interactive: false,
      });
      group.addLayer(layer);
      const centre = layer.getBounds().getCenter();
      group.addLayer(
        L.marker(centre, {
          interactive: false,
          icon: L.divIcon({ className: "gz-place-grid-label", html: `<span>${escapeHtml(shortName(f.properties.name, prefix))}</span>`, iconSize: [0, 0] }),
        }),
      );
    });
    group.addTo(map);
    if (!fitted.current) {
      fitted.current = true;
      map.invalidateSize();
      map.fitBounds(group.getBounds(), { padding: [16, 16], animate: false });
    }
    return () => {
      group.remove();
    };
  }, [map, grids, prefix]);

  useEffect(() => {
    if (!map || markers.length === 0) return;
    const group = L.featureGroup(
      markers.map((m) =>
        L.circleMarker(displayLatLng(map, m.lng, m.lat), { radius: 4, color: "#595959", weight: 1, fillColor: "#ffffff", fillOpacity: 1 }).bindTooltip(m.label, { direction: "top" }),
      ),
    ).addTo(map);
    return () => {
      group.remove();
    };
  }, [map, markers]);

  useEffect(() => {
    if (!map || !point) return;
    const layer = L.circleMarker(displayLatLng(map, point.lng, point.lat), { radius: 8, color: mapColours.selected, weight: 3, fillColor: "#ffffff", fillOpacity: 1 }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, point]);

  useEffect(() => {
    if (!map || !onPick) return;
    const handler = (e: L.LeafletMouseEvent) => {
      const [lng, lat] = storedLngLat(map, e.latlng);
      onPick({ lng, lat });
    };
    map.on("click", handler);
    map.getContainer().style.cursor = "crosshair";
    return () => {
      map.off("click", handler);
      map.getContainer().style.cursor = "";
    };
  }, [map, onPick]);

  return (
    <div className="gz-map-wrap" style={{ height }}>
      <div ref={container} className="gz-map" data-testid={testId} />
    </div>
  );
}

function shortName(name: string, prefix: string): string {
  return prefix && name.startsWith(prefix) && name.length > prefix.length ? name.slice(prefix.length) : name;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
