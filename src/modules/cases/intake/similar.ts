/**
 * 类似问题: open cases of the same sub-category close in space and time to a report being written
 * ("附近已有类似问题…"), and the merge of a duplicate into the case that already handles it.
 *
 * Close = within 200 m and submitted in the last 7 days. What the asker learns depends on what they
 * may read (the same scope as the case list, in SQL):
 * - a case the asker may read (their own report; a case of their grid, community, street or
 *   department) comes in full: number, status, distance, time and the first words of the
 *   description with every digit hidden (house numbers, phone numbers a reporter may have typed);
 * - a resident also learns of other open cases nearby, but only as the public board shows them
 *   (公开栏): the category phrase, the grid, the status and the day — no number, no words of the
 *   reporter, no distance (distances from points of one's choosing would place the case exactly);
 * - staff are told of nothing outside their scope.
 */
import { and, eq, gte, inArray, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../../../platform/db/index.js";
import { actorFace, type Actor } from "../../../platform/auth/actor.js";
import { AppError, type Bilingual } from "../../../platform/errors.js";
import { authorize } from "../../../platform/policy/index.js";
import { maskAddress } from "../../../platform/mask.js";
import { chinaDateOf } from "../../../platform/calendar/index.js";
import { areaNames } from "../../areas/index.js";
import { applyTransition, caseActorOf, lockCase, type CaseRow } from "../core.js";
import { openStatuses, statusLabels, type CaseStatus } from "../machine.js";
import { publicSummary } from "../board/board.js";
import { casePolicy, caseScopeCondition, loadCaseRecord } from "../policy.js";
import { caseCategories, cases } from "../schema.js";

export const similarRadiusM = 200;
export const similarWindowDays = 7;
export const similarMax = 5;
const excerptLength = 40;

/** A similar case the asker may read. */
export interface ReadableSimilarCase {
  kind: "case";
  id: string;
  caseNo: string;
  status: string;
  statusLabel: string;
  distanceM: number;
  submittedAt: string;
  excerpt: string;
}

/** A similar case a resident may not read, as the public board shows it. */
export interface BoardSimilarCase {
  kind: "board";
  summary: { zh: string; en: string };
  gridName: string;
  status: string;
  statusLabel: string;
  /** China calendar day. */
  submittedOn: string;
}

export type SimilarCase = ReadableSimilarCase | BoardSimilarCase;

const earthRadiusM = 6_371_008.8;

/** Great-circle distance in metres. */
export function distanceM(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLng = (lng2 - lng1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * earthRadiusM * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** The first words of a description with digits hidden. */
export function excerptOf(description: string): string {
  const chars = [...description.replace(/\s+/g, " ").trim()];
  const head = chars.slice(0, excerptLength).join("");
  return maskAddress(chars.length > excerptLength ? `${head}…` : head);
}

/**
 * Open cases of `categoryCode` within 200 m of the point and 7 days of `now`, nearest first, at
 * most 5: those the actor may read in full, and — for a resident — the others at board level.
 */
export async function findSimilarCases(
  db: Db,
  actor: Actor,
  opts: { categoryCode: string; lng: number; lat: number; now?: Date; excludeId?: string },
): Promise<SimilarCase[]> {
  const now = opts.now ?? new Date();
  const dLat = similarRadiusM / 111_320;
  const dLng = similarRadiusM / (111_320 * Math.max(0.01, Math.cos((opts.lat * Math.PI) / 180)));
  const since = new Date(now.getTime() - similarWindowDays * 86_400_000);
  const readable = caseScopeCondition(actor);
  const conditions: SQL[] = [
    eq(cases.categoryCode, opts.categoryCode),
    gte(cases.submittedAt, since),
    inArray(cases.status, [...openStatuses]),
    gte(cases.lat, opts.lat - dLat),
    lte(cases.lat, opts.lat + dLat),
    gte(cases.lng, opts.lng - dLng),
    lte(cases.lng, opts.lng + dLng),
  ];
  // Staff learn only of cases they may read; a resident of the rest as the public board shows them.
  const boardLevel = actorFace(actor) === "resident";
  if (!boardLevel) conditions.push(readable);
  const candidates = await db
    .select({
      id: cases.id,
      caseNo: cases.caseNo,
      status: cases.status,
      lng: cases.lng,
      lat: cases.lat,
      submittedAt: cases.submittedAt,
      description: cases.description,
      source: cases.source,
      categoryName: caseCategories.name,
      categoryNameEn: caseCategories.nameEn,
      gridId: cases.gridId,
      readable: sql<boolean>`${readable}`,
    })
    .from(cases)
    .innerJoin(caseCategories, eq(caseCategories.id, cases.categoryId))
    .where(and(...conditions));
  const nearest = candidates
    .filter((c) => c.id !== opts.excludeId)
    .map((c) => ({ c, d: distanceM(opts.lng, opts.lat, c.lng, c.lat) }))
    .filter((x) => x.d <= similarRadiusM)
    .sort((a, b) => a.d - b.d || b.c.submittedAt.getTime() - a.c.submittedAt.getTime())
    .slice(0, similarMax);
  // Grid names only for the board-level answers kept (one query for all of them).
  const gridNames = await areaNames(db, nearest.filter(({ c }) => c.readable !== true).map(({ c }) => c.gridId));
  return nearest.map(({ c, d }): SimilarCase => {
      const statusLabel = statusLabels[c.status as CaseStatus]?.zh ?? c.status;
      if (c.readable !== true) {
        return {
          kind: "board",
          summary: publicSummary(c.source, c.categoryName, c.categoryNameEn),
          gridName: gridNames.get(c.gridId) ?? "",
          status: c.status,
          statusLabel,
          submittedOn: chinaDateOf(c.submittedAt),
        };
      }
      return {
        kind: "case",
        id: c.id,
        caseNo: c.caseNo,
        status: c.status,
        statusLabel,
        distanceM: Math.round(d),
        submittedAt: c.submittedAt.toISOString(),
        excerpt: excerptOf(c.description),
      };
    });
}

function mergeInvalid(zh: string, en: string, field = "intoId"): AppError {
  const detail: Bilingual = { code: "case_merge_invalid", zh, en };
  return new AppError("case_merge_invalid", { detail }, field);
}

/**
 * 合并: a dispatcher folds a duplicate report (submitted or registered) into an open case of the
 * same sub-category that handles the same problem. The duplicate ends as `merged`, pointing at
 * the case it joined; the reporter sees that step and the number of the case now handling it.
 */
export async function mergeCase(db: Db, actor: Actor, id: string, input: { intoId: string; note?: string | undefined }): Promise<{ case: CaseRow; into: CaseRow }> {
  return db.transaction(async (tx) => {
    if (id === input.intoId) throw mergeInvalid("不能合并到案件自身", "a case cannot be merged into itself");
    // Both rows locked in one order, so two merges of the same pair never deadlock.
    const [firstId, secondId] = [id, input.intoId].sort() as [string, string];
    const first = await lockCase(tx, firstId).catch(notFoundAs(firstId === id ? undefined : "intoId"));
    const second = await lockCase(tx, secondId).catch(notFoundAs(secondId === id ? undefined : "intoId"));
    const source = first.id === id ? first : second;
    const into = first.id === id ? second : first;
    authorize(actor, "dispatch", await loadCaseRecord(tx, source), casePolicy);
    const intoRecord = await loadCaseRecord(tx, into);
    if (!casePolicy.read(actor, intoRecord)) throw new AppError("not_found", {}, "intoId");
    if (source.categoryCode !== into.categoryCode) throw mergeInvalid("两件案件的类别不同", "the two cases are of different categories");
    if (into.mergedIntoId !== null || into.status === "merged") throw mergeInvalid("目标案件本身已被合并", "the target case was itself merged into another");
    if (!openStatuses.includes(into.status as CaseStatus)) throw mergeInvalid("目标案件已办结或已关闭", "the target case is no longer open");
    const note = input.note?.trim() || null;
    const merged = await applyTransition(tx, caseActorOf(actor), source, "merge", {
      note,
      patch: { mergedIntoId: into.id },
      data: { intoId: into.id, intoCaseNo: into.caseNo },
    });
    return { case: merged.case, into };
  });
}

function notFoundAs(field: string | undefined) {
  return (e: unknown): never => {
    if (e instanceof AppError && e.code === "not_found") throw new AppError("not_found", {}, field);
    throw e;
  };
}
