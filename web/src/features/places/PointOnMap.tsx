import { useEffect, useRef } from "react";
import { useAreaGeoJson } from "../areas/api";
import L from "../areas/leaflet";
import { mapColours } from "../areas/palette";
import { useLeafletMap } from "../areas/useLeafletMap";
import { displayLatLng, geoJsonDatum } from "../areas/datum";
import { drawPlaces, usePlacesMap } from "./mapLayer";
import "../areas/map.css";

/** Half the width and height of the neighbourhood whose buildings are drawn (≈500 m × 450 m around the point). */
const around = { lng: 0.0026, lat: 0.002 };

interface Props {
  /** The grid the point lies in: drawn as the outline, with its compounds and buildings around the point. */
  gridId: string;
  lng: number;
  lat: number;
  /** The building the point names, drawn highlighted. */
  buildingId?: string | null | undefined;
  height?: number;
  testId?: string;
  /** Zoom buttons (a console card); on a phone pinching is enough. */
  zoomControl?: boolean;
}

/**
 * A point in its grid on a small map: the grid's outline, its compounds and buildings (the
 * registry's own map, readable offline), tiles when configured, and the point as a red dot —
 * 案件位置 on the case pages.
 */
export function PointOnMap({ gridId, lng, lat, buildingId, height = 220, testId = "case-place-map", zoomControl = false }: Props) {
  const container = useRef<HTMLDivElement | null>(null);
  const map = useLeafletMap(container, { zoomControl });
  const geo = useAreaGeoJson(gridId);
  const bbox = [lng - around.lng, lat - around.lat, lng + around.lng, lat + around.lat].map((v) => v.toFixed(6)).join(",");
  const places = usePlacesMap(gridId, true, bbox);

  useEffect(() => {
    if (!map) return;
    // The view first: shapes added to a map without one are laid out against no bounds.
    map.setView(displayLatLng(map, lng, lat), 17, { animate: false });
    return drawPlaces(map, places.data, { highlightBuildingId: buildingId ?? null });
  }, [map, places.data, buildingId, lng, lat]);

  useEffect(() => {
    if (!map) return;
    const group = L.featureGroup();
    for (const f of geo.data?.features ?? []) {
      if (f.properties?.id !== gridId || !f.geometry) continue;
      L.geoJSON(f, { ...geoJsonDatum(map), style: () => ({ color: mapColours.community, weight: 2, fillColor: "#9ecae1", fillOpacity: 0.25, interactive: false }) }).addTo(group);
    }
    const at = displayLatLng(map, lng, lat);
    L.circleMarker(at, { radius: 8, color: "#ffffff", weight: 2, fillColor: "#cf1322", fillOpacity: 1, className: "gz-case-point" }).addTo(group);
    group.addTo(map);
    map.invalidateSize();
    // Close enough to read the compounds around the point; the grid's edge shows where it is near.
    map.setView(at, 17, { animate: false });
    return () => {
      group.remove();
    };
  }, [map, geo.data, gridId, lng, lat]);

  return (
    <div className="gz-map-wrap" style={{ height }}>
      <div ref={container} className="gz-map" data-testid={testId} />
    </div>
  );
}
