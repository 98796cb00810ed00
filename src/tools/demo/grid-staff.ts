/**
 * 网格力量 of the demo street: every grid gets a 网格长 (a community worker), a 网格指导员 (a street
 * cadre sent down to the community, instructing all its grids), one 专职网格员 and 0–2 兼职网格员
 * chosen among the grid's building heads and volunteers. The demo `gridworker` login is the
 * 专职网格员 of its grid.
 *
 * Drawn from its own random stream and ids, so the rest of the demo street keeps its figures.
 */
import { fullName, type Gender } from "./names.js";
import type { Random } from "./random.js";
import type { DemoArea, DemoPerson, DemoUser } from "./generate.js";

export interface DemoGridStaff {
  id: string;
  gridId: string;
  role: "leader" | "instructor" | "fullTime" | "partTime";
  userId: string | null;
  personId: string | null;
  name: string;
  /** "YYYY-MM-DD" */
  startedOn: string;
}

export interface GridStaffContext {
  random: Random;
  year: number;
  grids: { area: DemoArea; communityIndex: number }[];
  persons: DemoPerson[];
  /** The grid worker login and the grid it is granted on. */
  gridWorker: { user: DemoUser; gridId: string } | undefined;
}

export function generateGridStaff(ctx: GridStaffContext): DemoGridStaff[] {
  const rnd = ctx.random;
  const ids = rnd.fork("ids");
  const out: DemoGridStaff[] = [];
  const name = (minAge: number, maxAge: number) => {
    const gender: Gender = rnd.chance(0.55) ? "female" : "male";
    return fullName(rnd, gender, ctx.year - rnd.int(minAge, maxAge));
  };
  /** A day in the last `years` years before the reference year (days 1–28 are valid in every month). */
  const dayIn = (years: number) => {
    const y = ctx.year - rnd.int(1, years);
    return `${y}-${String(rnd.int(1, 12)).padStart(2, "0")}-${String(rnd.int(1, 28)).padStart(2, "0")}`;
  };
  const byGrid = new Map<string, DemoPerson[]>();
  for (const p of ctx.persons) {
    const age = ctx.year - p.birthYear;
    if (age < 25 || age > 70) continue;
    if (!p.tags.includes("buildingHead") && !p.tags.includes("volunteer")) continue;
    const list = byGrid.get(p.gridId) ?? [];
    list.push(p);
    byGrid.set(p.gridId, list);
  }
  // One street cadre per community instructs all its grids.
  const instructors = new Map<number, { name: string; startedOn: string }>();
  for (const g of ctx.grids) {
    let instructor = instructors.get(g.communityIndex);
    if (!instructor) {
      instructor = { name: name(32, 55), startedOn: dayIn(3) };
      instructors.set(g.communityIndex, instructor);
    }
    const gridId = g.area.id;
    out.push({ id: ids.uuid(), gridId, role: "leader", userId: null, personId: null, name: name(30, 55), startedOn: dayIn(4) });
    out.push({ id: ids.uuid(), gridId, role: "instructor", userId: null, personId: null, name: instructor.name, startedOn: instructor.startedOn });
    const login = ctx.gridWorker?.gridId === gridId ? ctx.gridWorker.user : undefined;
    out.push({
      id: ids.uuid(),
      gridId,
      role: "fullTime",
      userId: login?.id ?? null,
      personId: null,
      name: login?.displayName ?? name(24, 45),
      startedOn: dayIn(4),
    });
    const pool = rnd.shuffle(byGrid.get(gridId) ?? []);
    const partTime = Math.min(pool.length, rnd.int(0, 2));
    for (const p of pool.slice(0, partTime)) {
      out.push({ id: ids.uuid(), gridId, role: "partTime", userId: null, personId: p.id, name: p.name, startedOn: dayIn(3) });
    }
  }
  return out;
}
