/**
 * 人员: persons of the registry. Names are masked in lists; ID numbers and phones are stored
 * encrypted with a keyed hash for exact search, shown masked, and revealed in clear only to a
 * role that needs them, for a stated purpose, for a few minutes — each reveal audited.
 */
import { randomUUID } from "node:crypto";
import { eq, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { abilities, authorize, escapeLike, scopeCondition } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskIdNumber, maskName, maskPhone } from "../../platform/mask.js";
import { decryptField, encryptField, needsRotation, rotateField, searchHash } from "../../platform/pii/crypto.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { validateIdNumber, validatePhone } from "../../platform/pii/validate.js";
import { revealWindowMs, validatePurpose } from "../../platform/pii/reveal.js";
import { readableAreaPath } from "../areas/index.js";
import { householdReaders, personPolicy, type PersonRecord } from "./policy.js";
import { postHolderAreas } from "./post-areas-port.js";
import { persons } from "./schema.js";
import { recordPiiReveal } from "../../platform/pii/record.js";

export { personPolicy, type PersonRecord } from "./policy.js";

/** The fixed vocabulary of person tags (GLOSSARY / DOMAIN §3); skills go with `talent` only. */
export const personTags = ["elderlyAlone", "disabled", "lowIncome", "veteran", "buildingHead", "talent", "volunteer"] as const;
export type PersonTag = (typeof personTags)[number];
/** Relation to the head of household, as registered. */
export const personRelations = ["户主", "配偶", "子女", "父母", "孙子女", "兄弟姐妹", "其他"] as const;
/** Why a person left their household: moved away 迁出, deceased 死亡, other. */
export const leaveReasons = ["movedAway", "deceased", "other"] as const;
export type LeaveReason = (typeof leaveReasons)[number];

export type PiiField = "idNumber" | "phone";
const encContext: Record<PiiField, string> = { idNumber: "persons.id_number", phone: "persons.phone" };

export interface PersonView {
  id: string;
  householdId: string | null;
  gridId: string | null;
  gridName: string | null;
  name: string;
  gender: "male" | "female";
  birthYear: number;
  relation: string;
  tags: string[];
  skills: string[];
  idNumber: string | null;
  phone: string | null;
  masked: boolean;
  abilities?: Record<string, boolean>;
}

interface PersonRow {
  id: string;
  household_id: string | null;
  grid_id: string | null;
  grid_name: string | null;
  grid_path: string | null;
  name: string;
  gender: "male" | "female";
  birth_year: number;
  relation: string;
  tags: string[];
  skills: string[];
  id_number_masked: string | null;
  phone_masked: string | null;
  total?: string | number;
}

const personSelect = sql`select p.id, p.household_id, p.grid_id, g.name as grid_name, g.path as grid_path, p.name, p.gender,
  p.birth_year, p.relation, p.tags, p.skills, p.id_number_masked, p.phone_masked
  from persons p left join areas g on g.id = p.grid_id`;

function view(r: PersonRow, clearName: boolean): PersonView {
  return {
    id: r.id,
    householdId: r.household_id,
    gridId: r.grid_id,
    gridName: r.grid_name,
    name: clearName ? r.name : maskName(r.name),
    gender: r.gender,
    birthYear: r.birth_year,
    relation: r.relation,
    tags: r.tags,
    skills: r.skills,
    // Masked forms only: the clear values need a reveal.
    idNumber: r.id_number_masked,
    phone: r.phone_masked,
    masked: !clearName,
  };
}

