/**
 * Ports (docs/decisions/007-module-walls.md): a lower module's port throws a clear Error until
 * the higher module plugs it in, and the module list plugs every one of them.
 */
import { describe, expect, it, vi } from "vitest";

const ports = [
  { file: "./areas/residents-port.js", get: "areaResidents", by: "people" },
  { file: "./places/occupants-port.js", get: "placeOccupants", by: "people" },
  { file: "./people/post-areas-port.js", get: "postHolderAreas", by: "orgs" },
  { file: "../platform/auth/persons-port.js", get: "userPersons", by: "people" },
] as const;

describe("ports between modules", () => {
  it.each(ports)("$file throws until plugged, naming the module list", async (p) => {
    vi.resetModules();
    const port = (await import(p.file)) as Record<string, () => unknown>;
    expect(() => port[p.get]!()).toThrow(/not plugged.*src\/modules\/index\.ts/);
  });

  it.each(ports)("the module list plugs $file ($by)", async (p) => {
    vi.resetModules();
    await import("./index.js");
    const port = (await import(p.file)) as Record<string, () => unknown>;
    expect(port[p.get]!()).toEqual(expect.any(Object));
  });
});
