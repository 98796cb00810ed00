/**
 * WGS-84 ↔ GCJ-02 for the maps: the server's pure module (src/platform/map/datum.ts, where its
 * tests with published point pairs live), used here as it is, plus the Leaflet side — which datum
 * a map's tiles are in, and the conversions at display and at input.
 */
import L from "./leaflet";
import { fromDisplay, gcj02ToBd09, toDisplay, wgs84ToGcj02, type MapDatum } from "../../../../src/platform/map/datum";

export { gcj02ToBd09, wgs84ToGcj02, type MapDatum };

const datums = new WeakMap<L.Map, MapDatum>();

/** Set by useLeafletMap from the configured tiles (wgs84 when there are none). */
export function setMapDatum(map: L.Map, datum: MapDatum): void {
  datums.set(map, datum);
}

export function mapDatum(map: L.Map): MapDatum {
  return datums.get(map) ?? "wgs84";
}

/** Where a stored (WGS-84) point is drawn on this map. */
export function displayLatLng(map: L.Map, lng: number, lat: number): L.LatLng {
  const [x, y] = toDisplay(mapDatum(map), lng, lat);
  return L.latLng(y, x);
}

/** A point picked on this map, back in WGS-84 for sending ([lng, lat], 6 decimals ≈ 0.1 m). */
export function storedLngLat(map: L.Map, latlng: L.LatLng): [number, number] {
  const [lng, lat] = fromDisplay(mapDatum(map), latlng.lng, latlng.lat);
  return [Number(lng.toFixed(6)), Number(lat.toFixed(6))];
}

/** L.geoJSON options that draw stored coordinates in this map's datum. */
export function geoJsonDatum(map: L.Map): Pick<L.GeoJSONOptions, "coordsToLatLng"> {
  if (mapDatum(map) === "wgs84") return {};
  return { coordsToLatLng: (c: [number, number] | [number, number, number]) => displayLatLng(map, c[0], c[1]) };
}

/** A stored [minLng, minLat, maxLng, maxLat] box as this map draws it. */
export function displayBounds(map: L.Map, box: [number, number, number, number]): L.LatLngBounds {
  return L.latLngBounds(displayLatLng(map, box[0], box[1]), displayLatLng(map, box[2], box[3]));
}

export { navigationLinks, type NavigationLinks } from "../../../../src/platform/map/navigation";
