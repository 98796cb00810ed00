/**
 * 红色网格: runs the red grid member assignment over an area's households and keeps it in
 * `red_grid_assignments`; manual decisions are pinned and survive every re-run; the coverage
 * report shows where the rule "every grid has a party organization, every member is in a grid"
 * and the household links fall short.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, escapeLike, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskName } from "../../platform/mask.js";
import { assignRedGridMembers, coverageReport, type CoverageReport, type RedGridResult } from "./red-grid.js";
import { redGridAssignments } from "./schema.js";
import { inForceOn, today } from "../areas/index.js";
import { redGridPolicy } from "./policy.js";


async function scopedArea(db: Db, actor: Actor, areaId: string, action: "read" | "assign") {
  const [row] = await rows<{ id: string; path: string; level: string }>(db, sql`select id, path, level from areas where id = ${areaId}`);
  const area = row ? { ...row, areaPath: row.path } : undefined;
  authorize(actor, action, area, redGridPolicy);
  return area;
}

interface Loaded {
  members: { id: string; householdId: string | null; gridId: string; buildingId: string | null; lng: number; lat: number; available: boolean }[];
  households: { id: string; gridId: string; buildingId: string | null; lng: number; lat: number }[];
}

/** Members with a grid and a home position; households with their building's position. */
async function loadInputs(db: Db, path: string): Promise<Loaded> {
  const like = `${escapeLike(path)}%`;
  const members = await rows<{ id: string; household_id: string | null; grid_id: string; building_id: string | null; lng: number | null; lat: number | null; status: string }>(
    db,
    sql`select m.id, p.household_id, p.grid_id, d.building_id, b.lng, b.lat, m.status
        from party_members m join persons p on p.id = m.person_id
        join areas g on g.id = p.grid_id
        left join households h on h.id = p.household_id
        left join dwellings d on d.id = h.dwelling_id
        left join buildings b on b.id = d.building_id
        where g.path like ${like}`,
  );
  const households = await rows<{ id: string; grid_id: string; building_id: string | null; lng: number | null; lat: number | null }>(
    db,
    sql`select h.id, h.grid_id, d.building_id, b.lng, b.lat
        from households h join areas g on g.id = h.grid_id
        left join dwellings d on d.id = h.dwelling_id
        left join buildings b on b.id = d.building_id
        where g.path like ${like}`,
  );
  return {
    // A member without a known home position cannot be matched by distance: left out (reported by coverage).
    members: members
      .filter((m) => m.lng !== null && m.lat !== null)
      .map((m) => ({ id: m.id, householdId: m.household_id, gridId: m.grid_id, buildingId: m.building_id, lng: m.lng!, lat: m.lat!, available: m.status !== "floating" })),
    households: households
      .filter((h) => h.lng !== null && h.lat !== null)
      .map((h) => ({ id: h.id, gridId: h.grid_id, buildingId: h.building_id, lng: h.lng!, lat: h.lat! })),
  };
}

/**
 * Re-runs the assignment for every household under the area. Pinned decisions are inputs and
 * stay; every other row under the area is replaced in one transaction.
 */
export async function runRedGridAssignment(db: Db, actor: Actor, areaId: string): Promise<Pick<RedGridResult, "stats" | "notices"> & { unassigned: Record<string, number> }> {
  return db.transaction(async (tx) => {
    const area = await scopedArea(tx, actor, areaId, "assign");
    const inputs = await loadInputs(tx, area.path);
    const householdIds = inputs.households.map((h) => h.id);
    const existing =
      householdIds.length === 0
        ? []
        : await tx
            .select()
            .from(redGridAssignments)
            .where(inArray(redGridAssignments.householdId, householdIds))
            .for("update");
    const result = assignRedGridMembers({
      ...inputs,
      overrides: existing.filter((e) => e.pinned).map((e) => ({ householdId: e.householdId, memberId: e.memberId })),
      previous: existing.filter((e) => !e.pinned && e.memberId !== null).map((e) => ({ householdId: e.householdId, memberId: e.memberId! })),
    });
    if (householdIds.length > 0) {
      await tx.delete(redGridAssignments).where(and(inArray(redGridAssignments.householdId, householdIds), eq(redGridAssignments.pinned, false)));
    }
    const pinned = new Set(existing.filter((e) => e.pinned).map((e) => e.householdId));
    const fresh = result.assignments.filter((a) => !pinned.has(a.householdId));
    for (let i = 0; i < fresh.length; i += 1000) {
      await tx.insert(redGridAssignments).values(fresh.slice(i, i + 1000).map((a) => ({ householdId: a.householdId, memberId: a.memberId, reason: a.reason, pinned: false })));
    }
    const unassigned: Record<string, number> = {};
    for (const u of result.unassigned) unassigned[u.reason] = (unassigned[u.reason] ?? 0) + 1;
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "redGrid.assign",
      entityType: "area",
      entityId: areaId,
      change: { assignments: result.assignments.map((a) => [a.householdId, a.memberId]), unassigned: result.unassigned },
      summary: { ...result.stats, unassigned },
    });
    return { stats: result.stats, notices: result.notices, unassigned };
  });
}

