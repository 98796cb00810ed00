/**
 * No module writes another module's tables (docs/decisions/007-module-walls.md). Each module's
 * SQL — raw (`insert into x`, `update x`, `delete from x`, `merge into x`) and Drizzle
 * (`.insert(table)`, `.update(table)`, `.delete(table)`) — may only write tables its own
 * schema.ts declares; platform's tables are written through platform's functions. A module
 * that needs another's rows changed publishes an event or calls the owner's public function.
 *
 * Nor does a module read another's tables in SQL (`from x`, `join x`) unless the owner publishes
 * them as a read model (`readModels` on its GongzhiModule: areas, the address tree,
 * organizations); every other read goes through the owner's public functions or a port.
 * Imports between modules are checked by dependency-cruiser in `npm run lint`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { foreignReads, foreignWrites, moduleCycles, moduleNames, readModelsOf, tableOwners, temporaryExceptions } from "../test-support/walls.js";
import { modules } from "./index.js";

describe("walls between modules", () => {
  it("finds the tables each module owns", () => {
    const owners = tableOwners();
    const ownerOf = (table: string) => owners.find((o) => o.table === table)?.owner;
    // A few anchors, so a parser that finds nothing cannot pass the test below.
    expect(ownerOf("households")).toBe("people");
    expect(ownerOf("buildings")).toBe("places");
    expect(ownerOf("areas")).toBe("areas");
    expect(ownerOf("cases")).toBe("cases");
    expect(ownerOf("role_grants")).toBe("platform/auth");
    expect(ownerOf("pii_reveals")).toBe("platform/pii");
    expect(owners.length).toBeGreaterThan(30);
  });

  // Every module is held (demo and ledgers moved to src/tools and use the modules' public functions).
  const held = moduleNames().filter((m) => !temporaryExceptions.includes(m));

  it("holds every module but the temporary exceptions", () => {
    expect(held).toEqual(expect.arrayContaining(["areas", "cases", "open311", "orgs", "people", "places"]));
  });

  it.each(held)("%s writes only its own tables", (module) => {
    const offenders = foreignWrites(module).map((w) => `${w.file}:${w.line} ${w.statement} — owned by ${w.owner}`);
    expect(offenders).toEqual([]);
  });

  it("reads the published read models from the module list, each a table of its own module", () => {
    const owners = tableOwners();
    for (const m of modules) {
      expect(readModelsOf(m.name), m.name).toEqual([...(m.readModels ?? [])]);
      for (const table of m.readModels ?? []) expect(owners.find((o) => o.table === table)?.owner, table).toBe(m.name);
    }
    // Anchors: the three published trees.
    expect(readModelsOf("areas")).toEqual(["areas"]);
    expect(readModelsOf("places")).toEqual(expect.arrayContaining(["buildings", "dwellings"]));
    expect(readModelsOf("orgs")).toEqual(["organizations"]);
  });

  it("finds a planted read of another module's table, and tells published from unpublished", () => {
    const dir = mkdtempSync(join(tmpdir(), "walls-"));
    try {
      const file = join(dir, "planted.ts");
      writeFileSync(
        file,
        [
          "const a = sql`select p.name from persons p join areas g on g.id = p.grid_id`;",
          "const b = sql`delete from persons where id = ${id}`;",
          "const c = `from persons`.length; // a template that is not SQL still counts",
          "// from households (a comment outside a template does not)",
        ].join("\n"),
      );
      const found = foreignReads("places", [file]).map((r) => [r.line, r.table, r.owner, r.published]);
      expect(found).toEqual([
        [1, "persons", "people", false],
        [1, "areas", "areas", true],
        [3, "persons", "people", false],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(held)("%s reads another module's tables only where the owner publishes them", (module) => {
    const offenders = foreignReads(module)
      .filter((r) => !r.published)
      .map((r) => `${r.file}:${r.line} ${r.statement} — owned by ${r.owner}`);
    expect(offenders).toEqual([]);
  });

  it("finds no import cycle between modules", () => {
    expect(moduleCycles(held)).toEqual([]);
  });
});
