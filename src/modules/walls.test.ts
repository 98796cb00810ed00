/**
 * No module writes another module's tables (docs/decisions/007-module-walls.md). Each module's
 * SQL — raw (`insert into x`, `update x`, `delete from x`, `merge into x`) and Drizzle
 * (`.insert(table)`, `.update(table)`, `.delete(table)`) — may only write tables its own
 * schema.ts declares; platform's tables are written through platform's functions. A module
 * that needs another's rows changed publishes an event or calls the owner's public function.
 * Imports between modules are checked by dependency-cruiser in `npm run lint`.
 */
import { describe, expect, it } from "vitest";
import { foreignWrites, moduleNames, tableOwners, temporaryExceptions } from "../test-support/walls.js";

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
});
