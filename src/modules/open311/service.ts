/**
 * Open311 GeoReport v2 over our catalogue and cases: reads go through cases' open-data functions
 * (cases/open-data.ts: public, no personal columns selected); a new request goes through the case intake like every other
 * source (`submitCase`, source "open311"), so routing, deadlines, audit and receipts are the same.
 */
import { randomBytes } from "node:crypto";
import type { Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import type { GridIndex } from "../areas/index.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { openStatuses } from "../cases/index.js";
import { submitCase } from "../cases/index.js";
import {
  activeCatalogueChangedAt,
  caseNoOfOpen311Token,
  findPublicService,
  listPublicCases,
  listPublicServices,
  reporterVisibleSteps,
  type PublicCaseFilter,
} from "../cases/index.js";
import { AppError, type Bilingual } from "../../platform/errors.js";
import { validatePhone } from "../../platform/pii/validate.js";
import type { CategoryAttribute } from "../cases/index.js";
import { attributeErrorCode, checkAttributeAnswers, type AttributeAnswer, type AttributeProblem } from "../cases/index.js";
import { closedStatuses, isoChina, parseIsoInstant, serviceNotice, toRequest, toTimelineStep, type Open311Request, type RequestRow, type ServiceRow, type TimelineStep } from "./mapping.js";

/** An error in the spec's shape: HTTP status = `code`, and a description for the client's developer. */
export class Open311Error extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 409,
    readonly description: string,
  ) {
    super(description);
    this.name = "Open311Error";
  }
}

// ---- services ----

/** Sub-categories (小类) of the active catalogue version: the services. */
export function listServices(db: Db): Promise<ServiceRow[]> {
  return listPublicServices(db);
}

export function findService(db: Db, code: string): Promise<ServiceRow | undefined> {
  return findPublicService(db, code);
}

/** When the service list last changed: the active catalogue's publication (for discovery's changeset). */
export function catalogueChangeset(db: Db): Promise<Date | null> {
  return activeCatalogueChangedAt(db);
}

// ---- reading requests ----

export interface RequestQuery {
  service_request_id?: string;
  service_code?: string;
  start_date?: string;
  end_date?: string;
  status?: string;
  updated_after?: string;
  updated_before?: string;
  page?: string;
  page_size?: string;
  extensions?: string;
}

/** The spec's caps: at most 1,000 requests per answer; a date range of at most 90 days. */
export const requestLimits = { maxResults: 1000, windowDays: 90 };

const dayMs = 24 * 3600 * 1000;

/** "" means absent (the spec: an empty optional parameter is the same as none). */
function given(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t === undefined || t === "" ? undefined : t;
}

