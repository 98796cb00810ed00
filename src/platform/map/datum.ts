/**
 * Map datums in China. Gongzhi stores every point in WGS-84 (GeoJSON, RFC 7946); 天地图 draws its
 * tiles in CGCS2000, which differs from WGS-84 by centimetres, so they need nothing. AMap (高德),
 * Tencent and most Chinese XYZ tiles are drawn in GCJ-02 (国测局, "Mars" coordinates), offset from
 * WGS-84 by a few hundred metres; Baidu adds its own BD-09 on top. A map on such tiles converts the
 * stored points when it draws them and converts a picked point back before it is sent.
 *
 * Pure functions, no imports: shared by the server (tested in datum.test.ts) and the web app
 * (web/src/features/areas/datum.ts re-exports this file).
 */

/** Which datum a tile set is drawn in: 天地图 and OpenStreetMap wgs84, AMap/Tencent gcj02. */
export type MapDatum = "wgs84" | "gcj02";

/** [lng, lat] in degrees. */
export type LngLat = [number, number];

// Krasovsky 1940 ellipsoid, as the GCJ-02 algorithm uses it.
const semiMajor = 6378245.0;
// 0.00669342162296594323 as published; this is the same double.
const eccentricitySquared = 0.006693421622965943;

/**
 * GCJ-02 shifts only points inside a rough rectangle around China; outside it the coordinates are
 * the WGS-84 ones. (Coarse on purpose: it is the rectangle the published algorithm uses.)
 */
export function outOfChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

function shiftLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3;
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3;
  return r;
}

function shiftLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3;
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3;
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3;
  return r;
}

/** WGS-84 → GCJ-02 (the published forward formula; unchanged outside China). */
export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  if (outOfChina(lng, lat)) return [lng, lat];
  const radLat = (lat / 180) * Math.PI;
  const s = Math.sin(radLat);
  const magic = 1 - eccentricitySquared * s * s;
  const sqrtMagic = Math.sqrt(magic);
  const dLat = (shiftLat(lng - 105, lat - 35) * 180) / (((semiMajor * (1 - eccentricitySquared)) / (magic * sqrtMagic)) * Math.PI);
  const dLng = (shiftLng(lng - 105, lat - 35) * 180) / ((semiMajor / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return [lng + dLng, lat + dLat];
}

/**
 * GCJ-02 → WGS-84. The forward formula has no closed inverse; iterate w ← w − (f(w) − g) from
 * w = g until the step is below 1e-9° (a few iterations; the shift changes slowly).
 */
export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  if (outOfChina(lng, lat)) return [lng, lat];
  let w: LngLat = [lng, lat];
  for (let i = 0; i < 30; i++) {
    const [fLng, fLat] = wgs84ToGcj02(w[0], w[1]);
    const dLng = fLng - lng;
    const dLat = fLat - lat;
    w = [w[0] - dLng, w[1] - dLat];
    if (Math.abs(dLng) < 1e-9 && Math.abs(dLat) < 1e-9) break;
  }
  return w;
}

const baiduPi = (Math.PI * 3000.0) / 180.0;

/** GCJ-02 → BD-09 (Baidu's coordinates, for a link that opens Baidu Maps). */
export function gcj02ToBd09(lng: number, lat: number): LngLat {
  const z = Math.sqrt(lng * lng + lat * lat) + 0.00002 * Math.sin(lat * baiduPi);
  const theta = Math.atan2(lat, lng) + 0.000003 * Math.cos(lng * baiduPi);
  return [z * Math.cos(theta) + 0.0065, z * Math.sin(theta) + 0.006];
}

/** A stored (WGS-84) point as a map on tiles of this datum draws it. */
export function toDisplay(datum: MapDatum, lng: number, lat: number): LngLat {
  return datum === "gcj02" ? wgs84ToGcj02(lng, lat) : [lng, lat];
}

/** A point picked on a map of this datum, back in WGS-84 for storing. */
export function fromDisplay(datum: MapDatum, lng: number, lat: number): LngLat {
  return datum === "gcj02" ? gcj02ToWgs84(lng, lat) : [lng, lat];
}