/** A manual decision for one household (a member, or deliberately no one); kept on re-runs. */
export async function pinRedGridMember(db: Db, actor: Actor, householdId: string, memberId: string | null): Promise<{ householdId: string; memberId: string | null }> {
  return db.transaction(async (tx) => {
    const [h] = await rows<{ grid_id: string; grid_path: string }>(tx, sql`select h.grid_id, g.path as grid_path from households h join areas g on g.id = h.grid_id where h.id = ${householdId}`);
    authorize(actor, "assign", h ? { areaPath: h.grid_path } : undefined, redGridPolicy);
    if (memberId) {
      const [m] = await rows<{ grid_id: string | null }>(tx, sql`select p.grid_id from party_members m join persons p on p.id = m.person_id where m.id = ${memberId}`);
      if (!m) throw new AppError("not_found", {}, "memberId");
      if (m.grid_id !== h!.grid_id) throw new AppError("validation_failed", { detail: "红色网格员只联系本网格的住户" }, "memberId");
    }
    await tx
      .insert(redGridAssignments)
      .values({ householdId, memberId, reason: "override", pinned: true })
      .onConflictDoUpdate({ target: redGridAssignments.householdId, set: { memberId, reason: "override", pinned: true, assignedAt: new Date() } });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "redGrid.pin",
      entityType: "household",
      entityId: householdId,
      change: { memberId },
      summary: { pinned: true },
    });
    return { householdId, memberId };
  });
}

/** The inputs of the coverage report under an area path (one query per table). */
async function coverageInputs(db: Db, path: string) {
  const like = `${escapeLike(path)}%`;
  const [grids, communities, partyOrgs, members, households, assignments] = await Promise.all([
    rows<{ id: string; name: string; community_id: string }>(db, sql`select g.id, g.name, g.parent_id as community_id from areas g where g.level = 'grid' and g.path like ${like} and ${inForceOn("g", today())}`),
    rows<{ id: string; name: string }>(db, sql`select id, name from areas where level = 'community' and path like ${like}`),
    rows<{ id: string; kind: string; area_id: string }>(db, sql`select o.id, o.kind, o.area_id from organizations o join areas a on a.id = o.area_id where a.path like ${like} and o.dissolved_on is null`),
    rows<{ id: string; party_org_id: string; grid_id: string | null }>(
      db,
      sql`select m.id, m.party_org_id, p.grid_id from party_members m join persons p on p.id = m.person_id
          join organizations o on o.id = m.party_org_id join areas a on a.id = o.area_id where a.path like ${like}`,
    ),
    rows<{ id: string; grid_id: string }>(db, sql`select h.id, h.grid_id from households h join areas g on g.id = h.grid_id where g.path like ${like}`),
    rows<{ household_id: string; member_id: string }>(
      db,
      sql`select r.household_id, r.member_id from red_grid_assignments r join households h on h.id = r.household_id join areas g on g.id = h.grid_id
          where g.path like ${like} and r.member_id is not null`,
    ),
  ]);
  return {
    communities,
    grids: grids.map((g) => ({ id: g.id, name: g.name, communityId: g.community_id })),
    partyOrgs: partyOrgs.map((o) => ({ id: o.id, kind: o.kind, areaId: o.area_id })),
    partyMembers: members.map((m) => ({ id: m.id, partyOrgId: m.party_org_id, gridId: m.grid_id })),
    households: households.map((h) => ({ id: h.id, gridId: h.grid_id })),
    assignments: assignments.map((a) => ({ householdId: a.household_id, memberId: a.member_id })),
  };
}

