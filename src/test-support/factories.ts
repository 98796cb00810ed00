/**
 * Test factories that create what is missing: each test builds its own small street, so tests
 * never depend on one another or on the demo data.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../platform/db/index.js";
import { areaBoundaryVersions, areas, type AreaLevel } from "../modules/areas/schema.js";
import { households, persons } from "../modules/people/schema.js";
import { bbox, type Geometry } from "../modules/areas/geo.js";
import { users, roleGrants } from "../platform/auth/schema.js";
import { hashPassword } from "../platform/auth/password.js";
import type { Role } from "../platform/policy/roles.js";

export const testPassword = "Test-pass-2026";
let cachedHash: Promise<string> | undefined;

export function square(lng: number, lat: number, size: number): Geometry {
  return {
    type: "Polygon",
    coordinates: [
      [
        [lng, lat],
        [lng + size, lat],
        [lng + size, lat + size],
        [lng, lat + size],
        [lng, lat],
      ],
    ],
  };
}

export async function createArea(
  db: Db,
  opts: { parentId?: string | null; level: AreaLevel; name: string; code?: string | null; boundary?: Geometry; gridType?: "comprehensive" | "dedicated" },
): Promise<{ id: string; path: string }> {
  const id = randomUUID();
  let parentPath = "/";
  let depth = 0;
  if (opts.parentId) {
    const [p] = await db.select({ path: areas.path, depth: areas.depth }).from(areas).where(eq(areas.id, opts.parentId));
    if (!p) throw new Error("parent not found");
    parentPath = p.path;
    depth = p.depth + 1;
  }
  const path = `${parentPath}${id}/`;
  await db.insert(areas).values({
    id,
    parentId: opts.parentId ?? null,
    level: opts.level,
    name: opts.name,
    code: opts.code ?? null,
    path,
    depth,
    gridType: opts.gridType ?? (opts.level === "grid" ? "comprehensive" : null),
    boundary: opts.boundary ?? null,
    ...(opts.boundary ? bbox(opts.boundary) : {}),
  });
  // A grid's first boundary version (history by validity dates), drawn on a fixed past day.
  if (opts.level === "grid" && opts.boundary) {
    await db.insert(areaBoundaryVersions).values({ areaId: id, boundary: opts.boundary, ...bbox(opts.boundary), validFrom: "2024-01-01", reason: "drawn" });
  }
  return { id, path };
}

export interface TinyStreet {
  city: string;
  street: string;
  communityA: string;
  communityB: string;
  gridA1: string;
  gridA2: string;
  gridB1: string;
  householdA1: string;
  householdA2: string;
  householdB1: string;
  /** Person living in householdA1 (for the resident login). */
  personA1: string;
}

/** city → district → street → 2 communities × 2 grids (squares), one household per grid. */
export async function buildTinyStreet(db: Db, code = "990000"): Promise<TinyStreet> {
  const city = await createArea(db, { level: "city", name: "测试市", code });
  const district = await createArea(db, { parentId: city.id, level: "district", name: "测试区", code: `${code.slice(0, 4)}01` });
  const street = await createArea(db, { parentId: district.id, level: "street", name: "测试街道", code: `${code.slice(0, 4)}01001`, boundary: square(104, 30, 0.02) });
  const communityA = await createArea(db, { parentId: street.id, level: "community", name: "甲社区", code: `${code.slice(0, 4)}01001001`, boundary: { type: "Polygon", coordinates: [[[104, 30], [104.01, 30], [104.01, 30.02], [104, 30.02], [104, 30]]] } });
  const communityB = await createArea(db, { parentId: street.id, level: "community", name: "乙社区", code: `${code.slice(0, 4)}01001002`, boundary: { type: "Polygon", coordinates: [[[104.01, 30], [104.02, 30], [104.02, 30.02], [104.01, 30.02], [104.01, 30]]] } });
  const gridA1 = await createArea(db, { parentId: communityA.id, level: "grid", name: "甲社区第一网格", code: `${code.slice(0, 4)}01001001001`, boundary: square(104, 30, 0.01) });
  const gridA2 = await createArea(db, { parentId: communityA.id, level: "grid", name: "甲社区第二网格", code: `${code.slice(0, 4)}01001001002`, boundary: square(104, 30.01, 0.01) });
  const gridB1 = await createArea(db, { parentId: communityB.id, level: "grid", name: "乙社区第一网格", code: `${code.slice(0, 4)}01001002001`, boundary: square(104.01, 30, 0.01) });
  await createArea(db, { parentId: communityB.id, level: "grid", name: "乙社区第二网格", code: `${code.slice(0, 4)}01001002002`, boundary: square(104.01, 30.01, 0.01) });
  const mk = async (gridId: string, head: string, addr: string) => {
    const [h] = await db
      .insert(households)
      .values({ dwellingId: randomUUID(), gridId, address: addr, headName: head, size: 2 })
      .returning({ id: households.id });
    return h!.id;
  };
  const householdA1 = await mk(gridA1.id, "张建国", "测试市测试区测试街道幸福路12号3栋2单元502室");
  const householdA2 = await mk(gridA2.id, "李秀英", "测试市测试区测试街道幸福路14号1栋1单元101室");
  const householdB1 = await mk(gridB1.id, "王国华", "测试市测试区测试街道和平路8号5栋3单元301室");
  const [p] = await db
    .insert(persons)
    .values({ householdId: householdA1, gridId: gridA1.id, name: "张建国", gender: "male", birthYear: 1968, relation: "户主" })
    .returning({ id: persons.id });
  return {
    city: city.id,
    street: street.id,
    communityA: communityA.id,
    communityB: communityB.id,
    gridA1: gridA1.id,
    gridA2: gridA2.id,
    gridB1: gridB1.id,
    householdA1,
    householdA2,
    householdB1,
    personA1: p!.id,
  };
}

/** A user with one role on one area; password `testPassword`. */
export async function createTestUser(db: Db, opts: { role: Role; areaId: string | null; personId?: string; username?: string }): Promise<{ id: string; username: string }> {
  cachedHash ??= hashPassword(testPassword);
  const username = opts.username ?? `${opts.role}_${randomUUID().slice(0, 8)}`;
  const [u] = await db
    .insert(users)
    .values({ username, displayName: "测试用户", passwordHash: await cachedHash, personId: opts.personId ?? null })
    .returning({ id: users.id });
  await db.insert(roleGrants).values({ userId: u!.id, role: opts.role, areaId: opts.areaId });
  return { id: u!.id, username };
}