/** Persons under an area in the actor's scope, masked; optionally with a tag (e.g. elderlyAlone). */
export async function listPersons(
  db: Db,
  actor: Actor,
  opts: { areaId?: string | undefined; householdId?: string | undefined; tag?: string | undefined; page: number; pageSize: number },
): Promise<{ items: PersonView[]; total: number; page: number; pageSize: number }> {
  const conds = [sql`(${scopeCondition(actor, householdReaders, sql`g.path`)}${actor.personId ? sql` or p.id = ${actor.personId}` : sql``})`];
  // Persons who left their household (moved away, deceased) keep their record but are not listed as residents.
  conds.push(sql`p.household_id is not null`);
  if (opts.areaId) conds.push(sql`g.path like ${`${escapeLike(await readableAreaPath(db, actor, opts.areaId))}%`}`);
  if (opts.tag) conds.push(sql`${opts.tag} = any(p.tags)`);
  // Out-of-scope households simply yield nothing: the scope condition above still applies.
  if (opts.householdId) conds.push(sql`p.household_id = ${opts.householdId}`);
  const offset = (opts.page - 1) * opts.pageSize;
  const list = await rows<PersonRow>(
    db,
    sql`select q.*, count(*) over () as total from (${personSelect} where ${sql.join(conds, sql` and `)}) q
        order by q.grid_name, q.household_id, q.birth_year limit ${opts.pageSize} offset ${offset}`,
  );
  return { items: list.map((r) => view(r, false)), total: Number(list[0]?.total ?? 0), page: opts.page, pageSize: opts.pageSize };
}

async function loadPerson(db: Db, id: string): Promise<(PersonRecord & { row: PersonRow }) | undefined> {
  const [r] = await rows<PersonRow>(db, sql`${personSelect} where p.id = ${id}`);
  if (!r) return undefined;
  // Where the policy places the person: by their grid, or (recorded only for a post) by the bodies they hold posts in.
  const record = r.grid_id === null ? (await loadPersonRecords(db, [id])).get(id) : undefined;
  return { id: r.id, areaPath: r.grid_path ?? "", postAreaPaths: record?.postAreaPaths ?? [], row: r };
}

/** A person as the person policy sees them (for other rooms that check reading a person), or undefined. */
export async function loadPersonRecord(db: Db, id: string): Promise<PersonRecord | undefined> {
  return (await loadPersonRecords(db, [id])).get(id);
}

/**
 * Persons as the person policy sees them, many at once (for rooms that list persons by id — posts,
 * grid staff — and must show each name and id as the person page would). A person without a grid
 * (recorded only for a post) is placed by the bodies they hold or held posts in. Unknown ids are absent.
 */
export async function loadPersonRecords(db: Db, ids: readonly string[]): Promise<Map<string, PersonRecord>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const found = await rows<{ id: string; grid_id: string | null; grid_path: string | null }>(
    db,
    sql`select p.id, p.grid_id, g.path as grid_path
        from persons p left join areas g on g.id = p.grid_id
        where p.id in (${sql.join(
          unique.map((id) => sql`${id}`),
          sql`, `,
        )})`,
  );
  // Posts are orgs' rows: the areas of the post-only persons' bodies come through the port, in one query.
  const postOnly = found.filter((r) => r.grid_id === null).map((r) => r.id);
  const postPaths = postOnly.length === 0 ? new Map<string, string[]>() : await postHolderAreas().areaPathsOfPosts(db, postOnly);
  return new Map(found.map((r) => [r.id, { id: r.id, areaPath: r.grid_path ?? "", postAreaPaths: r.grid_id === null ? (postPaths.get(r.id) ?? []) : [] }]));
}

/** One person; the name in clear for roles whose work needs it (audited), ID and phone masked. */
export async function getPerson(db: Db, actor: Actor, id: string): Promise<PersonView> {
  const p = await loadPerson(db, id);
  authorize(actor, "read", p, personPolicy);
  const clear = personPolicy.readClear(actor, p);
  if (clear && actor.personId !== p.id) {
    await recordAudit(db, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.readClear",
      entityType: "person",
      entityId: p.id,
      change: { fields: ["name"] },
      summary: { fields: ["name"] },
    });
  }
  return { ...view(p.row, clear), abilities: abilities(personPolicy, actor, p) };
}

