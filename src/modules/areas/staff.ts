/**
 * 网格力量: the staff of a grid — grid leader 网格长, grid instructor 网格指导员 (often a street
 * cadre), full-time and part-time grid workers 专职/兼职网格员. A 网格长 or 网格指导员 is a post, not a
 * login; a staff member is a login (`userId`: a grid worker's account), a resident (`personId`), or
 * only a name (a part-time worker with neither). One current grid leader per grid.
 */
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import { rows, textArray, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { authorize, type Scoped } from "../../platform/policy/index.js";
import type { Role } from "../../platform/policy/roles.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskName } from "../../platform/mask.js";
import { areaResidents } from "./residents-port.js";
import { gridStaff, type GridStaffRole } from "./schema.js";
import { inForceOn, today } from "./history.js";
import {  gridStaffPolicy } from "./policy.js";

export { gridStaffRoles, type GridStaffRole } from "./schema.js";


/** Who holds the post: a login, a resident of the registry, or someone known only by name. */
export type StaffHolder = "login" | "resident" | "nameOnly";

export interface GridStaffView {
  id: string;
  gridId: string;
  role: GridStaffRole;
  holder: StaffHolder;
  userId: string | null;
  personId: string | null;
  /** Clear for a login or a name alone; a resident's name as their person page shows it to the actor (masked unless they may see it clear). */
  name: string;
  startedOn: string;
  endedOn: string | null;
}

export interface GridStaffGroup {
  id: string;
  name: string;
  code: string | null;
  staff: GridStaffView[];
}

export interface GridStaffList {
  area: { id: string; name: string; level: "community" | "grid" };
  /** One group for a grid; every grid in force for a community. */
  grids: GridStaffGroup[];
  abilities: { manage: boolean };
}

interface StaffRow {
  id: string;
  grid_id: string;
  role: GridStaffRole;
  user_id: string | null;
  person_id: string | null;
  name: string;
  started_on: string;
  ended_on: string | null;
}

interface AreaRow {
  id: string;
  level: string;
  name: string;
  code: string | null;
  path: string;
  valid_to: string | null;
}

const roleOrder = sql`case s.role when 'leader' then 0 when 'instructor' then 1 when 'fullTime' then 2 else 3 end`;
const staffColumns = sql`s.id, s.grid_id, s.role, s.user_id, s.person_id, s.name, s.started_on::text as started_on, s.ended_on::text as ended_on`;

function holderOf(r: { user_id: string | null; person_id: string | null }): StaffHolder {
  return r.user_id ? "login" : r.person_id ? "resident" : "nameOnly";
}

/**
 * Which residents' names the actor sees in clear: exactly those the person page would show clear
 * (people answers, through the port), so a list never tells more than the record.
 */
function clearPersonNames(db: Db, actor: Actor, personIds: readonly string[]): Promise<Set<string>> {
  return areaResidents().clearNames(db, actor, personIds);
}

function view(r: StaffRow, clearPersons: ReadonlySet<string>): GridStaffView {
  const holder = holderOf(r);
  const clearResidents = r.person_id !== null && clearPersons.has(r.person_id);
  return {
    id: r.id,
    gridId: r.grid_id,
    role: r.role,
    holder,
    userId: r.user_id,
    personId: r.person_id,
    name: holder === "resident" && !clearResidents ? maskName(r.name) : r.name,
    startedOn: r.started_on,
    endedOn: r.ended_on,
  };
}

async function loadArea(db: Db, id: string, lock = false): Promise<(AreaRow & Scoped) | undefined> {
  const [a] = await rows<AreaRow>(
    db,
    sql`select id, level, name, code, path, valid_to::text as valid_to from areas where id = ${id}${lock ? sql` for update` : sql``}`,
  );
  return a ? { ...a, areaPath: a.path } : undefined;
}

/** The community path of a grid ("/…/community/grid/" → "/…/community/"). */
function communityPathOf(gridPath: string): string {
  return gridPath.replace(/[^/]+\/$/, "");
}

/**
 * The staff of a grid (current ones; `all` adds those who ended), or of every grid in force in a
 * community, grouped by grid. 404 outside the actor's scope.
 */
export async function listGridStaff(db: Db, actor: Actor, areaId: string, opts: { all: boolean }): Promise<GridStaffList> {
  const area = await loadArea(db, areaId);
  authorize(actor, "read", area, gridStaffPolicy);
  if (area.level !== "grid" && area.level !== "community") {
    throw new AppError("validation_failed", { detail: "只能查看社区或网格的网格力量" }, "id");
  }
  const grids =
    area.level === "grid"
      ? [area]
      : await rows<AreaRow>(
          db,
          sql`select a.id, a.level, a.name, a.code, a.path, a.valid_to::text as valid_to from areas a
              where a.parent_id = ${area.id} and a.level = 'grid' and ${inForceOn("a", today())}
              order by a.sort_order, a.code, a.name`,
        );
  const ids = grids.map((g) => g.id);
  const list =
    ids.length === 0
      ? []
      : await rows<StaffRow>(
          db,
          sql`select ${staffColumns} from grid_staff s
              where s.grid_id in (${sql.join(
                ids.map((x) => sql`${x}`),
                sql`, `,
              )})${opts.all ? sql`` : sql` and s.ended_on is null`}
              order by (s.ended_on is null) desc, ${roleOrder}, s.started_on, s.created_at`,
        );
  const clear = await clearPersonNames(db, actor, list.flatMap((r) => (r.person_id ? [r.person_id] : [])));
  return {
    area: { id: area.id, name: area.name, level: area.level },
    grids: grids.map((g) => ({ id: g.id, name: g.name, code: g.code, staff: list.filter((r) => r.grid_id === g.id).map((r) => view(r, clear)) })),
    abilities: { manage: gridStaffPolicy.manage(actor, area) },
  };
}

export interface AppointInput {
  role: GridStaffRole;
  userId?: string | undefined;
  personId?: string | undefined;
  name?: string | undefined;
  startedOn?: string | undefined;
}

const workerRoles: readonly GridStaffRole[] = ["fullTime", "partTime"];

/**
 * Appoints a grid's leader, instructor or grid worker: a login (a user granted in this grid's
 * community or above it), a resident of the community, or a name alone. One current leader per
 * grid; a retired grid takes no appointments.
 */
export async function appointGridStaff(db: Db, actor: Actor, gridId: string, input: AppointInput): Promise<{ id: string }> {
  const day = today();
  if (input.startedOn !== undefined && input.startedOn > day) {
    throw new AppError("validation_failed", { detail: "任职日期不能晚于今天" }, "startedOn");
  }
  const given = [input.userId, input.personId, input.name].filter((x) => x !== undefined).length;
  if (given !== 1) throw new AppError("validation_failed", { detail: "请在登录账号、居民和姓名中选择一项" }, "userId");
  return db.transaction(async (tx) => {
    // The grid row is locked so two appointments of a leader cannot pass the check together.
    const grid = await loadArea(tx, gridId, true);
    authorize(actor, "manage", grid, gridStaffPolicy);
    if (grid.level !== "grid") throw new AppError("validation_failed", { detail: "网格力量只能任命到网格" }, "id");
    if (grid.valid_to !== null) throw new AppError("grid_retired", { name: grid.name, date: grid.valid_to });
    const communityPath = communityPathOf(grid.path);

    let name: string;
    if (input.userId !== undefined) {
      // A login granted on this grid's community (or inside it), or on the street or district above.
      const [u] = await rows<{ display_name: string }>(
        tx,
        sql`select u.display_name from users u where u.id = ${input.userId} and not u.disabled and exists (
              select 1 from role_grants g join areas a on a.id = g.area_id
              where g.user_id = u.id and (${grid.path} like a.path || '%' or a.path like ${communityPath} || '%'))`,
      );
      if (!u) throw new AppError("not_found", {}, "userId");
      name = u.display_name;
    } else if (input.personId !== undefined) {
      const found = await areaResidents().nameInCommunity(tx, input.personId, communityPath);
      if (found === undefined) throw new AppError("not_found", {}, "personId");
      name = found;
    } else {
      name = (input.name ?? "").trim();
      if (name === "") throw new AppError("validation_failed", { detail: "请填写姓名" }, "name");
    }

    const current = await rows<{ role: GridStaffRole; user_id: string | null; person_id: string | null; name: string }>(
      tx,
      sql`select role, user_id, person_id, name from grid_staff where grid_id = ${grid.id} and ended_on is null`,
    );
    if (input.role === "leader" && current.some((c) => c.role === "leader")) {
      throw new AppError("grid_leader_taken", { grid: grid.name }, "role");
    }
    const same = (c: (typeof current)[number]) =>
      input.userId !== undefined ? c.user_id === input.userId : input.personId !== undefined ? c.person_id === input.personId : c.user_id === null && c.person_id === null && c.name === name;
    const clash = current.find((c) => same(c) && (c.role === input.role || (workerRoles.includes(c.role) && workerRoles.includes(input.role))));
    if (clash) throw new AppError("grid_staff_duplicate", { grid: grid.name }, "role");

    const id = randomUUID();
    const startedOn = input.startedOn ?? day;
    await tx.insert(gridStaff).values({ id, gridId: grid.id, role: input.role, userId: input.userId ?? null, personId: input.personId ?? null, name, startedOn });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "gridStaff.appoint",
      entityType: "gridStaff",
      entityId: id,
      change: { gridId: grid.id, role: input.role, userId: input.userId ?? null, personId: input.personId ?? null, name, startedOn },
      summary: { gridId: grid.id, role: input.role, holder: holderOf({ user_id: input.userId ?? null, person_id: input.personId ?? null }) },
    });
    return { id };
  });
}

