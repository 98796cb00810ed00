/**
 * The map's tile provider, from configuration. None by default: the maps draw the registry's own
 * areas, compounds and buildings on a plain background and fetch nothing from another host.
 *
 * - `GONGZHI_MAP_TILES=tianditu` with `GONGZHI_TIANDITU_KEY`: 天地图's vector map and its labels
 *   (Web Mercator tiles, CGCS2000 ≈ WGS-84: stored points are drawn as they are).
 * - `GONGZHI_MAP_TILE_URL` (any XYZ template with {z} {x} {y}, optionally {s}), with
 *   `GONGZHI_MAP_SUBDOMAINS`, `GONGZHI_MAP_CRS` (wgs84 | gcj02: AMap and Tencent tiles are GCJ-02),
 *   `GONGZHI_MAP_ATTRIBUTION` and `GONGZHI_MAP_MAX_ZOOM`. `GONGZHI_TILE_URL` is its older name.
 */
import type { MapDatum } from "./datum.js";

type Env = Record<string, string | undefined>;

export interface TileLayer {
  /** Leaflet URL template ({s} {z} {x} {y}). */
  url: string;
  /** Values of {s}; empty when the template has none. */
  subdomains: string[];
}

export interface MapTiles {
  provider: "tianditu" | "xyz";
  /** Drawn bottom first (天地图: the map, then its labels). */
  layers: TileLayer[];
  /** The datum the tiles are drawn in: the web app shifts the stored WGS-84 points to it. */
  datum: MapDatum;
  /** Plain text shown in the map's corner (the web app escapes it). */
  attribution: string;
  maxZoom: number;
}

const tiandituLayer = (layer: "vec" | "cva", key: string): TileLayer => ({
  url:
    `https://t{s}.tianditu.gov.cn/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}` +
    `&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  subdomains: ["0", "1", "2", "3", "4", "5", "6", "7"],
});

function nonEmpty(env: Env, name: string): string | undefined {
  const v = env[name]?.trim();
  return v === undefined || v === "" ? undefined : v;
}

function templateProblem(name: string, url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/\{[sxyz]\}/g, "0"));
  } catch {
    return `${name} is not a URL template (expected https://…/{z}/{x}/{y}.png)`;
  }
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return `${name} must be an http(s) URL template`;
  const missing = ["{z}", "{x}", "{y}"].filter((p) => !url.includes(p));
  if (missing.length > 0) return `${name} must contain {z}, {x} and {y} (missing ${missing.join(", ")})`;
  if (/\{(?![sxyz]\})[^}]*\}/.test(url)) return `${name} may only use the placeholders {s}, {z}, {x} and {y}`;
  return undefined;
}

/** Reads the tile provider; each bad value adds one readable line to `problems`. */
export function parseMapTiles(env: Env, problems: string[]): MapTiles | null {
  const kind = nonEmpty(env, "GONGZHI_MAP_TILES");
  const urlName = nonEmpty(env, "GONGZHI_MAP_TILE_URL") ? "GONGZHI_MAP_TILE_URL" : "GONGZHI_TILE_URL";
  const url = nonEmpty(env, urlName);
  const crs = nonEmpty(env, "GONGZHI_MAP_CRS");
  const provider = kind ?? (url ? "xyz" : "none");
  if (!["none", "tianditu", "xyz"].includes(provider)) {
    problems.push(`GONGZHI_MAP_TILES=${JSON.stringify(kind)} is not one of none, tianditu, xyz`);
    return null;
  }
  if (crs !== undefined && crs !== "wgs84" && crs !== "gcj02") {
    problems.push(`GONGZHI_MAP_CRS=${JSON.stringify(crs)} is not one of wgs84, gcj02 (AMap and Tencent tiles are gcj02)`);
  }
  let maxZoom = 18;
  const zoomRaw = nonEmpty(env, "GONGZHI_MAP_MAX_ZOOM");
  if (zoomRaw !== undefined) {
    maxZoom = Number(zoomRaw);
    if (!/^\d+$/.test(zoomRaw) || maxZoom < 1 || maxZoom > 22) {
      problems.push(`GONGZHI_MAP_MAX_ZOOM=${JSON.stringify(zoomRaw)} is not a whole number from 1 to 22`);
      maxZoom = 18;
    }
  }
  const attributionRaw = nonEmpty(env, "GONGZHI_MAP_ATTRIBUTION");
  if (attributionRaw !== undefined && attributionRaw.length > 200) problems.push("GONGZHI_MAP_ATTRIBUTION is longer than 200 characters");

  if (provider === "none") return null;
  if (provider === "tianditu") {
    const key = nonEmpty(env, "GONGZHI_TIANDITU_KEY");
    if (!key) {
      problems.push("GONGZHI_MAP_TILES=tianditu needs GONGZHI_TIANDITU_KEY (a browser key from console.tianditu.gov.cn)");
      return null;
    }
    if (!/^[A-Za-z0-9]{16,64}$/.test(key)) problems.push("GONGZHI_TIANDITU_KEY is not a 天地图 key (letters and digits, like the 32 hex characters the console shows)");
    if (crs === "gcj02") problems.push("GONGZHI_MAP_CRS=gcj02 does not fit 天地图, whose tiles are CGCS2000 (≈ WGS-84): leave it unset or wgs84");
    return { provider: "tianditu", layers: [tiandituLayer("vec", key), tiandituLayer("cva", key)], datum: "wgs84", attribution: attributionRaw ?? "天地图", maxZoom: Math.min(maxZoom, 18) };
  }
  if (!url) {
    problems.push("GONGZHI_MAP_TILES=xyz needs GONGZHI_MAP_TILE_URL (https://…/{z}/{x}/{y}.png)");
    return null;
  }
  const problem = templateProblem(urlName, url);
  if (problem) {
    problems.push(problem);
    return null;
  }
  const subdomainsRaw = nonEmpty(env, "GONGZHI_MAP_SUBDOMAINS");
  let subdomains: string[] = [];
  if (url.includes("{s}")) {
    subdomains = (subdomainsRaw ?? "abc").includes(",") ? (subdomainsRaw ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "") : [...(subdomainsRaw ?? "abc")];
    if (subdomains.some((s) => !/^[A-Za-z0-9-]{1,20}$/.test(s))) problems.push(`GONGZHI_MAP_SUBDOMAINS=${JSON.stringify(subdomainsRaw)} must be letters or digits ("abc" or "1,2,3,4")`);
  } else if (subdomainsRaw !== undefined) {
    problems.push("GONGZHI_MAP_SUBDOMAINS is set but the tile URL has no {s}");
  }
  return {
    provider: "xyz",
    layers: [{ url, subdomains }],
    datum: crs === "gcj02" ? "gcj02" : "wgs84",
    attribution: attributionRaw ?? new URL(url.replace(/\{[sxyz]\}/g, subdomains[0] ?? "0")).hostname,
    maxZoom,
  };
}

/**
 * Every origin the tiles are fetched from ({s} expanded), for the Content-Security-Policy's
 * img-src: the browser may load images from these hosts and no others.
 */
export function tileOrigins(tiles: MapTiles | null): string[] {
  if (!tiles) return [];
  const origins = new Set<string>();
  for (const layer of tiles.layers) {
    for (const s of layer.subdomains.length > 0 ? layer.subdomains : [""]) {
      origins.add(new URL(layer.url.replaceAll("{s}", s).replace(/\{[xyz]\}/g, "0")).origin);
    }
  }
  return [...origins];
}
