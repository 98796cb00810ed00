/**
 * 受理登记 (intake): a new case from any source — a resident's report, a grid worker's patrol
 * (巡查上报) or a report on behalf of a resident, a 12345 hotline transfer, Open311 — becomes one
 * `cases` row in ONE transaction with its photos attached, its submission recorded (timeline step
 * + the audit entry that is the reporter's receipt) and its effects (timers, notices, webhooks).
 *
 * The location decides the grid (a point, or a building's point and grid); the category decides
 * the first level and handler (routing.ts) and the deadlines, which run on the working-time
 * calendar from the submission time (for a hotline transfer, the time of the call). Urgency does
 * not shorten them: an urgent sub-category carries its own limits in the catalogue.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db/index.js";
import type { Actor } from "../../../platform/auth/actor.js";
import { AppError } from "../../../platform/errors.js";
import { chinaDateOf } from "../../../platform/calendar/index.js";
import { encryptField, searchHash } from "../../../platform/pii/crypto.js";
import type { DataKeyring } from "../../../platform/pii/keys.js";
import { validateIdNumber, validatePhone } from "../../../platform/pii/validate.js";
import { maskName, maskPhone } from "../../../platform/mask.js";
import { users } from "../../../platform/auth/schema.js";
import { areaNames, type GridIndex } from "../../areas/index.js";
import { buildingLocation } from "../../places/index.js";
import { gridPersonById, gridPersonsByIdNumberHash } from "../../people/index.js";
import { applyTransition, caseActorOf, recordSubmission, type CaseRow } from "../core.js";
import { dueAfter } from "../calendar.js";
import { attachPhotos } from "../photos.js";
import { checkAttributeAnswers } from "./attributes.js";
import { routeCase } from "./routing.js";
import { maySubmitFrom, patrolRegistersAtOnce, reportsAsWorker, reportsFor } from "../policy.js";
import { findActiveCategory, type ActiveCategory } from "../catalogue/catalogue.js";
import { caseSearchWords } from "../search.js";
import { cases, type CaseLevel, type CaseSource, type CaseUrgency } from "../schema.js";

export interface IntakeInput {
  source: CaseSource;
  categoryCode: string;
  description: string;
  urgency?: CaseUrgency;
  /** A point (WGS 84), or a building (its point and grid are used; a point given too is ignored). */
  lng?: number;
  lat?: number;
  buildingId?: string;
  locationText?: string;
  anonymous?: boolean;
  contactName?: string;
  contactPhone?: string;
  photoIds?: string[];
  idempotencyKey?: string;
  externalRef?: string;
  attributes?: Record<string, unknown>;
  /** On behalf of a resident (a worker records it): the person in the registry. */
  reporterPersonId?: string;
  /** Hotline import: the original call time. */
  submittedAt?: Date;
}

export interface IntakeContext {
  gridIndex: GridIndex;
  keyring: DataKeyring;
}

/**
 * Sources whose answers to the category's questions (附加信息) are checked here, required ones
 * included: the platform's own forms and API. Open311 checks them its own way (and adds
 * `media_url`); a 12345 ticket comes without answers.
 */
const formSources: readonly CaseSource[] = ["resident", "patrol", "onBehalf"];

export const descriptionMaxLength = 4000;
/** The encryption context of a case's contact phone. */
export const contactPhoneContext = "cases.contact_phone";

/**
 * The source of a report made through `POST /api/cases`: on behalf of a resident when a person
 * is named, a patrol when a worker reports, a resident's own report otherwise.
 */
export function sourceOf(actor: Actor, input: { reporterPersonId?: string | undefined }): CaseSource {
  if (input.reporterPersonId !== undefined) return "onBehalf";
  return reportsAsWorker(actor) ? "patrol" : "resident";
}

interface Location {
  lng: number;
  lat: number;
  gridId: string;
  areaPath: string;
  buildingId: string | null;
}