/** Ends a staff member's term (卸任) on a day, not before it began and not after today. */
export async function endGridStaff(db: Db, actor: Actor, staffId: string, endedOn: string): Promise<void> {
  if (endedOn > today()) throw new AppError("validation_failed", { detail: "卸任日期不能晚于今天" }, "endedOn");
  await db.transaction(async (tx) => {
    const [s] = await rows<{ grid_id: string; role: GridStaffRole; started_on: string; ended_on: string | null; path: string }>(
      tx,
      sql`select s.grid_id, s.role, s.started_on::text as started_on, s.ended_on::text as ended_on, a.path
          from grid_staff s join areas a on a.id = s.grid_id where s.id = ${staffId} for update of s`,
    );
    authorize(actor, "manage", s ? { areaPath: s.path } : undefined, gridStaffPolicy);
    if (s!.ended_on !== null) throw new AppError("grid_staff_ended", { date: s!.ended_on }, "endedOn");
    if (endedOn < s!.started_on) throw new AppError("validation_failed", { detail: `卸任日期不能早于任职日期 ${s!.started_on}` }, "endedOn");
    await tx.execute(sql`update grid_staff set ended_on = ${endedOn} where id = ${staffId}`);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "gridStaff.end",
      entityType: "gridStaff",
      entityId: staffId,
      change: { endedOn },
      summary: { gridId: s!.grid_id, role: s!.role, endedOn },
    });
  });
}

