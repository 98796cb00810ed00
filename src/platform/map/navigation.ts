/**
 * 导航: links that open the phone's map app at a stored (WGS-84) point. Only the coordinates and a
 * label the caller chooses (a case number, never an address or a name) go into the links.
 *
 * - `geo:` (RFC 5870, WGS-84): Android offers every installed map app.
 * - 高德 (uri.amap.com/marker): the point converted to GCJ-02 here and sent as `coordinate=gaode`,
 *   `callnative=1` opens the app when installed, else the web page.
 * - 百度 (api.map.baidu.com/marker): the point in BD-09 (`coord_type=bd09ll`).
 *
 * Pure, no imports but the datum module: shared with the web app like datum.ts.
 */
import { gcj02ToBd09, wgs84ToGcj02 } from "./datum.js";

export interface NavigationLinks {
  geo: string;
  amap: string;
  baidu: string;
}

const fixed = (n: number) => n.toFixed(6);

export function navigationLinks(lng: number, lat: number, label: string): NavigationLinks {
  const name = encodeURIComponent(label);
  const [gLng, gLat] = wgs84ToGcj02(lng, lat);
  const [bLng, bLat] = gcj02ToBd09(gLng, gLat);
  return {
    geo: `geo:${fixed(lat)},${fixed(lng)}?q=${fixed(lat)},${fixed(lng)}(${name})`,
    amap: `https://uri.amap.com/marker?position=${fixed(gLng)},${fixed(gLat)}&name=${name}&coordinate=gaode&callnative=1&src=gongzhi`,
    baidu: `https://api.map.baidu.com/marker?location=${fixed(bLat)},${fixed(bLng)}&title=${name}&content=${name}&coord_type=bd09ll&output=html&src=webapp.gongzhi.worker`,
  };
}
