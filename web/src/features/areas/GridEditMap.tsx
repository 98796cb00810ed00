import { useEffect, useRef } from "react";
import type { Geometry, Position } from "geojson";
import L from "./leaflet";
import { gridColours, mapColours } from "./palette";
import { useLeafletMap } from "./useLeafletMap";
import "./map.css";

export interface EditShape {
  key: string;
  geometry: Geometry;
  label: string;
  /** Index into the palette; omitted: drawn as grey context. */
  colour?: number;
  /** Drawn with the selection colour (the grid being split, grids chosen to merge). */
  selected?: boolean;
  /** Drawn as a bold outline only, passing clicks through (the community a grid must stay inside). */
  outline?: boolean;
}

interface Props {
  shapes: readonly EditShape[];
  /** The points drawn so far ([lng, lat]): a cutting line, or the vertices of a new boundary. */
  line?: readonly Position[];
  /** "line": the points are drawn as an open line (拆分); "polygon": as a closed ring once there are three. */
  mode?: "line" | "polygon";
  /** Clicks on the map add a point ([lng, lat]) when given. */
  onAddPoint?: (p: Position) => void;
  /** Clicks on a shape (e.g. to choose grids to merge). */
  onShapeClick?: (key: string) => void;
  height?: number | string;
  testId?: string;
  /** Fit the view to the selected shapes (with their surroundings) instead of all shapes. */
  fitSelected?: boolean;
}

/**
 * A plain Leaflet map for editing grids: shapes as context or in colours (a preview), an optional
 * cutting line (or a new boundary's vertices) drawn point by point. No tile layer: the polygons are the map.
 */
export function GridEditMap({ shapes, line, mode = "line", onAddPoint, onShapeClick, height = 360, testId, fitSelected = false }: Props) {
  const container = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(container, { tiles: false });
  const fitted = useRef("");

  useEffect(() => {
    if (!map) return;
    const group = L.featureGroup();
    const selected = L.featureGroup();
    for (const s of shapes) {
      const colours = s.colour !== undefined ? gridColours(s.colour) : { fill: "#e8e8e8", stroke: mapColours.boundary };
      if (s.outline) {
        group.addLayer(L.geoJSON(s.geometry, { interactive: false, style: () => ({ color: mapColours.community, weight: 3, fill: false }) }));
        continue;
      }
      const layer = L.geoJSON(s.geometry, {
        style: () => ({
          color: s.selected ? mapColours.selected : colours.stroke,
          weight: s.selected ? 3 : 1.5,
          fillColor: colours.fill,
          fillOpacity: s.colour !== undefined ? 0.6 : 0.35,
        }),
      });
      layer.bindTooltip(s.label, { sticky: true });
      if (onShapeClick) layer.on("click", (e) => {
        L.DomEvent.stopPropagation(e);
        onShapeClick(s.key);
      });
      group.addLayer(layer);
      if (s.selected) selected.addLayer(L.geoJSON(s.geometry));
    }
    group.addTo(map);
    const signature = shapes.map((s) => s.key).join(",");
    // With fitSelected the view is fitted once (a preview's parts keep the view the line was drawn in).
    if (shapes.length > 0 && fitted.current !== signature && !(fitSelected && fitted.current !== "")) {
      fitted.current = signature;
      map.invalidateSize();
      const focus = fitSelected && selected.getLayers().length > 0 ? selected.getBounds().pad(0.5) : group.getBounds();
      map.fitBounds(focus, { padding: [24, 24], animate: false });
    }
    return () => {
      group.remove();
    };
  }, [map, shapes, onShapeClick, fitSelected]);

  useEffect(() => {
    if (!map || !line || line.length === 0) return;
    const latlngs = line.map(([lng, lat]) => L.latLng(lat!, lng!));
    const outline =
      mode === "polygon" && latlngs.length >= 3
        ? L.polygon(latlngs, { color: mapColours.selected, weight: 3, dashArray: "6 4", fillColor: mapColours.selected, fillOpacity: 0.15 })
        : L.polyline(latlngs, { color: mapColours.selected, weight: 3, dashArray: "6 4" });
    const group = L.featureGroup([
      outline,
      ...latlngs.map((ll) => L.circleMarker(ll, { radius: 5, color: mapColours.selected, fillColor: "#fff", fillOpacity: 1, weight: 2 })),
    ]).addTo(map);
    return () => {
      group.remove();
    };
  }, [map, line, mode]);

  useEffect(() => {
    if (!map || !onAddPoint) return;
    const handler = (e: L.LeafletMouseEvent) => onAddPoint([e.latlng.lng, e.latlng.lat]);
    map.on("click", handler);
    map.getContainer().style.cursor = "crosshair";
    return () => {
      map.off("click", handler);
      map.getContainer().style.cursor = "";
    };
  }, [map, onAddPoint]);

  return (
    <div className="gz-map-wrap" style={{ height }}>
      <div ref={container} className="gz-map" data-testid={testId} />
    </div>
  );
}