export interface StaffCandidates {
  /** Logins granted on this grid's community (or a grid of it) or on the street above. */
  logins: { userId: string; name: string; roles: Role[] }[];
  /** Residents of the grid who are building heads, volunteers or party members. */
  residents: { personId: string; name: string; tags: string[]; partyMember: boolean }[];
}

/** Whom the appointment dialog offers: for those who may appoint on the grid. */
export async function listStaffCandidates(db: Db, actor: Actor, gridId: string): Promise<StaffCandidates> {
  const grid = await loadArea(db, gridId);
  authorize(actor, "manage", grid, gridStaffPolicy);
  if (grid.level !== "grid") throw new AppError("validation_failed", { detail: "网格力量只能任命到网格" }, "id");
  const communityPath = communityPathOf(grid.path);
  const logins = await rows<{ user_id: string; name: string; roles: string[] | string }>(
    db,
    sql`select u.id as user_id, u.display_name as name, array_agg(distinct g.role order by g.role) as roles
        from users u join role_grants g on g.user_id = u.id join areas a on a.id = g.area_id
        where not u.disabled and g.role in ('gridWorker', 'communityWorker', 'communitySecretary', 'streetAdmin')
          and (${grid.path} like a.path || '%' or a.path like ${communityPath} || '%')
        group by u.id, u.display_name order by u.display_name limit 200`,
  );
  const residents = await areaResidents().candidatesOfGrid(db, grid.id, 200);
  const clear = await clearPersonNames(
    db,
    actor,
    residents.map((r) => r.personId),
  );
  return {
    logins: logins.map((l) => ({ userId: l.user_id, name: l.name, roles: textArray(l.roles) as Role[] })),
    residents: residents.map((r) => ({ ...r, name: clear.has(r.personId) ? r.name : maskName(r.name) })),
  };
}

