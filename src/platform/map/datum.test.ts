import { describe, expect, it } from "vitest";
import { fromDisplay, gcj02ToBd09, gcj02ToWgs84, outOfChina, toDisplay, wgs84ToGcj02 } from "./datum.js";
import { navigationLinks } from "./navigation.js";

/**
 * Published pairs: Beijing from wandergis/coordtransform's example (full precision), Sichuan and
 * other cities from hujiulong/gcoord's fixtures (test/fixtures/china-cities.json, 7 decimals). The
 * fixtures come from a map service, not from the formula: they agree with it to about 5e-6° (half a
 * metre), so they are checked to 2e-5° (about 2 m; gcoord's own tests check them to 5e-5°).
 */
const cityPairs: { name: string; wgs84: [number, number]; gcj02: [number, number] }[] = [
  { name: "资阳市", wgs84: [104.6252411, 30.1317508], gcj02: [104.6276449, 30.1289052] },
  { name: "泸州市", wgs84: [105.4386655, 28.8748404], gcj02: [105.4422659, 28.871815] },
  { name: "西昌市", wgs84: [102.2658401, 27.8850446], gcj02: [102.2673386, 27.8816151] },
  { name: "郑州市", wgs84: [113.6192856, 34.7478004], gcj02: [113.6253334, 34.7466173] },
  { name: "沈阳市", wgs84: [123.4253306, 41.8032629], gcj02: [123.4314787, 41.8057023] },
];

describe("WGS-84 → GCJ-02", () => {
  it("matches the published Beijing pair to 1e-9°", () => {
    const [lng, lat] = wgs84ToGcj02(116.404, 39.915);
    expect(Math.abs(lng - 116.41024449916938)).toBeLessThan(1e-9);
    expect(Math.abs(lat - 39.91640428150164)).toBeLessThan(1e-9);
  });

  it.each(cityPairs)("matches the published pair for $name to 2e-5°", ({ wgs84, gcj02 }) => {
    const [lng, lat] = wgs84ToGcj02(wgs84[0], wgs84[1]);
    expect(Math.abs(lng - gcj02[0])).toBeLessThan(2e-5);
    expect(Math.abs(lat - gcj02[1])).toBeLessThan(2e-5);
  });

  it("leaves points outside China as they are", () => {
    expect(outOfChina(2.35, 48.85)).toBe(true);
    expect(wgs84ToGcj02(2.35, 48.85)).toEqual([2.35, 48.85]);
    expect(gcj02ToWgs84(183, 45)).toEqual([183, 45]);
    expect(outOfChina(104.06, 30.66)).toBe(false);
  });
});

describe("GCJ-02 → WGS-84", () => {
  it.each(cityPairs)("recovers the published WGS-84 point of $name to 2e-5°", ({ wgs84, gcj02 }) => {
    const [lng, lat] = gcj02ToWgs84(gcj02[0], gcj02[1]);
    expect(Math.abs(lng - wgs84[0])).toBeLessThan(2e-5);
    expect(Math.abs(lat - wgs84[1])).toBeLessThan(2e-5);
  });

  it("matches gcoord's inverse of (123, 45) to 1e-5°", () => {
    const [lng, lat] = gcj02ToWgs84(123, 45);
    expect(Math.abs(lng - 122.99395597)).toBeLessThan(1e-5);
    expect(Math.abs(lat - 44.99804071)).toBeLessThan(1e-5);
  });

  it("round-trips points across China to under 1e-6° (the iteration, not one step)", () => {
    for (let lng = 74; lng <= 134; lng += 3.7) {
      for (let lat = 18; lat <= 53; lat += 2.9) {
        const [gLng, gLat] = wgs84ToGcj02(lng, lat);
        const [wLng, wLat] = gcj02ToWgs84(gLng, gLat);
        expect(Math.abs(wLng - lng)).toBeLessThan(1e-6);
        expect(Math.abs(wLat - lat)).toBeLessThan(1e-6);
      }
    }
    // The demo street (玉林街道, Chengdu): a shift of a few hundred metres, undone exactly.
    const [gLng, gLat] = toDisplay("gcj02", 104.0605, 30.6358);
    expect(Math.abs(gLng - 104.0605) + Math.abs(gLat - 30.6358)).toBeGreaterThan(0.002);
    const back = fromDisplay("gcj02", gLng, gLat);
    expect(Math.abs(back[0] - 104.0605)).toBeLessThan(1e-6);
    expect(Math.abs(back[1] - 30.6358)).toBeLessThan(1e-6);
  });

  it("a one-step inverse would not be good enough (why the iteration exists)", () => {
    const [gLng, gLat] = wgs84ToGcj02(116.404, 39.915);
    const [fLng, fLat] = wgs84ToGcj02(gLng, gLat);
    const oneStep = [2 * gLng - fLng, 2 * gLat - fLat];
    const iterated = gcj02ToWgs84(gLng, gLat);
    expect(Math.abs(oneStep[0]! - 116.404) + Math.abs(oneStep[1]! - 39.915)).toBeGreaterThan(1e-7);
    expect(Math.abs(iterated[0] - 116.404) + Math.abs(iterated[1] - 39.915)).toBeLessThan(1e-8);
  });
});

describe("datums at display", () => {
  it("wgs84 tiles (天地图) draw the stored point unchanged", () => {
    expect(toDisplay("wgs84", 104.06, 30.66)).toEqual([104.06, 30.66]);
    expect(fromDisplay("wgs84", 104.06, 30.66)).toEqual([104.06, 30.66]);
  });

  it("GCJ-02 → BD-09 matches coordtransform's published pair", () => {
    const [lng, lat] = gcj02ToBd09(116.404, 39.915);
    expect(Math.abs(lng - 116.41036949371029)).toBeLessThan(1e-9);
    expect(Math.abs(lat - 39.92133699351021)).toBeLessThan(1e-9);
  });
});

describe("导航 links", () => {
  it("geo: carries the stored WGS-84 point; 高德 the GCJ-02 one; 百度 the BD-09 one; the label only as given", () => {
    const links = navigationLinks(104.0605, 30.6358, "GZ20261207-0001");
    expect(links.geo).toBe("geo:30.635800,104.060500?q=30.635800,104.060500(GZ20261207-0001)");
    const [gLng, gLat] = wgs84ToGcj02(104.0605, 30.6358);
    const amap = new URL(links.amap);
    expect(amap.origin + amap.pathname).toBe("https://uri.amap.com/marker");
    expect(amap.searchParams.get("position")).toBe(`${gLng.toFixed(6)},${gLat.toFixed(6)}`);
    expect(amap.searchParams.get("coordinate")).toBe("gaode");
    expect(amap.searchParams.get("name")).toBe("GZ20261207-0001");
    const [bLng, bLat] = gcj02ToBd09(gLng, gLat);
    const baidu = new URL(links.baidu);
    expect(baidu.searchParams.get("location")).toBe(`${bLat.toFixed(6)},${bLng.toFixed(6)}`);
    expect(baidu.searchParams.get("coord_type")).toBe("bd09ll");
  });

  it("escapes the label, so it cannot add parameters", () => {
    const links = navigationLinks(104.06, 30.63, "a&b=c (x)");
    expect(new URL(links.amap).searchParams.get("b")).toBeNull();
    expect(new URL(links.amap).searchParams.get("name")).toBe("a&b=c (x)");
    expect(links.geo).toContain("(a%26b%3Dc%20(x))");
  });
});