export interface Reveal {
  field: PiiField;
  value: string | null;
  expiresAt: string;
}

/**
 * Shows one field in clear for a stated purpose. The purpose is kept in `pii_reveals`; the audit
 * chain records who, which person and which field (not the value, not the purpose text).
 */
export async function revealPersonField(db: Db, keyring: DataKeyring, actor: Actor, id: string, field: PiiField, purpose: string, now = new Date()): Promise<Reveal> {
  const checked = validatePurpose(purpose);
  if (!checked.ok) throw new AppError("validation_failed", { detail: checked.message }, "purpose");
  return db.transaction(async (tx) => {
    const p = await loadPerson(tx, id);
    authorize(actor, "reveal", p, personPolicy);
    const [enc] = await tx
      .select({ idNumberEnc: persons.idNumberEnc, phoneEnc: persons.phoneEnc })
      .from(persons)
      .where(eq(persons.id, id));
    const ciphertext = field === "idNumber" ? enc?.idNumberEnc : enc?.phoneEnc;
    const expiresAt = new Date(now.getTime() + revealWindowMs);
    await recordPiiReveal(tx, { userId: actor.userId, entityType: "person", entityId: id, field, purpose: checked.purpose, grantedAt: now, expiresAt });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.reveal",
      entityType: "person",
      entityId: id,
      change: { field, purpose: checked.purpose },
      summary: { field },
    });
    return { field, value: ciphertext ? decryptField(keyring, ciphertext, encContext[field]) : null, expiresAt: expiresAt.toISOString() };
  });
}

/** Exact search by ID number through the keyed hash, within scope; 404 when none is visible. */
export async function findPersonByIdNumber(db: Db, keyring: DataKeyring, actor: Actor, idNumber: string): Promise<PersonView> {
  const v = validateIdNumber(idNumber);
  if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "idNumber");
  const [r] = await rows<{ id: string }>(db, sql`select id from persons where id_number_hash = ${searchHash(keyring, "idNumber", v.normalized)}`);
  if (!r) throw new AppError("not_found");
  return getPerson(db, actor, r.id);
}

/** Encrypted columns for an ID number and a phone; validates both (no value in any message). */
export function encryptContact(keyring: DataKeyring, input: { idNumber?: string | null; phone?: string | null }) {
  const out: Partial<Record<"idNumberEnc" | "idNumberHash" | "idNumberMasked" | "phoneEnc" | "phoneHash" | "phoneMasked", string | null>> = {};
  if (input.idNumber !== undefined) {
    if (input.idNumber === null || input.idNumber.trim() === "") {
      Object.assign(out, { idNumberEnc: null, idNumberHash: null, idNumberMasked: null });
    } else {
      const v = validateIdNumber(input.idNumber);
      if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "idNumber");
      Object.assign(out, {
        idNumberEnc: encryptField(keyring, v.normalized, encContext.idNumber),
        idNumberHash: searchHash(keyring, "idNumber", v.normalized),
        idNumberMasked: maskIdNumber(v.normalized),
      });
    }
  }
  if (input.phone !== undefined) {
    if (input.phone === null || input.phone.trim() === "") {
      Object.assign(out, { phoneEnc: null, phoneHash: null, phoneMasked: null });
    } else {
      const v = validatePhone(input.phone);
      if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "phone");
      Object.assign(out, {
        phoneEnc: encryptField(keyring, v.normalized, encContext.phone),
        phoneHash: searchHash(keyring, "phone", v.normalized),
        phoneMasked: maskPhone(v.normalized),
      });
    }
  }
  return out;
}