/** Coverage of the red grid rule under an area (a street or a community), each ratio with its formula. */
export async function redGridCoverage(db: Db, actor: Actor, areaId: string): Promise<CoverageReport & { abilities: Record<"read" | "assign", boolean> }> {
  const area = await scopedArea(db, actor, areaId, "read");
  return { ...coverageReport(await coverageInputs(db, area.path)), abilities: abilities(redGridPolicy, actor, area) };
}

export interface GridCoverage {
  gridId: string;
  name: string;
  communityId: string;
  grids: CoverageReport["street"]["grids"];
  members: CoverageReport["street"]["members"];
  households: Omit<CoverageReport["street"]["households"], "withoutRedGridMemberIds">;
}

/**
 * The coverage of every grid under an area in one answer (for colouring the map). The same report
 * run with each grid standing as its own "community": a member counts for their grid, or, when not
 * placed, for the grid of the organization holding their relation. Household ids are left out.
 */
export async function redGridCoverageByGrid(db: Db, actor: Actor, areaId: string): Promise<GridCoverage[]> {
  const area = await scopedArea(db, actor, areaId, "read");
  const inputs = await coverageInputs(db, area.path);
  const report = coverageReport({
    grids: inputs.grids.map((g) => ({ ...g, communityId: g.id })),
    communities: inputs.grids.map((g) => ({ id: g.id, name: g.name })),
    partyOrgs: inputs.partyOrgs,
    partyMembers: inputs.partyMembers,
    households: inputs.households,
    assignments: inputs.assignments,
  });
  const communityOf = new Map(inputs.grids.map((g) => [g.id, g.communityId]));
  return report.communities.map((c) => {
    const { withoutRedGridMemberIds: _ids, ...households } = c.households;
    return { gridId: c.communityId, name: c.name ?? "", communityId: communityOf.get(c.communityId) ?? "", grids: c.grids, members: c.members, households };
  });
}

export interface RedGridMemberItem {
  memberId: string;
  personId: string;
  gridId: string;
  name: string;
  status: string;
  partyOrgName: string | null;
  households: number;
}

/**
 * The party members placed in the grids under an area, with how many households each looks after.
 * Names in clear for the roles that work with them (audited once per read), masked otherwise.
 */
export async function listRedGridMembers(db: Db, actor: Actor, areaId: string): Promise<RedGridMemberItem[]> {
  const area = await scopedArea(db, actor, areaId, "read");
  const list = await rows<{ member_id: string; person_id: string; grid_id: string; name: string; status: string; org_name: string | null; households: string | number }>(
    db,
    sql`select m.id as member_id, p.id as person_id, p.grid_id, p.name, m.status, o.name as org_name,
          (select count(*) from red_grid_assignments r where r.member_id = m.id) as households
        from party_members m join persons p on p.id = m.person_id join areas g on g.id = p.grid_id
        left join organizations o on o.id = m.party_org_id
        where g.path like ${`${escapeLike(area.path)}%`}
        order by g.code, p.name`,
  );
  const clear = inScopeOf<Scoped>("gridWorker", "communityWorker", "communitySecretary")(actor, area);
  if (clear && list.length > 0) {
    await recordAudit(db, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "redGrid.membersReadClear",
      entityType: "area",
      entityId: areaId,
      change: { members: list.length },
      summary: { members: list.length },
    });
  }
  return list.map((r) => ({
    memberId: r.member_id,
    personId: r.person_id,
    gridId: r.grid_id,
    name: clear ? r.name : maskName(r.name),
    status: r.status,
    partyOrgName: r.org_name,
    households: Number(r.households),
  }));
}

/** Removes a manual decision; the household goes back to the automatic assignment on the next run. */
export async function unpinRedGridMember(db: Db, actor: Actor, householdId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [h] = await rows<{ grid_path: string }>(tx, sql`select g.path as grid_path from households h join areas g on g.id = h.grid_id where h.id = ${householdId}`);
    authorize(actor, "assign", h ? { areaPath: h.grid_path } : undefined, redGridPolicy);
    await tx.delete(redGridAssignments).where(and(eq(redGridAssignments.householdId, householdId), eq(redGridAssignments.pinned, true)));
    await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action: "redGrid.unpin", entityType: "household", entityId: householdId, change: {}, summary: { pinned: false } });
  });
}
