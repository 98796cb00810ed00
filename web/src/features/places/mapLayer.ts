/**
 * The registry's compounds and buildings on a Leaflet map (GET /api/places/map): what makes an
 * offline map readable — 小区 outlined around their buildings, 楼栋 as footprints (or dots), their
 * names shown once the map is zoomed in enough to hold them. Drawn above the grids' fills and
 * below their outlines' hover; never clickable, so a click still reaches the grid underneath.
 */
import { useQuery } from "@tanstack/react-query";
import { http, type Answer } from "../../api";
import L from "../areas/leaflet";
import { displayLatLng, geoJsonDatum } from "../areas/datum";

export type PlaceMapData = Answer<"get", "/api/places/map">;
type PlaceMapFeature = PlaceMapData["features"][number];

export function usePlacesMap(areaId: string | undefined, enabled = true, bbox?: string) {
  return useQuery({
    queryKey: ["places", "map", areaId ?? "", bbox ?? ""],
    queryFn: ({ signal }) => http.get("/api/places/map", { params: { query: { areaId: areaId ?? "", ...(bbox ? { bbox } : {}) } }, signal }),
    enabled: Boolean(areaId) && enabled,
    staleTime: 5 * 60_000,
  });
}

export const placeColours = {
  compoundStroke: "#7a6a53",
  compoundFill: "#efe6d6",
  building: "#8c7b65",
  buildingStroke: "#5c4f3d",
};

/** Zoom from which names are shown: compounds first, buildings when a slab is wide enough for "12栋". */
export const compoundLabelZoom = 16.5;
export const buildingLabelZoom = 17.75;

function ensurePanes(map: L.Map): void {
  if (!map.getPane("gzPlaces")) {
    const pane = map.createPane("gzPlaces");
    // Above the grids' fills (overlayPane, 400), below markers and tooltips.
    pane.style.zIndex = "420";
    pane.style.pointerEvents = "none";
  }
  if (!map.getPane("gzPlaceLabels")) {
    const pane = map.createPane("gzPlaceLabels");
    pane.style.zIndex = "610";
    pane.style.pointerEvents = "none";
  }
}

function label(text: string, kind: "compound" | "building", at: L.LatLng): L.Marker {
  const span = document.createElement("span");
  span.textContent = text;
  return L.marker(at, {
    pane: "gzPlaceLabels",
    interactive: false,
    keyboard: false,
    icon: L.divIcon({ className: `gz-place-label gz-place-label-${kind}`, html: span, iconSize: [0, 0] }),
  });
}

/** Shows the names that fit at this zoom (a class on the map's container; see map.css). */
function relabel(map: L.Map): void {
  const z = map.getZoom();
  const el = map.getContainer();
  el.classList.toggle("gz-show-compound-labels", z >= compoundLabelZoom);
  el.classList.toggle("gz-show-building-labels", z >= buildingLabelZoom);
}

/**
 * Draws the compounds and buildings on the map; returns a function that removes them. Each
 * building carries `data-building-id` on its shape (for tests and for styling the one a case names).
 */
export function drawPlaces(map: L.Map, data: PlaceMapData | undefined, opts: { highlightBuildingId?: string | null } = {}): () => void {
  if (!data || data.features.length === 0) return () => undefined;
  ensurePanes(map);
  const group = L.featureGroup();
  const datum = geoJsonDatum(map);
  const features: PlaceMapFeature[] = data.features;
  const shapes: [L.Path, string][] = [];
  for (const f of features) {
    if (f.properties.kind !== "compound") continue;
    const layer = L.geoJSON(f, {
      ...datum,
      pane: "gzPlaces",
      interactive: false,
      style: () => ({ color: placeColours.compoundStroke, weight: 1.2, dashArray: "4 3", fillColor: placeColours.compoundFill, fillOpacity: 0.55, className: "gz-compound" }),
    });
    layer.addTo(group);
    label(f.properties.name, "compound", layer.getBounds().getCenter()).addTo(group);
  }
  for (const f of features) {
    if (f.properties.kind !== "building") continue;
    const highlighted = f.properties.id === opts.highlightBuildingId;
    const style: L.PathOptions = {
      color: highlighted ? "#d4380d" : placeColours.buildingStroke,
      weight: highlighted ? 2 : 0.8,
      fillColor: highlighted ? "#ff7a45" : placeColours.building,
      fillOpacity: 0.85,
      className: "gz-building",
    };
    let at: L.LatLng;
    let shape: L.Path;
    if (f.geometry.type === "Point") {
      at = displayLatLng(map, f.geometry.coordinates[0]!, f.geometry.coordinates[1]!);
      shape = L.circleMarker(at, { ...style, pane: "gzPlaces", interactive: false, radius: 3.5 });
    } else {
      const layer = L.geoJSON(f.geometry, { ...datum, pane: "gzPlaces", interactive: false, style: () => style });
      shape = layer.getLayers()[0] as L.Path;
      at = layer.getBounds().getCenter();
    }
    shape.addTo(group);
    shapes.push([shape, f.properties.id]);
    label(f.properties.name, "building", at).addTo(group);
  }
  group.addTo(map);
  // The shapes' elements exist once the group is on a map that has a view (a map given its view
  // later adds them then, in order: this runs after them).
  map.whenReady(() => {
    for (const [shape, id] of shapes) (shape.getElement() as SVGElement | undefined)?.setAttribute("data-building-id", id);
  });
  const onZoom = () => relabel(map);
  relabel(map);
  map.on("zoomend", onZoom);
  return () => {
    map.off("zoomend", onZoom);
    group.remove();
  };
}
