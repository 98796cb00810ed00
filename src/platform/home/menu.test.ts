/**
 * Every console menu entry a demo login sees opens without a refusal: for each demo login and each
 * section the session answer marks open, the requests its page makes on opening (with the area the
 * page starts on: the first of /api/areas/roots) answer 200. The home's to-dos are checked the same
 * way in todos.test.ts. On both engines.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { demoLogins, demoPassword, loadDemoStreet } from "../../tools/demo/index.js";
import { consoleSectionKeys } from "../console-sections.js";

/** What each section's page asks for when it opens, given the area it starts on (undefined: it has none). */
const pageRequests: Record<string, (areaId: string | undefined) => string[]> = {
  areas: (a) => ["/api/areas/roots", ...(a ? [`/api/areas/${a}`] : [])],
  redGrid: (a) => ["/api/areas/roots", ...(a ? [`/api/areas/${a}/red-grid/coverage`] : [])],
  organizations: (a) => ["/api/areas/roots", ...(a ? [`/api/organizations?areaId=${a}`] : [])],
  partyMembers: (a) => ["/api/areas/roots", ...(a ? [`/api/party/members?areaId=${a}`] : [])],
  partyRegistrations: (a) => ["/api/areas/roots", ...(a ? [`/api/party/registrations?areaId=${a}&status=registered`, `/api/areas/${a}/party/funnel`] : [])],
  imports: () => ["/api/areas/roots"],
  caseCategories: () => ["/api/case-catalogues"],
  cases: () => ["/api/cases?status=submitted", "/api/case-categories"],
  summons: () => ["/api/summons?status=summoned", "/api/summons/stats?month=2026-12"],
  measures: (a) => ["/api/areas/roots", ...(a ? [`/api/measures?areaId=${a}`] : [])],
  webhooks: () => ["/api/webhooks"],
  residentSignups: () => ["/api/accounts/signups?status=pending&page=1&pageSize=20"],
  invitations: () => ["/api/areas/roots", "/api/accounts/invitations?page=1&pageSize=50"],
  users: () => ["/api/users?page=1&pageSize=20", "/api/areas/roots"],
};

describe.each(testEngines())("console menu of the demo logins on $name", (engine) => {
  let t: TestApp;
  const sessions = new Map<string, Session>();
  beforeAll(async () => {
    t = await startTestApp(engine);
    await loadDemoStreet(t.database, { keyring: t.keyring });
    for (const l of demoLogins) sessions.set(l.username, await t.login(l.username, demoPassword));
  }, 600_000);
  afterAll(async () => t?.close());

  it("knows the requests of every section's page", () => {
    expect(Object.keys(pageRequests).sort()).toEqual(consoleSectionKeys());
  });

  it.each(demoLogins.map((l) => l.username))("opens every entry of %s's menu without 403 or 404", async (username) => {
    const who = sessions.get(username)!;
    const me = await t.as(who, "GET", "/api/auth/me");
    expect(me.statusCode).toBe(200);
    const { sections, face } = (me.json() as { user: { sections: Record<string, boolean>; face: string } }).user;
    const roots = await t.as(who, "GET", "/api/areas/roots");
    const areaId = roots.statusCode === 200 ? (roots.json() as { id: string }[])[0]?.id : undefined;
    const open = Object.keys(sections).filter((k) => sections[k]);
    if (face === "console") expect(open.length, username).toBeGreaterThan(0);
    const refused: string[] = [];
    for (const key of open) {
      for (const url of pageRequests[key]!(areaId)) {
        const res = await t.as(who, "GET", url);
        if (res.statusCode !== 200) refused.push(`${key}: GET ${url} → ${res.statusCode}`);
      }
    }
    expect(refused, username).toEqual([]);
    // The home is every console login's first page; its to-dos answer too.
    expect((await t.as(who, "GET", "/api/home/todos")).statusCode).toBe(200);
  });
});