/** Sets a person's ID number and/or phone; a second person with the same ID number is refused. */
export async function updatePersonContact(db: Db, keyring: DataKeyring, actor: Actor, id: string, input: { idNumber?: string | null; phone?: string | null }): Promise<PersonView> {
  const columns = encryptContact(keyring, input);
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, id);
    authorize(actor, "update", p, personPolicy);
    if (columns.idNumberHash) {
      const [dup] = await rows<{ id: string }>(tx, sql`select id from persons where id_number_hash = ${columns.idNumberHash} and id <> ${id}`);
      if (dup) throw new AppError("person_duplicate", {}, "idNumber");
    }
    await tx.update(persons).set({ ...columns, updatedAt: new Date() }).where(eq(persons.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.updateContact",
      entityType: "person",
      entityId: id,
      change: { fields: Object.keys(input), idNumberHash: columns.idNumberHash, phoneHash: columns.phoneHash },
      summary: { fields: Object.keys(input) },
    });
  });
  return getPerson(db, actor, id);
}

/** Checks tags against the vocabulary and that skills go with the talent tag; returns both cleaned. */
export function checkTagsAndSkills(tags: readonly string[], skills: readonly string[]): { tags: PersonTag[]; skills: string[] } {
  for (const tag of tags) {
    if (!(personTags as readonly string[]).includes(tag)) throw new AppError("person_tag_unknown", { tag: tag.slice(0, 32) }, "tags");
  }
  const cleanTags = personTags.filter((t) => tags.includes(t));
  const cleanSkills = [...new Set(skills.map((x) => x.trim()).filter((x) => x !== ""))];
  if (cleanSkills.length > 0 && !cleanTags.includes("talent")) throw new AppError("person_skills_need_talent", {}, "skills");
  return { tags: cleanTags, skills: cleanSkills };
}

/** Edits a person's tags and skills (and their relation to the head); audited without the values of other fields. */
export async function updatePerson(
  db: Db,
  actor: Actor,
  id: string,
  patch: { tags?: string[] | undefined; skills?: string[] | undefined; relation?: string | undefined },
): Promise<PersonView> {
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, id);
    authorize(actor, "update", p, personPolicy);
    const checked = checkTagsAndSkills(patch.tags ?? p.row.tags, patch.skills ?? (patch.tags && !patch.tags.includes("talent") ? [] : p.row.skills));
    if (patch.relation !== undefined && !(personRelations as readonly string[]).includes(patch.relation)) {
      throw new AppError("validation_failed", { detail: "与户主关系不在可选范围内" }, "relation");
    }
    const set = { tags: checked.tags, skills: checked.skills, ...(patch.relation !== undefined ? { relation: patch.relation } : {}), updatedAt: new Date() };
    await tx.update(persons).set(set).where(eq(persons.id, id));
    const added = checked.tags.filter((t) => !p.row.tags.includes(t));
    const removed = p.row.tags.filter((t) => !(checked.tags as readonly string[]).includes(t));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.update",
      entityType: "person",
      entityId: id,
      change: { before: { tags: p.row.tags, skills: p.row.skills, relation: p.row.relation }, after: { tags: checked.tags, skills: checked.skills, relation: patch.relation } },
      // Tags such as 低保 or 残疾人 are sensitive: the readable summary names the fields only.
      summary: { fields: Object.keys(patch), tagsAdded: added.length, tagsRemoved: removed.length },
    });
  });
  return getPerson(db, actor, id);
}

/** A household the actor may change persons of: unknown or out of scope → 404 on `field`. */
async function writableHousehold(db: Db, actor: Actor, householdId: string, field: string): Promise<{ id: string; grid_id: string; grid_path: string }> {
  const [h] = await rows<{ id: string; grid_id: string; grid_path: string }>(
    db,
    sql`select h.id, h.grid_id, g.path as grid_path from households h join areas g on g.id = h.grid_id where h.id = ${householdId}`,
  );
  const record = h ? { id: "", areaPath: h.grid_path, postAreaPaths: [] } : undefined;
  if (!h || !record || !personPolicy.read(actor, record)) throw new AppError("not_found", {}, field);
  if (!personPolicy.update(actor, record)) throw new AppError("forbidden", {}, field);
  return h;
}

