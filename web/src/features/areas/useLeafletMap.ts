import { useEffect, useState, type RefObject } from "react";
import { useClientConfig } from "../platform/api";
import L from "./leaflet";
import { setMapDatum } from "./datum";

/** Text for Leaflet's attribution (which it inserts as HTML): the configured words, escaped. */
function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * A Leaflet map bound to a container for the component's lifetime, with the configured tiles
 * (/api/config `map`): none by default — a plain background under the registry's own shapes —
 * or 天地图 / an XYZ template. The map is made once the configuration is known, so every layer a
 * caller draws already knows the tiles' datum (GCJ-02 tiles shift the stored WGS-84 points; see
 * ./datum.ts). `tiles: false` for maps that are drawings, never over a base map (grid editing).
 */
export function useLeafletMap(
  container: RefObject<HTMLDivElement | null>,
  opts: { tiles?: boolean; zoomControl?: boolean } = {},
): L.Map | null {
  const { tiles: withTiles = true, zoomControl = true } = opts;
  const config = useClientConfig();
  const ready = !withTiles || config.isSuccess || config.isError;
  const tiles = withTiles && config.data && config.data.map.layers.length > 0 ? config.data.map : null;
  const [map, setMap] = useState<L.Map | null>(null);

  useEffect(() => {
    const el = container.current;
    if (!el || !ready) return;
    const m = L.map(el, { zoomControl, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 3, maxZoom: tiles ? tiles.maxZoom : 20 });
    m.attributionControl.setPrefix("Leaflet");
    setMapDatum(m, tiles ? tiles.datum : "wgs84");
    const layers = (tiles?.layers ?? []).map((layer, i) =>
      L.tileLayer(layer.url, {
        maxZoom: tiles!.maxZoom,
        ...(layer.subdomains.length > 0 ? { subdomains: layer.subdomains } : {}),
        // The attribution once, on the bottom layer.
        ...(i === 0 && tiles!.attribution ? { attribution: escapeHtml(tiles!.attribution) } : {}),
      }).addTo(m),
    );
    if (tiles) m.getContainer().classList.add("gz-map-tiled");
    const resize = new ResizeObserver(() => m.invalidateSize());
    resize.observe(el);
    setMap(m);
    return () => {
      resize.disconnect();
      for (const l of layers) l.remove();
      m.remove();
      setMap(null);
    };
    // `tiles` comes from a configuration fetched once (staleTime Infinity): its identity is stable.
  }, [container, zoomControl, ready, tiles]);

  return map;
}