async function locate(db: Db, ctx: IntakeContext, input: IntakeInput): Promise<Location> {
  if (input.buildingId !== undefined) {
    const b = await buildingLocation(db, input.buildingId);
    if (!b) throw new AppError("not_found", {}, "buildingId");
    return { lng: b.lng, lat: b.lat, gridId: b.gridId, areaPath: b.gridPath, buildingId: input.buildingId };
  }
  if (input.lng === undefined || input.lat === undefined || !Number.isFinite(input.lng) || !Number.isFinite(input.lat)) {
    throw new AppError("validation_failed", { detail: "a location is required: lng and lat, or buildingId" }, "lng");
  }
  await ctx.gridIndex.refresh(db);
  const grid = ctx.gridIndex.locate(input.lng, input.lat);
  if (!grid) throw new AppError("outside_grids", {}, "lng");
  return { lng: input.lng, lat: input.lat, gridId: grid.id, areaPath: grid.path, buildingId: null };
}

function contactColumns(keyring: DataKeyring, phone: string | undefined) {
  if (phone === undefined || phone.trim() === "") return { contactPhoneEnc: null, contactPhoneHash: null, contactPhoneMasked: null };
  const v = validatePhone(phone);
  if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "contactPhone");
  return {
    contactPhoneEnc: encryptField(keyring, v.normalized, contactPhoneContext),
    contactPhoneHash: searchHash(keyring, "phone", v.normalized),
    contactPhoneMasked: maskPhone(v.normalized),
  };
}

/** The person a worker reports for: in the registry and in the worker's scope (else 404). */
async function reportingPerson(db: Db, actor: Actor, personId: string): Promise<{ personId: string; userId: string | null; name: string }> {
  const p = await gridPersonById(db, personId);
  const inScope = p !== undefined && reportsFor(actor, p.gridPath);
  if (!inScope) throw new AppError("not_found", {}, "reporterPersonId");
  // A resident who has an account follows and rates the case like their own report.
  const [u] = await db.select({ id: users.id }).from(users).where(eq(users.personId, personId)).limit(1);
  return { personId, userId: u?.id ?? null, name: p.name };
}

/** The person a worker reports for, as the report form shows them: masked name and grid. */
export interface ReportingPersonView {
  id: string;
  name: string;
  gridName: string | null;
}

/**
 * 代居民反映: finds the resident a worker reports for by exact ID number (sent in a body, never in a
 * URL), within the worker's scope (404 otherwise, as for anyone unknown). The answer holds no
 * clear personal data — the masked name and the grid are enough to confirm whom the report is
 * for — so the lookup is not a clear read. Residents and other roles: 403.
 */
export async function findReportingPerson(db: Db, keyring: DataKeyring, actor: Actor, idNumber: string): Promise<ReportingPersonView> {
  if (!reportsAsWorker(actor)) throw new AppError("forbidden");
  const v = validateIdNumber(idNumber);
  if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "idNumber");
  const found = await gridPersonsByIdNumberHash(db, searchHash(keyring, "idNumber", v.normalized));
  const p = found.find((r) => reportsFor(actor, r.gridPath));
  if (!p) throw new AppError("not_found", {}, "idNumber");
  return { id: p.id, name: maskName(p.name), gridName: p.gridName };
}

/**
 * Who reported, who recorded it (and, on behalf of a resident, their name in the registry), and
 * whether the source is open to this actor.
 */
async function reporterOf(db: Db, actor: Actor, input: IntakeInput) {
  const recorder = { reporterUserId: null, reporterPersonId: null, recordedByUserId: actor.userId, registryName: null };
  if (input.source !== "onBehalf" && input.reporterPersonId !== undefined) {
    throw new AppError("validation_failed", { detail: "reporterPersonId is only for a report on behalf of a resident" }, "reporterPersonId");
  }
  if (!maySubmitFrom(actor, input.source)) throw new AppError("forbidden");
  switch (input.source) {
    case "resident":
      // An API key acts for its user: a resident's own app reports as that resident.
      return { reporterUserId: actor.userId, reporterPersonId: actor.personId, recordedByUserId: null, registryName: null };
    case "onBehalf": {
      if (input.reporterPersonId === undefined) throw new AppError("validation_failed", { detail: "reporterPersonId is required" }, "reporterPersonId");
      const p = await reportingPerson(db, actor, input.reporterPersonId);
      // The resident's name from the registry, unless the worker wrote the name they gave.
      return { reporterUserId: p.userId, reporterPersonId: p.personId, recordedByUserId: actor.userId, registryName: p.name };
    }
    case "patrol":
    case "deliberation":
    case "emergency":
      return recorder;
    case "hotline":
      if (!input.externalRef) throw new AppError("validation_failed", { detail: "a hotline case needs its ticket number" }, "externalRef");
      return recorder;
    case "open311":
      return recorder;
  }
}

