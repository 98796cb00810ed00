import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { demoPassword, loadDemoStreet } from "../../tools/demo/index.js";

interface Org {
  id: string;
  parentId: string | null;
  kind: string;
  kindLabel: string;
  areaId: string | null;
  memberCount: number;
}

describe.each(testEngines())("organizations on the demo street ($name)", (engine) => {
  let t: TestApp;
  let street: Session;
  let worker: Session;
  let ids: { street: string; community1: string; community2: string };
  beforeAll(async () => {
    t = await startTestApp(engine);
    await loadDemoStreet(t.database);
    const [s] = await t.database.query<{ id: string }>("select id from areas where level = 'street'");
    const cs = await t.database.query<{ id: string }>("select id from areas where level = 'community' order by code limit 2");
    ids = { street: s!.id, community1: cs[0]!.id, community2: cs[1]!.id };
    street = await t.login("streetadmin", demoPassword);
    worker = await t.login("communityworker", demoPassword);
  });
  afterAll(async () => t?.close());

  const party = async (who: Session, areaId: string) => {
    const res = await t.as(who, "GET", `/api/organizations?areaId=${areaId}&party=true`);
    expect(res.statusCode).toBe(200);
    return (res.json() as { items: Org[] }).items;
  };

  it("gives the street the whole party organization tree: 工委 → 社区党委 → 网格党支部", async () => {
    const items = await party(street, ids.street);
    const roots = items.filter((o) => !o.parentId || !items.some((p) => p.id === o.parentId));
    expect(roots.map((r) => r.kind)).toEqual(["streetWorkingCommittee"]);
    expect(roots[0]!.kindLabel).toBe("街道(大)工委");
    const committees = items.filter((o) => o.kind === "communityPartyCommittee");
    expect(committees).toHaveLength(11);
    expect(committees.every((c) => c.parentId === roots[0]!.id)).toBe(true);
    const [grids] = await t.database.query<{ n: string }>("select count(*)::text as n from areas where level = 'grid'");
    const branches = items.filter((o) => o.kind === "gridPartyBranch");
    expect(branches).toHaveLength(Number(grids!.n));
    // Parents always come before their children.
    const seen = new Set<string>();
    for (const o of items) {
      if (o.parentId && items.some((p) => p.id === o.parentId)) expect(seen.has(o.parentId)).toBe(true);
      seen.add(o.id);
    }
    expect(items.reduce((n, o) => n + o.memberCount, 0)).toBeGreaterThan(500);
    expect(items.some((o) => !["streetWorkingCommittee", "communityPartyCommittee", "gridPartyBranch", "buildingPartyGroup", "interestPartyGroup"].includes(o.kind))).toBe(false);
  });

  it("lists community bodies too when not limited to party organizations", async () => {
    const res = await t.as(worker, "GET", `/api/organizations?areaId=${ids.community1}`);
    const kinds = new Set((res.json() as { items: Org[] }).items.map((o) => o.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(["communityPartyCommittee", "gridPartyBranch", "residentsCommittee", "workStation"]));
  });

  it("keeps a community worker to their own community", async () => {
    const mine = await party(worker, ids.community1);
    expect(mine.filter((o) => o.kind === "communityPartyCommittee")).toHaveLength(1);
    expect((await t.as(worker, "GET", `/api/organizations?areaId=${ids.community2}`)).statusCode).toBe(404);
    expect((await t.as(worker, "GET", `/api/organizations?areaId=${ids.street}`)).statusCode).toBe(404);
  });
});
