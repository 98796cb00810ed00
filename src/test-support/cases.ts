/**
 * Case fixtures: a small catalogue (two top-level categories, three sub-categories), a district
 * department, and `insertCase` that puts a case straight into a given status (with its submission
 * recorded through core.ts) for tests of later steps.
 */
import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Db } from "../platform/db/index.js";
import { areas } from "../modules/areas/schema.js";
import { organizations } from "../modules/orgs/schema.js";
import { caseCatalogues, caseCategories, cases, type CaseLevel, type CaseSource } from "../modules/cases/schema.js";
import { recordSubmission, systemActor, type CaseRow } from "../modules/cases/core.js";
import { areaAtLevel } from "../modules/cases/levels.js";
import type { CaseStatus } from "../modules/cases/machine.js";
import { caseSearchWords } from "../modules/cases/search.js";
import type { TinyStreet } from "./factories.js";

export interface TestCatalogue {
  catalogueId: string;
  /** 市容环境 → 暴露垃圾 (4 working hours, grid first, territory). */
  garbage: { id: string; code: string };
  /** 市政设施 → 路灯损坏 (owner first, department, 3 working days). */
  streetLight: { id: string; code: string };
  /** 市容环境 → 占道经营 (community first, 2 working days). */
  streetVending: { id: string; code: string };
  departmentId: string;
  secondDepartmentId: string;
  districtId: string;
}

export async function seedCaseCatalogue(db: Db, street: TinyStreet): Promise<TestCatalogue> {
  const [s] = await db.select({ parentId: areas.parentId, path: areas.path }).from(areas).where(eq(areas.id, street.street));
  const districtId = s!.parentId!;
  const [dept] = await db
    .insert(organizations)
    .values({ kind: "department", name: "测试区住房和城乡建设局", areaId: districtId, path: "/" })
    .returning({ id: organizations.id });
  const [dept2] = await db
    .insert(organizations)
    .values({ kind: "department", name: "测试区综合行政执法局", areaId: districtId, path: "/" })
    .returning({ id: organizations.id });
  const [cat] = await db.insert(caseCatalogues).values({ version: 1, status: "active", publishedAt: new Date() }).returning({ id: caseCatalogues.id });
  const catalogueId = cat!.id;
  const top = async (code: string, name: string) =>
    (await db.insert(caseCategories).values({ catalogueId, code, name }).returning({ id: caseCategories.id }))[0]!.id;
  const env = await top("01", "市容环境");
  const mun = await top("02", "市政设施");
  const sub = async (parentId: string, code: string, name: string, v: Partial<typeof caseCategories.$inferInsert>) => {
    const [r] = await db
      .insert(caseCategories)
      .values({ catalogueId, parentId, code, name, ...v })
      .returning({ id: caseCategories.id, code: caseCategories.code });
    return r!;
  };
  const garbage = await sub(env, "0101", "暴露垃圾", {
    responseLimitValue: 1,
    responseLimitUnit: "workingHours",
    handleLimitValue: 4,
    handleLimitUnit: "workingHours",
    firstLevel: "grid",
    responsibility: "territory",
  });
  const streetVending = await sub(env, "0102", "占道经营", {
    responseLimitValue: 2,
    responseLimitUnit: "workingHours",
    handleLimitValue: 2,
    handleLimitUnit: "workingDays",
    firstLevel: "community",
    responsibility: "territory",
  });
  const streetLight = await sub(mun, "0201", "路灯损坏", {
    kind: "component",
    responseLimitValue: 4,
    responseLimitUnit: "workingHours",
    handleLimitValue: 3,
    handleLimitUnit: "workingDays",
    firstLevel: "department",
    responsibility: "owner",
    departmentOrgId: dept!.id,
  });
  return { catalogueId, garbage, streetLight, streetVending, departmentId: dept!.id, secondDepartmentId: dept2!.id, districtId };
}

const defaultDescription = "楼下垃圾桶满了好几天没人清运，气味很大。";

/**
 * A case in grid A1 of the tiny street, put straight into `status` at `level` (default: submitted
 * at grid level). For tests of later steps; intake has its own tests through the API.
 */
export async function insertCase(
  db: Db,
  street: TinyStreet,
  category: { id: string; code: string },
  opts: { status?: CaseStatus; level?: CaseLevel; reporterUserId?: string | null; gridId?: string; source?: CaseSource; handlingOrgId?: string | null; submittedAt?: Date; description?: string } = {},
): Promise<CaseRow> {
  const gridId = opts.gridId ?? street.gridA1;
  const [g] = await db.select({ path: areas.path }).from(areas).where(eq(areas.id, gridId));
  const areaPath = g!.path;
  const level = opts.level ?? "grid";
  const ids = areaPath.split("/").filter(Boolean);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(cases)
      .values({
        caseNo: `T${randomUUID().replace(/-/g, "").slice(0, 15).toUpperCase()}`,
        source: opts.source ?? "resident",
        categoryId: category.id,
        categoryCode: category.code,
        description: opts.description ?? defaultDescription,
        status: opts.status ?? "submitted",
        level,
        handlingAreaId: areaAtLevel(areaPath, level),
        handlingOrgId: level === "department" ? (opts.handlingOrgId ?? null) : null,
        gridId,
        areaPath,
        communityId: ids[3] ?? null,
        streetId: ids[2] ?? null,
        lng: 104.005,
        lat: 30.005,
        reporterUserId: opts.reporterUserId ?? null,
        submittedAt: opts.submittedAt ?? new Date(),
        searchWords: caseSearchWords(opts.description ?? defaultDescription, null),
      })
      .returning();
    return (await recordSubmission(tx, systemActor, row!)).case;
  });
}