export interface NewPerson {
  name: string;
  gender: "male" | "female";
  birthYear: number;
  relation: string;
  idNumber?: string | null | undefined;
  phone?: string | null | undefined;
  tags?: string[] | undefined;
  skills?: string[] | undefined;
}

/**
 * Adds a person to a household (birth, marriage, a newly registered resident). An ID number is
 * checked against the birth year and gender given, stored encrypted with its hash and masked
 * form; one already in the registry is refused as `person_duplicate` without saying whose it is.
 */
export async function addPersonToHousehold(db: Db, keyring: DataKeyring, actor: Actor, householdId: string, input: NewPerson): Promise<PersonView> {
  const name = input.name.trim();
  if (name === "") throw new AppError("validation_failed", { detail: "请填写姓名" }, "name");
  if (!(personRelations as readonly string[]).includes(input.relation)) throw new AppError("validation_failed", { detail: "与户主关系不在可选范围内" }, "relation");
  const checked = checkTagsAndSkills(input.tags ?? [], input.skills ?? []);
  if (input.idNumber) {
    const v = validateIdNumber(input.idNumber);
    if (!v.ok) throw new AppError("validation_failed", { detail: v.message }, "idNumber");
    if (Number(v.birthDate.slice(0, 4)) !== input.birthYear) throw new AppError("validation_failed", { detail: "身份证号中的出生年份与填写的出生年份不一致" }, "idNumber");
    if (v.gender !== input.gender) throw new AppError("validation_failed", { detail: "身份证号中的性别与填写的性别不一致" }, "idNumber");
  }
  const contact = encryptContact(keyring, { idNumber: input.idNumber ?? null, phone: input.phone ?? null });
  const id = await db.transaction(async (tx) => {
    const h = await writableHousehold(tx, actor, householdId, "householdId");
    if (contact.idNumberHash) {
      const [dup] = await rows<{ id: string }>(tx, sql`select id from persons where id_number_hash = ${contact.idNumberHash}`);
      if (dup) throw new AppError("person_duplicate", {}, "idNumber");
    }
    const [p] = await tx
      .insert(persons)
      .values({ householdId: h.id, gridId: h.grid_id, name, gender: input.gender, birthYear: input.birthYear, relation: input.relation, tags: checked.tags, skills: checked.skills, ...contact })
      .returning({ id: persons.id });
    await tx.execute(sql`update households set size = size + 1, updated_at = now() where id = ${h.id}`);
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.create",
      entityType: "person",
      entityId: p!.id,
      change: { householdId: h.id, name, gender: input.gender, birthYear: input.birthYear, relation: input.relation, tags: checked.tags, skills: checked.skills, idNumberHash: contact.idNumberHash ?? null, phoneHash: contact.phoneHash ?? null },
      summary: { householdId: h.id, fields: ["name", "gender", "birthYear", "relation", ...(contact.idNumberHash ? ["idNumber"] : []), ...(contact.phoneHash ? ["phone"] : [])] },
    });
    return p!.id;
  });
  return getPerson(db, actor, id);
}

/** Moves a person into another household (marriage, living with children); both households' sizes follow. */
export async function movePersonToHousehold(db: Db, actor: Actor, id: string, input: { toHouseholdId: string; relation: string }): Promise<PersonView> {
  if (!(personRelations as readonly string[]).includes(input.relation)) throw new AppError("validation_failed", { detail: "与户主关系不在可选范围内" }, "relation");
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, id);
    authorize(actor, "update", p, personPolicy);
    const target = await writableHousehold(tx, actor, input.toHouseholdId, "toHouseholdId");
    if (p.row.household_id === target.id) throw new AppError("person_same_household", {}, "toHouseholdId");
    if (p.row.household_id) await tx.execute(sql`update households set size = greatest(size - 1, 0), updated_at = now() where id = ${p.row.household_id}`);
    await tx.execute(sql`update households set size = size + 1, updated_at = now() where id = ${target.id}`);
    await tx.update(persons).set({ householdId: target.id, gridId: target.grid_id, relation: input.relation, updatedAt: new Date() }).where(eq(persons.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.move",
      entityType: "person",
      entityId: id,
      change: { fromHouseholdId: p.row.household_id, toHouseholdId: target.id, relation: input.relation },
      summary: { fromHouseholdId: p.row.household_id, toHouseholdId: target.id },
    });
  });
  return getPerson(db, actor, id);
}