/** "GZ" + the China date; six digits of `case_no_seq` follow. */
function caseNoPrefix(at: Date): string {
  return `GZ${chinaDateOf(at).replace(/-/g, "")}`;
}

/**
 * Inserts the case with the next number: "GZ" + the China date + the last six digits of the
 * `case_no_seq` sequence, taken inside the INSERT itself. `nextval` holds no lock until commit, so
 * submissions at once do not queue for their numbers. The INSERT does nothing on a conflict with
 * any unique key: should a number still be taken (the sequence wrapped within a day, or the demo
 * wrote that number) the next value is tried; a conflict on (submitter, Idempotency-Key), or on a
 * hotline ticket already taken in, is the same submission sent again — at once or later — and is
 * answered 409 with the first case's number.
 */
async function insertNumbered(tx: Db, values: Omit<typeof cases.$inferInsert, "caseNo">): Promise<CaseRow> {
  const prefix = caseNoPrefix(new Date());
  for (let attempt = 0; attempt < 100; attempt++) {
    const [row] = await tx
      .insert(cases)
      .values({
        ...values,
        caseNo: sql`${prefix} || lpad((nextval('case_no_seq') % 1000000)::text, 6, '0')`,
        searchWords: caseSearchWords(values.description, values.locationText),
      })
      .onConflictDoNothing()
      .returning();
    if (row) return row;
    if (values.submitterKey && values.idempotencyKey) {
      const [prior] = await tx
        .select({ caseNo: cases.caseNo })
        .from(cases)
        .where(and(eq(cases.submitterKey, values.submitterKey), eq(cases.idempotencyKey, values.idempotencyKey)));
      if (prior) throw new AppError("case_duplicate_submission", { caseNo: prior.caseNo }, "idempotencyKey");
    }
    if (values.source === "hotline" && values.externalRef) {
      const [prior] = await tx
        .select({ caseNo: cases.caseNo })
        .from(cases)
        .where(and(eq(cases.source, "hotline"), eq(cases.externalRef, values.externalRef)));
      if (prior) throw new AppError("case_duplicate_submission", { caseNo: prior.caseNo }, "externalRef");
    }
  }
  throw new Error("no free case number after 100 attempts");
}

function checkText(value: string | undefined, field: string, max: number, required = false): string | null {
  const v = value?.trim() ?? "";
  if (v === "") {
    if (required) throw new AppError("validation_failed", { detail: `${field} is empty` }, field);
    return null;
  }
  if ([...v].length > max) throw new AppError("validation_failed", { detail: `${field} is longer than ${max} characters` }, field);
  return v;
}

/**
 * Takes in a new case. Everything happens in one transaction (the caller's `opts.tx` when given,
 * e.g. a hotline import writing all its rows at once): either the case exists with its photos,
 * its first timeline step, its receipt and its timers, or nothing was written.
 */
export async function submitCase(db: Db, ctx: IntakeContext, actor: Actor, input: IntakeInput, opts: { tx?: Db } = {}): Promise<CaseRow> {
  if (opts.tx) return submitIn(opts.tx, ctx, actor, input);
  return db.transaction((tx) => submitIn(tx, ctx, actor, input));
}

