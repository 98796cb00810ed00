/**
 * Grid import with `replace`, on both engines: like a split or merge, each retired grid gets a
 * lineage row to every imported grid overlapping it, and its role grants are copied to them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";

const rect = (w: number, s: number, e: number, n: number) => ({ type: "Polygon", coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] });
const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: "Feature", properties, geometry });
const fc = (...features: unknown[]) => ({ type: "FeatureCollection", features });

interface Outcome {
  ok: boolean;
  grids: { feature: number; id: string | null; name: string; code: string; action: string }[];
  retired: { id: string }[];
  lineage: { from: string; feature: number; to: string | null; kind: string }[];
  grantsCopied: number;
  staffCopied: number;
}

describe.each(testEngines())("grid import replace: lineage and grants on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let worker: Session;
  let gridWorker: Session;
  let gridWorkerId: string;
  const url = (q = "") => `/api/imports/grids?communityId=${s.communityA}${q}`;
  const lineage = () =>
    t.database.query<{ kind: string; from_area_id: string; to_area_id: string }>("select kind, from_area_id, to_area_id from area_lineage order by kind, from_area_id, to_area_id");
  const staffOf = async (gridId: string) =>
    (await t.database.query<{ role: string; name: string }>("select role, name from grid_staff where grid_id = $1 and ended_on is null order by role, name", [gridId])).map((r) => `${r.role}:${r.name}`);
  const grantsOf = async (userId: string) => (await t.database.query<{ area_id: string }>("select area_id from role_grants where user_id = $1", [userId])).map((g) => g.area_id).sort();

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db, "990900");
    worker = await t.login((await createTestUser(t.database.db, { role: "communityWorker", areaId: s.communityA })).username);
    const gw = await createTestUser(t.database.db, { role: "gridWorker", areaId: s.gridA2 });
    gridWorkerId = gw.id;
    gridWorker = await t.login(gw.username);
  });
  afterAll(async () => t?.close());

  it("splits a replaced grid into the features overlapping it, copying its grants; a redrawn grid keeps its identity and gets no lineage", async () => {
    // 甲社区第一网格 (south half) is redrawn by its code; 甲社区第二网格 (north half) is replaced by two features.
    const body = fc(
      feature({ name: "甲社区第一网格", code: "990901001001001" }, rect(104, 30, 104.01, 30.01)),
      feature({ name: "北西网格" }, rect(104, 30.01, 104.005, 30.02)),
      feature({ name: "北东网格" }, rect(104.005, 30.01, 104.01, 30.02)),
    );
    const dry = await t.as(worker, "POST", url("&replace=true&dryRun=true"), body);
    expect(dry.statusCode, dry.body).toBe(200);
    expect((dry.json() as Outcome).lineage).toEqual([
      { from: s.gridA2, feature: 2, to: null, kind: "split" },
      { from: s.gridA2, feature: 3, to: null, kind: "split" },
    ]);
    expect(await lineage()).toEqual([]);
    expect(await grantsOf(gridWorkerId)).toEqual([s.gridA2]);

    await t.database.query("insert into grid_staff (grid_id, role, name, started_on) values ($1, 'leader', '王网格长', '2024-01-01'), ($1, 'partTime', '李兼职', '2024-01-01')", [s.gridA2]);
    const res = await t.as(worker, "POST", url("&replace=true"), body);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as Outcome;
    const [, westId, eastId] = o.grids.map((g) => g.id!);
    // The staff of the retired grid serve in both successors; their terms in the old grid end.
    expect(o.staffCopied).toBe(4);
    expect(await staffOf(westId!)).toEqual(["leader:王网格长", "partTime:李兼职"]);
    expect(await staffOf(eastId!)).toEqual(["leader:王网格长", "partTime:李兼职"]);
    expect(await staffOf(s.gridA2)).toEqual([]);
    expect(o.retired.map((r) => r.id)).toEqual([s.gridA2]);
    expect(o.lineage).toEqual([
      { from: s.gridA2, feature: 2, to: westId, kind: "split" },
      { from: s.gridA2, feature: 3, to: eastId, kind: "split" },
    ]);
    expect(await lineage()).toEqual(
      [
        { kind: "split", from_area_id: s.gridA2, to_area_id: westId! },
        { kind: "split", from_area_id: s.gridA2, to_area_id: eastId! },
      ].sort((a, b) => a.to_area_id.localeCompare(b.to_area_id)),
    );
    // The grid worker of the retired grid now works in both its successors (and keeps the old grant for history).
    expect(o.grantsCopied).toBe(2);
    expect(await grantsOf(gridWorkerId)).toEqual([s.gridA2, westId!, eastId!].sort());
    expect((await t.as(gridWorker, "GET", `/api/areas/${eastId}`)).statusCode).toBe(200);
    // The history shows the successors of the retired grid and the predecessor of each new one.
    const history = (await t.as(worker, "GET", `/api/areas/${s.gridA2}/history`)).json() as { successors: { kind: string; area: { id: string } }[] };
    expect(history.successors.map((l) => [l.kind, l.area.id]).sort()).toEqual([["split", westId], ["split", eastId]].sort());
    const audit = await t.database.query<{ summary: { grantsCopied: number } }>("select summary from audit_entries where action = 'grid.import' and entity_id = $1", [s.communityA]);
    expect(audit.map((e) => e.summary.grantsCopied)).toEqual([2]);
  });

  it("merges replaced grids into the one feature covering them, with one grant per user", async () => {
    const before = await lineage();
    const [west, east] = (await t.database.query<{ id: string }>("select id from areas where parent_id = $1 and level = 'grid' and valid_to is null and min_lat >= 30.01 order by min_lng", [s.communityA])).map((r) => r.id);
    const body = fc(feature({ name: "甲社区第一网格", code: "990901001001001" }, rect(104, 30, 104.01, 30.01)), feature({ name: "北网格" }, rect(104, 30.01, 104.01, 30.02)));
    const res = await t.as(worker, "POST", url("&replace=true"), body);
    expect(res.statusCode, res.body).toBe(200);
    const o = res.json() as Outcome;
    const north = o.grids[1]!.id!;
    expect(o.lineage.map((l) => [l.from, l.to, l.kind]).sort()).toEqual([[west, north, "merge"], [east, north, "merge"]].sort());
    const added = (await lineage()).filter((l) => !before.some((b) => b.from_area_id === l.from_area_id && b.to_area_id === l.to_area_id));
    expect(added.map((l) => [l.kind, l.from_area_id, l.to_area_id]).sort()).toEqual([["merge", west, north], ["merge", east, north]].sort());
    expect(o.grantsCopied).toBe(1);
    // Both merged grids had the same leader and part-timer: the new grid has one of each, not two leaders.
    expect(await staffOf(north)).toEqual(["leader:王网格长", "partTime:李兼职"]);
    expect(o.staffCopied).toBe(2);
    expect((await grantsOf(gridWorkerId)).filter((a) => a === north)).toHaveLength(1);
  });
});