/** One post per grid: the leader, or a person (login, resident or name) per role class (专职/兼职 count as one). */
function staffKey(r: { role: GridStaffRole; user_id: string | null; person_id: string | null; name: string }): string {
  if (r.role === "leader") return "leader";
  const who = r.user_id ? `u:${r.user_id}` : r.person_id ? `p:${r.person_id}` : `n:${r.name}`;
  return `${workerRoles.includes(r.role) ? "worker" : r.role}:${who}`;
}

/**
 * When grids are split or merged: the current staff of the old grids take the same posts in each
 * new grid from `day`, and their terms in the old grids end on `day`. A merge keeps one leader
 * (the first old grid's) and one post per person and role. Returns the number of posts created.
 */
export async function carryOverStaff(tx: Db, fromIds: string[], toIds: string[], day: string, actor: Actor): Promise<number> {
  const list = await rows<StaffRow & { order_key: number }>(
    tx,
    sql`select ${staffColumns} from grid_staff s where s.ended_on is null and s.grid_id in (${sql.join(
      fromIds.map((x) => sql`${x}`),
      sql`, `,
    )}) order by ${roleOrder}, s.started_on, s.created_at`,
  );
  if (list.length === 0) return 0;
  const byGrid = (id: string) => fromIds.indexOf(id);
  const sorted = [...list].sort((a, b) => byGrid(a.grid_id) - byGrid(b.grid_id));
  const kept: StaffRow[] = [];
  const seen = new Set<string>();
  for (const r of sorted) {
    const key = staffKey(r);
    if (seen.has(key)) continue;
    seen.add(key);
    kept.push(r);
  }
  // A target may already have staff (a GeoJSON replace maps several old grids onto one new grid in
  // turn): one current leader per grid, one post per person and role class.
  const present = await rows<{ grid_id: string; role: GridStaffRole; user_id: string | null; person_id: string | null; name: string }>(
    tx,
    sql`select grid_id, role, user_id, person_id, name from grid_staff where ended_on is null and grid_id in (${sql.join(
      toIds.map((x) => sql`${x}`),
      sql`, `,
    )})`,
  );
  const taken = new Set(present.map((r) => `${r.grid_id}|${staffKey(r)}`));
  const values = toIds.flatMap((gridId) =>
    kept.filter((r) => !taken.has(`${gridId}|${staffKey(r)}`)).map((r) => ({
      id: randomUUID(),
      gridId,
      role: r.role,
      userId: r.user_id,
      personId: r.person_id,
      name: r.name,
      startedOn: r.started_on > day ? r.started_on : day,
    })),
  );
  if (values.length > 0) await tx.insert(gridStaff).values(values);
  await tx.execute(
    sql`update grid_staff set ended_on = greatest(started_on, ${day}::date) where ended_on is null and grid_id in (${sql.join(
      fromIds.map((x) => sql`${x}`),
      sql`, `,
    )})`,
  );
  await recordAudit(tx, {
    actor: { kind: actor.kind, id: actor.userId },
    action: "gridStaff.carryOver",
    entityType: "area",
    entityId: toIds[0]!,
    change: { from: fromIds, to: toIds, day, staff: kept.map((r) => r.id) },
    summary: { from: fromIds, to: toIds, day, copied: values.length },
  });
  return values.length;
}