async function submitIn(tx: Db, ctx: IntakeContext, actor: Actor, input: IntakeInput): Promise<CaseRow> {
  const description = checkText(input.description, "description", descriptionMaxLength, true)!;
  const locationText = checkText(input.locationText, "locationText", 200);
  const contactName = checkText(input.contactName, "contactName", 30);
  const idempotencyKey = checkText(input.idempotencyKey, "idempotencyKey", 100);
  const externalRef = checkText(input.externalRef, "externalRef", 64);
  const now = new Date();
  const submittedAt = input.submittedAt ?? now;
  if (Number.isNaN(submittedAt.getTime()) || submittedAt.getTime() > now.getTime() + 5 * 60_000) {
    throw new AppError("validation_failed", { detail: "submittedAt cannot be in the future" }, "submittedAt");
  }
  // A repeat of an earlier submission (same submitter and Idempotency-Key) is caught by the INSERT.
  const submitterKey = actor.apiKeyId ?? actor.userId;
  const category = await findActiveCategory(tx, input.categoryCode);
  const attributes = formSources.includes(input.source) ? checkAttributeAnswers(category.attributes, input.attributes) : (input.attributes ?? {});
  const where = await locate(tx, ctx, input);
  const { registryName, ...who } = await reporterOf(tx, actor, input);
  const contact = contactColumns(ctx.keyring, input.contactPhone);
  const routing = routeCase(category, where.areaPath);
  const ids = where.areaPath.split("/").filter(Boolean);

  const inserted = await insertNumbered(tx, {
    source: input.source,
    categoryId: category.id,
    categoryCode: category.code,
    description,
    urgency: input.urgency ?? "normal",
    status: "submitted",
    level: routing.level,
    handlingAreaId: routing.handlingAreaId,
    handlingOrgId: routing.handlingOrgId,
    gridId: where.gridId,
    areaPath: where.areaPath,
    communityId: ids[3] ?? null,
    streetId: ids[2] ?? null,
    lng: where.lng,
    lat: where.lat,
    buildingId: where.buildingId,
    locationText,
    ...who,
    anonymous: input.anonymous === true,
    contactName: contactName ?? (input.anonymous === true ? null : (registryName ?? null)),
    ...contact,
    idempotencyKey,
    submitterKey,
    externalRef,
    attributes,
    responseDueAt: deadline(submittedAt, category, "response"),
    handleDueAt: deadline(submittedAt, category, "handle"),
    submittedAt,
    updatedAt: now,
  });

  const photoIds = await attachPhotos(tx, actor.userId, inserted.id, input.photoIds ?? []);
  const caseActor = caseActorOf(actor);
  const submitted = await recordSubmission(tx, caseActor, inserted, { source: input.source, photoCount: photoIds.length }, photoIds);
  if (patrolRegistersAtOnce(actor, submitted.case)) {
    // A grid worker's own patrol finding in their own grid needs no separate acceptance (立案 at once).
    const registered = await applyTransition(tx, caseActor, submitted.case, "register", {
      note: "网格员巡查发现，直接立案",
      data: { auto: "patrol" },
      patch: { registeredAt: new Date() },
    });
    return registered.case;
  }
  return submitted.case;
}

function deadline(start: Date, category: ActiveCategory, which: "response" | "handle"): Date | null {
  return which === "response"
    ? dueAfter(start, category.responseLimitValue, category.responseLimitUnit)
    : dueAfter(start, category.handleLimitValue, category.handleLimitUnit);
}

export interface SubmissionReceipt {
  id: string;
  caseNo: string;
  status: string;
  gridId: string;
  gridName: string;
  level: CaseLevel;
  responseDueAt: string | null;
  handleDueAt: string | null;
  receiptEntryId: number | null;
}

/**
 * What the reporter is told at once: the number, the grid, the deadlines and the receipt entry.
 * The grid's name comes from the grid index (as of its last refresh, which a report by map
 * point has just made), else from the database.
 */
export async function submissionReceipt(db: Db, row: CaseRow, gridIndex?: GridIndex): Promise<SubmissionReceipt> {
  let gridName = gridIndex?.nameOf(row.gridId);
  if (gridName === undefined) {
    gridName = (await areaNames(db, [row.gridId])).get(row.gridId) ?? "";
  }
  return {
    id: row.id,
    caseNo: row.caseNo,
    status: row.status,
    gridId: row.gridId,
    gridName,
    level: row.level,
    responseDueAt: row.responseDueAt?.toISOString() ?? null,
    handleDueAt: row.handleDueAt?.toISOString() ?? null,
    receiptEntryId: row.receiptEntryId,
  };
}
