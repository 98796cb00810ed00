/**
 * The console's menu follows the server's policies: the session answer says, per section, whether
 * one of the user's roles opens it, and opening one is then not refused.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../test-support/databases.js";
import { startTestApp, type TestApp } from "../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../test-support/factories.js";
import { consoleSectionKeys } from "./console-sections.js";

describe.each(testEngines())("console sections on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
  });
  afterAll(async () => t?.close());

  const sectionsOf = async (role: Parameters<typeof createTestUser>[1]["role"], areaId: string) => {
    const session = await t.login((await createTestUser(t.database.db, { role, areaId })).username);
    const me = await t.as(session, "GET", "/api/auth/me");
    expect(me.statusCode).toBe(200);
    return { session, sections: (me.json() as { user: { sections: Record<string, boolean> } }).user.sections };
  };

  it("declares every section once, from the modules, the ledgers tool and platform", () => {
    expect(consoleSectionKeys()).toEqual(
      ["areas", "caseCategories", "cases", "imports", "invitations", "measures", "organizations", "partyMembers", "partyRegistrations", "redGrid", "residentSignups", "summons", "users", "webhooks"],
    );
  });

  it("gives a department its cases, summons, measures and organizations, and no registry page that would refuse it", async () => {
    const { session, sections } = await sectionsOf("departmentStaff", s.street);
    expect(sections).toMatchObject({ cases: true, summons: true, measures: true, redGrid: false, partyRegistrations: false, partyMembers: false, imports: false, webhooks: false, caseCategories: false, residentSignups: false, invitations: false });
    // What the menu hides is what the server refuses: red grid coverage is not the department's.
    expect((await t.as(session, "GET", `/api/areas/${s.street}/red-grid/coverage`)).statusCode).toBe(404);
  });

  it("gives a community worker the registry and the case loop, not the catalogue or webhooks", async () => {
    const { session, sections } = await sectionsOf("communityWorker", s.communityA);
    expect(sections).toMatchObject({ areas: true, redGrid: true, partyMembers: true, partyRegistrations: true, imports: true, cases: true, summons: true, measures: true, residentSignups: true, invitations: true, caseCategories: false, webhooks: false });
    expect((await t.as(session, "GET", `/api/areas/${s.communityA}/red-grid/coverage`)).statusCode).toBe(200);
    const admin = await sectionsOf("systemAdmin", s.street);
    expect(admin.sections.webhooks).toBe(true);
  });
});