/**
 * Takes a person out of their household (moved away, deceased). The record stays, without a
 * household, so history and earlier records still resolve; the reason goes to the audit log.
 */
export async function removePersonFromHousehold(db: Db, actor: Actor, id: string, input: { reason: LeaveReason; leftOn?: string | undefined }): Promise<PersonView> {
  if (!(leaveReasons as readonly string[]).includes(input.reason)) throw new AppError("validation_failed", { detail: "原因不在可选范围内" }, "reason");
  await db.transaction(async (tx) => {
    const p = await loadPerson(tx, id);
    authorize(actor, "update", p, personPolicy);
    if (!p.row.household_id) throw new AppError("person_not_in_household", {}, "reason");
    await tx.execute(sql`update households set size = greatest(size - 1, 0), updated_at = now() where id = ${p.row.household_id}`);
    await tx.update(persons).set({ householdId: null, updatedAt: new Date() }).where(eq(persons.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "person.leaveHousehold",
      entityType: "person",
      entityId: id,
      change: { householdId: p.row.household_id, reason: input.reason, leftOn: input.leftOn ?? null },
      summary: { householdId: p.row.household_id, reason: input.reason },
    });
  });
  return getPerson(db, actor, id);
}

/** Re-encrypts every encrypted column under the keyring's current key (`gongzhi keys rotate`). */
export async function rotatePersonKeys(db: Db, keyring: DataKeyring, opts: { batchSize?: number; onProgress?: (done: number) => void } = {}): Promise<{ rotated: number }> {
  const batch = opts.batchSize ?? 1000;
  let rotated = 0;
  let after = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const list = await rows<{ id: string; id_number_enc: string | null; phone_enc: string | null }>(
      db,
      sql`select id, id_number_enc, phone_enc from persons where id > ${after} and (id_number_enc is not null or phone_enc is not null) order by id limit ${batch}`,
    );
    if (list.length === 0) break;
    await db.transaction(async (tx) => {
      for (const r of list) {
        const idNumberEnc = r.id_number_enc && needsRotation(keyring, r.id_number_enc) ? rotateField(keyring, r.id_number_enc, encContext.idNumber) : r.id_number_enc;
        const phoneEnc = r.phone_enc && needsRotation(keyring, r.phone_enc) ? rotateField(keyring, r.phone_enc, encContext.phone) : r.phone_enc;
        if (idNumberEnc !== r.id_number_enc || phoneEnc !== r.phone_enc) {
          await tx.update(persons).set({ idNumberEnc, phoneEnc }).where(eq(persons.id, r.id));
          rotated++;
        }
      }
    });
    after = list[list.length - 1]!.id;
    opts.onProgress?.(rotated);
  }
  return { rotated };
}

/**
 * A person recorded only for a post (e.g. a co-building unit's member seated in a 大党委, who lives
 * elsewhere): no household, no grid. For orgs, which seats them; the caller audits the seat.
 */
export async function createPostOnlyPerson(tx: Db, input: { name: string; gender: "male" | "female"; birthYear: number }): Promise<string> {
  const id = randomUUID();
  await tx.insert(persons).values({ id, householdId: null, gridId: null, name: input.name, gender: input.gender, birthYear: input.birthYear, relation: "其他" });
  return id;
}