function list(v: string | undefined): string[] {
  return (given(v) ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

function instant(name: string, v: string | undefined): Date | undefined {
  const t = given(v);
  if (t === undefined) return undefined;
  const d = parseIsoInstant(t);
  if (!d) throw new Open311Error(400, `${name} must be an ISO 8601 date-time with a time zone, e.g. 2026-03-01T08:00:00+08:00`);
  return d;
}

const dateOnly = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 00:00 China time of a calendar date `YYYY-MM-DD` (a W3C-DTF date alone); undefined when no such date. */
export function chinaMidnight(text: string): Date | undefined {
  const m = dateOnly.exec(text);
  if (!m) return undefined;
  const d = new Date(`${m[1]}-${m[2]}-${m[3]}T00:00:00+08:00`);
  // Refuses 2026-02-30 and the like, which Date would roll over into the next month.
  if (Number.isNaN(d.getTime()) || isoChina(d)!.slice(0, 10) !== text) return undefined;
  return d;
}

/** A bound of the requested-date window: `exclusive` for the end of a whole day. */
interface Bound {
  at: Date;
  exclusive: boolean;
}

/**
 * `start_date` / `end_date`: a full date-time with its zone, or a date alone (W3C-DTF allows it)
 * taken as a whole day in China time — start_date from that day's 00:00, end_date up to (not
 * including) the next day's 00:00.
 */
function dateBound(name: "start_date" | "end_date", v: string | undefined): Bound | undefined {
  const t = given(v);
  if (t === undefined) return undefined;
  const midnight = chinaMidnight(t);
  if (midnight === undefined) {
    const d = parseIsoInstant(t);
    if (!d) throw new Open311Error(400, `${name} must be a date (2026-03-01, a whole day in China time) or an ISO 8601 date-time with a time zone (2026-03-01T08:00:00+08:00)`);
    return { at: d, exclusive: false };
  }
  return name === "start_date" ? { at: midnight, exclusive: false } : { at: new Date(midnight.getTime() + dayMs), exclusive: true };
}

function positive(name: string, v: string | undefined, max: number): number | undefined {
  const t = given(v);
  if (t === undefined) return undefined;
  if (!/^\d+$/.test(t) || Number(t) < 1 || Number(t) > max) throw new Open311Error(400, `${name} must be a whole number from 1 to ${max}`);
  return Number(t);
}

async function timelines(db: Db, caseIds: string[]): Promise<Map<string, TimelineStep[]>> {
  const out = new Map<string, TimelineStep[]>();
  for (const e of await reporterVisibleSteps(db, caseIds)) {
    const steps = out.get(e.case_id) ?? [];
    steps.push(toTimelineStep(e));
    out.set(e.case_id, steps);
  }
  return out;
}

async function present(db: Db, found: RequestRow[], extensions: boolean): Promise<Open311Request[]> {
  const steps = extensions ? await timelines(db, found.map((r) => r.id)) : null;
  return found.map((r) => toRequest({ ...r, lng: Number(r.lng), lat: Number(r.lat) }, steps ? (steps.get(r.id) ?? []) : undefined));
}

/**
 * `GET requests`: by ids (a comma list of case numbers, which overrides every other filter), or
 * by service codes, status (open, closed or both), a requested-date window (default: the last
 * 90 days; at most 90 days), and the extensions updated_after/updated_before and page/page_size.
 * Newest first, at most `maxResults`.
 */
export async function listRequests(db: Db, q: RequestQuery, now = new Date(), limits = requestLimits): Promise<Open311Request[]> {
  const extensions = given(q.extensions) === "true";
  const ids = list(q.service_request_id);
  if (ids.length > 0) {
    if (ids.length > limits.maxResults) throw new Open311Error(400, `service_request_id may list at most ${limits.maxResults} ids`);
    return present(db, await listPublicCases(db, { caseNos: ids }), extensions);
  }

  const filter: PublicCaseFilter = { categoryCodes: list(q.service_code) };

  const statuses = list(q.status);
  for (const s of statuses) if (s !== "open" && s !== "closed") throw new Open311Error(400, "status must be open, closed, or both comma-separated");
  const wanted = new Set(statuses);
  if (wanted.size === 1) filter.statuses = wanted.has("open") ? openStatuses : closedStatuses;

  let start = dateBound("start_date", q.start_date)?.at;
  let end = dateBound("end_date", q.end_date);
  const updatedAfter = instant("updated_after", q.updated_after);
  const updatedBefore = instant("updated_before", q.updated_before);
  const window = limits.windowDays * dayMs;
  if (start && end) {
    // An exclusive end (a whole day) at the start itself leaves nothing: that day ends before start_date.
    if (end.exclusive ? end.at <= start : end.at < start) throw new Open311Error(400, "end_date must not be before start_date");
    if (end.at.getTime() - start.getTime() > window) throw new Open311Error(400, `start_date and end_date may not span more than ${limits.windowDays} days`);
  } else if (start) end = { at: new Date(start.getTime() + window), exclusive: false };
  else if (end) start = new Date(end.at.getTime() - window);
  else if (!updatedAfter && !updatedBefore) {
    // Neither dates nor an update window: the most recent 90 days.
    start = new Date(now.getTime() - window);
  }
  if (start) filter.submittedFrom = start;
  if (end?.exclusive) filter.submittedBefore = end.at;
  else if (end) filter.submittedTo = end.at;
  if (updatedAfter) filter.updatedAfter = updatedAfter;
  if (updatedBefore) filter.updatedBefore = updatedBefore;

  const pageSize = positive("page_size", q.page_size, limits.maxResults) ?? limits.maxResults;
  const page = positive("page", q.page, 1_000_000) ?? 1;
  return present(db, await listPublicCases(db, { ...filter, limit: pageSize, offset: (page - 1) * pageSize }), extensions);
}

/** `GET requests/{id}`: one case by its number (an array of one), or 404. */
export async function getRequest(db: Db, caseNo: string, extensions: boolean): Promise<Open311Request[]> {
  const found = await listPublicCases(db, { caseNos: [caseNo] });
  if (found.length === 0) throw new Open311Error(404, `service_request_id ${caseNo} was not found`);
  return present(db, found, extensions);
}

/** `GET tokens/{token}`: the case a token stands for. */
export async function findToken(db: Db, token: string): Promise<{ service_request_id: string; token: string }[]> {
  const caseNo = await caseNoOfOpen311Token(db, token);
  if (caseNo === undefined) throw new Open311Error(404, `token ${token} was not found`);
  return [{ service_request_id: caseNo, token }];
}

// ---- creating a request ----

/** A form-urlencoded body: a field once → a string, repeated → an array. */
export type FormBody = Record<string, string | string[]>;

function one(form: FormBody, name: string): string | undefined {
  const v = form[name];
  const s = Array.isArray(v) ? v[0] : v;
  return s === undefined || s.trim() === "" ? undefined : s.trim();
}

const htmlTag = /<\/?[A-Za-z!][^>]*>/;
const maxDescription = 4000;

/** The attribute answers of a form: `attribute[CODE]=v` and `attribute[CODE][]=v` (multi-value lists). */
export function attributeAnswers(form: FormBody): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, value] of Object.entries(form)) {
    const m = /^attribute\[([^\]]+)\](\[\])?$/.exec(key);
    if (!m) continue;
    const values = (Array.isArray(value) ? value : [value]).map((v) => v.trim()).filter((v) => v !== "");
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), ...values]);
  }
  return out;
}

