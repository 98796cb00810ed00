import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../config.js";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type TestApp } from "../../test-support/app.js";
import { parseMapTiles, tileOrigins } from "./tiles.js";

const key = "0123456789abcdef0123456789abcdef";

/** The configuration's problems for this environment (one readable line each), or [] when it loads. */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
}

describe("map tiles configuration", () => {
  it("is offline by default: no provider, no tile host", () => {
    const problems: string[] = [];
    expect(parseMapTiles({}, problems)).toBeNull();
    expect(problems).toEqual([]);
    expect(loadConfig({}).mapTiles).toBeNull();
    expect(tileOrigins(null)).toEqual([]);
  });

  it("天地图 with a key: the vector map and its labels, WGS-84, from t0–t7.tianditu.gov.cn", () => {
    const tiles = loadConfig({ GONGZHI_MAP_TILES: "tianditu", GONGZHI_TIANDITU_KEY: key }).mapTiles!;
    expect(tiles.provider).toBe("tianditu");
    expect(tiles.datum).toBe("wgs84");
    expect(tiles.layers.map((l) => /LAYER=(\w+)/.exec(l.url)![1])).toEqual(["vec", "cva"]);
    expect(tiles.layers[0]!.url).toContain(`tk=${key}`);
    expect(tiles.layers[0]!.url).toMatch(/TILEMATRIX=\{z\}&TILEROW=\{y\}&TILECOL=\{x\}/);
    expect(tileOrigins(tiles)).toEqual(Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`));
  });

  it("an XYZ template in GCJ-02 (AMap-style), with subdomains and attribution", () => {
    const tiles = loadConfig({
      GONGZHI_MAP_TILE_URL: "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
      GONGZHI_MAP_SUBDOMAINS: "1,2,3,4",
      GONGZHI_MAP_CRS: "gcj02",
      GONGZHI_MAP_ATTRIBUTION: "© 高德地图",
    }).mapTiles!;
    expect(tiles).toMatchObject({ provider: "xyz", datum: "gcj02", attribution: "© 高德地图", maxZoom: 18 });
    expect(tiles.layers[0]!.subdomains).toEqual(["1", "2", "3", "4"]);
    expect(tileOrigins(tiles)).toEqual(["https://webrd01.is.autonavi.com", "https://webrd02.is.autonavi.com", "https://webrd03.is.autonavi.com", "https://webrd04.is.autonavi.com"]);
  });

  it("honours the older GONGZHI_TILE_URL, WGS-84 by default, attributed to its host", () => {
    const tiles = loadConfig({ GONGZHI_TILE_URL: "https://{s}.tile.example.org/{z}/{x}/{y}.png" }).mapTiles!;
    expect(tiles).toMatchObject({ provider: "xyz", datum: "wgs84", attribution: "a.tile.example.org" });
    expect(tileOrigins(tiles)).toEqual(["https://a.tile.example.org", "https://b.tile.example.org", "https://c.tile.example.org"]);
  });

  it.each([
    [{ GONGZHI_MAP_TILES: "google" }, /GONGZHI_MAP_TILES="google" is not one of none, tianditu, xyz/],
    [{ GONGZHI_MAP_TILES: "tianditu" }, /needs GONGZHI_TIANDITU_KEY/],
    [{ GONGZHI_MAP_TILES: "tianditu", GONGZHI_TIANDITU_KEY: "not a key!" }, /GONGZHI_TIANDITU_KEY is not a 天地图 key/],
    [{ GONGZHI_MAP_TILES: "tianditu", GONGZHI_TIANDITU_KEY: key, GONGZHI_MAP_CRS: "gcj02" }, /does not fit 天地图/],
    [{ GONGZHI_MAP_TILES: "xyz" }, /needs GONGZHI_MAP_TILE_URL/],
    [{ GONGZHI_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}.png" }, /GONGZHI_MAP_TILE_URL must contain \{z\}, \{x\} and \{y\} \(missing \{y\}\)/],
    [{ GONGZHI_MAP_TILE_URL: "ftp://tiles.example.org/{z}/{x}/{y}.png" }, /must be an http\(s\) URL template/],
    [{ GONGZHI_MAP_TILE_URL: "tiles/{z}/{x}/{y}.png" }, /is not a URL template/],
    [{ GONGZHI_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}/{y}.png?key={apikey}" }, /only use the placeholders/],
    [{ GONGZHI_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}/{y}.png", GONGZHI_MAP_CRS: "bd09" }, /GONGZHI_MAP_CRS="bd09" is not one of wgs84, gcj02/],
    [{ GONGZHI_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}/{y}.png", GONGZHI_MAP_SUBDOMAINS: "abc" }, /GONGZHI_MAP_SUBDOMAINS is set but the tile URL has no \{s\}/],
    [{ GONGZHI_MAP_TILE_URL: "https://{s}.example.org/{z}/{x}/{y}.png", GONGZHI_MAP_SUBDOMAINS: "a,b/c" }, /GONGZHI_MAP_SUBDOMAINS="a,b\/c" must be letters or digits/],
    [{ GONGZHI_MAP_TILE_URL: "https://tiles.example.org/{z}/{x}/{y}.png", GONGZHI_MAP_MAX_ZOOM: "30" }, /GONGZHI_MAP_MAX_ZOOM="30" is not a whole number from 1 to 22/],
  ])("a bad value stops the start with one readable line: %j", (env, line) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(line);
  });
});

describe.each(testEngines().slice(0, 1))("map tiles at the HTTP surface on $name", (engine) => {
  let offline: TestApp;
  let tianditu: TestApp;

  beforeAll(async () => {
    offline = await startTestApp(engine);
    tianditu = await startTestApp(engine, { GONGZHI_MAP_TILES: "tianditu", GONGZHI_TIANDITU_KEY: key });
  });
  afterAll(async () => {
    await offline?.close();
    await tianditu?.close();
  });

  it("offline: /api/config names no provider and the CSP allows images from this host only", async () => {
    const res = await offline.app.inject({ method: "GET", url: "/api/config" });
    expect(res.json()).toMatchObject({ map: { provider: "none", layers: [], datum: "wgs84" } });
    const csp = String(res.headers["content-security-policy"]);
    expect(/img-src ([^;]*)/.exec(csp)![1]!.trim()).toBe("'self' data: blob:");
  });

  it("天地图: /api/config serves its layers and the CSP allows exactly its tile hosts", async () => {
    const res = await tianditu.app.inject({ method: "GET", url: "/api/config" });
    const map = res.json<{ map: { provider: string; datum: string; layers: { url: string; subdomains: string[] }[] } }>().map;
    expect(map.provider).toBe("tianditu");
    expect(map.datum).toBe("wgs84");
    expect(map.layers).toHaveLength(2);
    const imgSrc = /img-src ([^;]*)/.exec(String(res.headers["content-security-policy"]))![1]!.trim().split(/\s+/);
    expect(imgSrc).toEqual(["'self'", "data:", "blob:", ...Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`)]);
    // Scripts and connections stay on this host: the tiles are images, nothing else.
    expect(String(res.headers["content-security-policy"])).toMatch(/connect-src 'self'(;|$)/);
  });
});
