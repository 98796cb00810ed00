import { useEffect, useState, type RefObject } from "react";
import L from "./leaflet";

/**
 * A Leaflet map bound to a container for the component's lifetime. No tile layer unless a tile
 * URL is configured: by default the map is a plain background with vector polygons.
 */
export function useLeafletMap(
  container: RefObject<HTMLDivElement | null>,
  tileUrl: string | null | undefined,
  zoomControl = true,
): L.Map | null {
  const [map, setMap] = useState<L.Map | null>(null);

  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const m = L.map(el, { zoomControl, zoomSnap: 0.25, zoomDelta: 0.5, minZoom: 3, maxZoom: 20 });
    m.attributionControl.setPrefix("Leaflet");
    const resize = new ResizeObserver(() => m.invalidateSize());
    resize.observe(el);
    setMap(m);
    return () => {
      resize.disconnect();
      m.remove();
      setMap(null);
    };
  }, [container, zoomControl]);

  useEffect(() => {
    if (!map || !tileUrl) return;
    const layer = L.tileLayer(tileUrl, { maxZoom: 20 }).addTo(map);
    layer.bringToBack();
    return () => {
      layer.remove();
    };
  }, [map, tileUrl]);

  return map;
}