/** What Open311 says for each problem the shared check finds (cases/intake/attributes.ts), in the spec's plain English. */
function open311AttributeMessage(problem: AttributeProblem, a: CategoryAttribute | undefined, code: string): string {
  const keys = (a?.values ?? []).map((v) => v.key).join(", ");
  switch (problem) {
    case "unknown":
      return `attribute[${code}] is not an attribute of this service`;
    case "required":
      return `attribute[${code}] is required (${a?.description ?? code})`;
    case "notInList":
      return a?.datatype === "multivaluelist" ? `attribute[${code}][] values must be among: ${keys}` : `attribute[${code}] must be one of: ${keys}`;
    case "notNumber":
      return `attribute[${code}] must be a number`;
    case "notDatetime":
      return `attribute[${code}] must be an ISO 8601 date-time with a time zone`;
    case "oneValue":
    case "notText":
      return `attribute[${code}] takes one value`;
    case "tooLong":
    case "html":
      return `attribute[${code}] is too long or contains HTML`;
  }
}

/**
 * Checks the answers against the service definition with the check every intake uses
 * (`checkAttributeAnswers`); returns them as stored on the case. A refusal becomes a 400 in the
 * spec's shape.
 */
export function checkAttributes(definition: CategoryAttribute[], answers: Map<string, string[]>): Record<string, AttributeAnswer> {
  try {
    return checkAttributeAnswers(definition, Object.fromEntries(answers));
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== attributeErrorCode || !e.field?.startsWith("attributes.")) throw e;
    const code = e.field.slice("attributes.".length);
    const problem = (e.params.detail as Bilingual).code as AttributeProblem;
    throw new Open311Error(400, open311AttributeMessage(problem, definition.find((a) => a.code === code), code));
  }
}

function coordinate(name: "lat" | "long", text: string): number {
  const n = Number(text);
  const max = name === "lat" ? 90 : 180;
  if (!/^-?\d+(\.\d+)?$/.test(text) || !Number.isFinite(n) || Math.abs(n) > max) throw new Open311Error(400, `${name} must be a decimal number of degrees (WGS 84)`);
  return n;
}

export interface CreatedRequest {
  service_request_id: string;
  token: string;
  service_notice: string;
  account_id: null;
}

/**
 * `POST requests`: validates the form against the spec and the service definition, then submits
 * a case through the intake (source "open311"). A random token is kept as the case's external
 * reference (`GET tokens/{token}`). `email` is accepted and not stored (we have no e-mail channel
 * and keep no personal data we do not use); `phone` becomes the case's contact, encrypted.
 */
export async function createRequest(
  db: Db,
  ctx: { gridIndex: GridIndex; keyring: DataKeyring },
  actor: Actor,
  form: FormBody,
  opts: { idempotencyKey?: string } = {},
): Promise<CreatedRequest> {
  const code = one(form, "service_code");
  if (!code) throw new Open311Error(400, "service_code is required");
  const service = await findService(db, code);
  if (!service) throw new Open311Error(404, `service_code ${code} was not found`);

  const latText = one(form, "lat");
  const longText = one(form, "long");
  if (latText === undefined || longText === undefined) {
    if (one(form, "address_string") || one(form, "address_id")) {
      throw new Open311Error(400, "this endpoint locates requests by lat and long only; address_string and address_id are not supported");
    }
    throw new Open311Error(400, "a location is required: lat and long");
  }
  const lat = coordinate("lat", latText);
  const lng = coordinate("long", longText);

  const description = one(form, "description");
  if (description !== undefined && [...description].length > maxDescription) throw new Open311Error(400, `description may not exceed ${maxDescription} characters`);
  if (description !== undefined && htmlTag.test(description)) throw new Open311Error(400, "description may not contain HTML");

  const attributes: Record<string, unknown> = checkAttributes(service.attributes ?? [], attributeAnswers(form));
  const mediaUrl = one(form, "media_url");
  if (mediaUrl !== undefined) {
    let ok = mediaUrl.length <= 2000;
    try {
      ok &&= ["http:", "https:"].includes(new URL(mediaUrl).protocol);
    } catch {
      ok = false;
    }
    if (!ok) throw new Open311Error(400, "media_url must be an http(s) URL of at most 2,000 characters");
    // Kept as given, never fetched: the client hosts its media.
    attributes.media_url = mediaUrl;
  }

  const phone = one(form, "phone");
  if (phone !== undefined) {
    const checked = validatePhone(phone);
    if (!checked.ok) throw new Open311Error(400, `phone: ${checked.message}`);
  }
  const name = [one(form, "last_name"), one(form, "first_name")].filter(Boolean).join("");
  const token = randomBytes(16).toString("hex");
  const created = await submitCase(db, ctx, actor, {
    source: "open311",
    categoryCode: code,
    description: description ?? service.name,
    lng,
    lat,
    ...(name ? { contactName: [...name].slice(0, 30).join("") } : {}),
    ...(phone ? { contactPhone: phone } : {}),
    ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
    externalRef: token,
    attributes,
  }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "outside_grids") throw new Open311Error(400, "lat/long lies outside every grid served here");
    throw e;
  });
  return { service_request_id: created.caseNo, token, service_notice: serviceNotice(service), account_id: null };
}
