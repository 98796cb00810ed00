/**
 * 职务: posts held by persons in bodies, one person often holding several (交叉任职: the secretary
 * of the party committee who also chairs the residents' committee), and the part-time seats of the
 * 大党委 given to members from co-building units (共建单位).
 */
import { randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { authorize, escapeLike, inScopeOf, type Scoped } from "../../platform/policy/index.js";
import { recordAudit } from "../../platform/audit/service.js";
import { maskName } from "../../platform/mask.js";
import { createPostOnlyPerson, householdReaders, loadPersonRecord, loadPersonRecords, personPolicy, personSummaries, type PersonRecord } from "../people/index.js";
import { isOrgKind, orgKinds } from "./kinds.js";
import { dateOnly, loadOrg, loadOrgForChange, today, type OrgRecord } from "./manage.js";
import { orgPolicy } from "./policy.js";
import { posts } from "./schema.js";

export interface PostView {
  id: string;
  /** Null when the actor may not read the person (e.g. a department looking at a community's bodies). */
  personId: string | null;
  /** As the person page shows it to the actor: clear for the roles that may read it clear, masked otherwise. */
  personName: string;
  /** False for a person recorded only for their post (e.g. a co-building unit's member living elsewhere). */
  personInRegistry: boolean;
  orgId: string;
  orgName: string;
  orgKind: string;
  orgKindLabel: string;
  title: string;
  partTime: boolean;
  startedOn: string | null;
  endedOn: string | null;
}

interface PostRow {
  id: string;
  person_id: string;
  person_name: string;
  grid_id: string | null;
  org_id: string;
  org_name: string;
  org_kind: string;
  title: string;
  part_time: boolean;
  started_on: string | Date | null;
  ended_on: string | Date | null;
}

/** Posts with their bodies; the holders' names and grids come from people (`withHolders`). */
const postSelect = sql`select s.id, s.person_id, s.org_id, o.name as org_name, o.kind as org_kind,
  s.title, s.part_time, s.started_on, s.ended_on
  from posts s join organizations o on o.id = s.org_id`;

type PostRowOfOrgs = Omit<PostRow, "person_name" | "grid_id">;

/**
 * Adds each holder's name and grid, read from people in one query for the whole list, and sorts
 * the rows by the holder's name (then id) when `byHolderName`, keeping their order otherwise and
 * within one holder. A post whose holder is not in the registry is left out, as the join with
 * persons left it out before people answered for them.
 */
async function withHolders<R extends PostRowOfOrgs>(db: Db, list: readonly R[], byHolderName = false): Promise<(R & Pick<PostRow, "person_name" | "grid_id">)[]> {
  const holders = await personSummaries(db, list.map((r) => r.person_id));
  const rank = new Map(holders.map((h, i) => [h.id, i]));
  const byId = new Map(holders.map((h) => [h.id, h]));
  const out = list.flatMap((r) => {
    const h = byId.get(r.person_id);
    return h ? [{ ...r, person_name: h.name, grid_id: h.gridId }] : [];
  });
  // Array.prototype.sort is stable: rows of one holder keep the order of the query.
  return byHolderName ? out.sort((a, b) => (rank.get(a.person_id) ?? 0) - (rank.get(b.person_id) ?? 0)) : out;
}

/**
 * How the actor may see each holder: the same rules as the person page (`personPolicy`), so a body's
 * posts never give a holder's id to someone who may not open that person, nor a clear name to
 * someone who would see it masked there.
 */
interface HolderAccess {
  read: boolean;
  clear: boolean;
}

async function holderAccess(db: Db, actor: Actor, personIds: readonly string[]): Promise<Map<string, HolderAccess>> {
  const records = await loadPersonRecords(db, personIds);
  const none: HolderAccess = { read: false, clear: false };
  return new Map(personIds.map((id) => {
    const p: PersonRecord | undefined = records.get(id);
    return [id, p ? { read: personPolicy.read(actor, p), clear: personPolicy.readClear(actor, p) } : none];
  }));
}

function postView(r: PostRow, access: HolderAccess | undefined, lang: "zh-CN" | "en"): PostView {
  return {
    id: r.id,
    personId: access?.read ? r.person_id : null,
    personName: access?.clear ? r.person_name : maskName(r.person_name),
    personInRegistry: r.grid_id !== null,
    orgId: r.org_id,
    orgName: r.org_name,
    orgKind: r.org_kind,
    orgKindLabel: isOrgKind(r.org_kind) ? (lang === "en" ? orgKinds[r.org_kind].en : orgKinds[r.org_kind].zh) : r.org_kind,
    title: r.title,
    partTime: r.part_time,
    startedOn: dateOnly(r.started_on),
    endedOn: dateOnly(r.ended_on),
  };
}

async function audit(tx: Db, actor: Actor, action: string, entityType: string, id: string, change: unknown, summary: Record<string, unknown>) {
  await recordAudit(tx, { actor: { kind: actor.kind, id: actor.userId }, action, entityType, entityId: id, change, summary });
}

function checkTitle(title: string): string {
  const t = title.trim();
  if (!t) throw new AppError("validation_failed", { detail: "请填写职务名称" }, "title");
  return t;
}

/**
 * A person who may take a post in `org`: a resident of the actor's scope, or a person recorded only
 * for posts (no grid) who already holds a post under the same community or street.
 */
async function checkPerson(tx: Db, actor: Actor, personId: string, org: OrgRecord): Promise<void> {
  // A resident's record carries their grid's path; a person recorded only for posts has none ("").
  const p = await loadPersonRecord(tx, personId);
  if (!p) throw new AppError("not_found", {}, "personId");
  if (p.areaPath !== "") {
    if (!inScopeOf<Scoped>(...householdReaders)(actor, { areaPath: p.areaPath })) throw new AppError("not_found", {}, "personId");
    return;
  }
  const [held] = await rows<{ n: string | number }>(
    tx,
    sql`select count(*) as n from posts s join organizations o on o.id = s.org_id join areas a on a.id = o.area_id
        where s.person_id = ${personId} and (a.path like ${`${escapeLike(org.areaPath)}%`} or ${org.areaPath} like a.path || '%')`,
  );
  if (Number(held?.n ?? 0) === 0) throw new AppError("not_found", {}, "personId");
}

export interface AddPostInput {
  personId: string;
  title: string;
  partTime: boolean;
  startedOn?: string | null | undefined;
}

async function insertPost(tx: Db, actor: Actor, org: OrgRecord, input: AddPostInput, now: Date): Promise<string> {
  const title = checkTitle(input.title);
  if (input.startedOn && input.startedOn > today(now)) throw new AppError("validation_failed", { detail: "任职日期不能晚于今天" }, "startedOn");
  const [dup] = await rows<{ id: string }>(
    tx,
    sql`select id from posts where person_id = ${input.personId} and org_id = ${org.id} and title = ${title} and ended_on is null`,
  );
  if (dup) throw new AppError("conflict", { detail: `此人已在该组织担任「${title}」` }, "title");
  const id = randomUUID();
  await tx.insert(posts).values({ id, personId: input.personId, orgId: org.id, title, partTime: input.partTime, startedOn: input.startedOn ?? null });
  await audit(tx, actor, "post.add", "post", id, { orgId: org.id, personId: input.personId, title, partTime: input.partTime, startedOn: input.startedOn ?? null }, { orgKind: org.kind, partTime: input.partTime });
  return id;
}

/** Adds a post held by a person in a body. */
export async function addPost(db: Db, actor: Actor, orgId: string, input: AddPostInput, now = new Date()): Promise<{ id: string }> {
  return db.transaction(async (tx) => {
    const org = await loadOrgForChange(tx, actor, orgId);
    await checkPerson(tx, actor, input.personId, org);
    return { id: await insertPost(tx, actor, org, input, now) };
  });
}

/** Ends a post on a date (not before it started). */
export async function endPost(db: Db, actor: Actor, postId: string, endedOn: string, now = new Date()): Promise<void> {
  if (endedOn > today(now)) throw new AppError("validation_failed", { detail: "离任日期不能晚于今天" }, "endedOn");
  await db.transaction(async (tx) => {
    const [p] = await rows<{ org_id: string; started_on: string | Date | null; ended_on: string | Date | null }>(
      tx,
      sql`select org_id, started_on, ended_on from posts where id = ${postId} for update`,
    );
    const org = p ? await loadOrg(tx, p.org_id) : undefined;
    authorize(actor, "manage", org, orgPolicy);
    if (p!.ended_on !== null) throw new AppError("conflict", { detail: `该职务已于 ${dateOnly(p!.ended_on)} 结束` }, "endedOn");
    const started = dateOnly(p!.started_on);
    if (started && endedOn < started) throw new AppError("validation_failed", { detail: `离任日期不能早于任职日期 ${started}` }, "endedOn");
    await tx.update(posts).set({ endedOn }).where(eq(posts.id, postId));
    await audit(tx, actor, "post.end", "post", postId, { endedOn }, { orgKind: org.kind });
  });
}

/** The posts of one body, open ones first. */
export async function listOrgPosts(db: Db, actor: Actor, orgId: string, opts: { includeEnded: boolean; lang: "zh-CN" | "en" }): Promise<PostView[]> {
  const org = await loadOrg(db, orgId);
  authorize(actor, "read", org, orgPolicy);
  const list = await withHolders(
    db,
    await rows<PostRowOfOrgs>(
      db,
      sql`${postSelect} where s.org_id = ${orgId}${opts.includeEnded ? sql`` : sql` and s.ended_on is null`}
          order by (s.ended_on is null) desc, s.part_time, s.started_on nulls last, s.created_at`,
    ),
  );
  const access = await holderAccess(db, actor, list.map((r) => r.person_id));
  return list.map((r) => postView(r, access.get(r.person_id), opts.lang));
}

/** The posts one person holds (or held), in the bodies the actor may read; 404 unless the actor may read the person. */
export async function listPersonPosts(db: Db, actor: Actor, personId: string, opts: { includeEnded: boolean; lang: "zh-CN" | "en" }): Promise<PostView[]> {
  // The person is read by the person page's rule: a resident through the registry's scope, a person
  // known only by their posts through the bodies, and only by the roles that read persons there.
  const person = await loadPersonRecord(db, personId);
  authorize(actor, "read", person, personPolicy);
  const list = await withHolders(
    db,
    await rows<PostRowOfOrgs & { area_path: string }>(
      db,
      sql`select q.*, a.path as area_path from (${postSelect} where s.person_id = ${personId}${opts.includeEnded ? sql`` : sql` and s.ended_on is null`}) q
          join organizations o2 on o2.id = q.org_id join areas a on a.id = o2.area_id
          order by (q.ended_on is null) desc, q.started_on nulls last`,
    ),
  );
  const access: HolderAccess = { read: true, clear: personPolicy.readClear(actor, person) };
  return list.filter((r) => orgPolicy.read(actor, { areaPath: r.area_path })).map((r) => postView(r, access, opts.lang));
}

export interface CrossAppointment {
  /** Null when the actor may not read the person. */
  personId: string | null;
  personName: string;
  personInRegistry: boolean;
  posts: PostView[];
}

/** 交叉任职: persons holding open posts in two or more bodies under an area. */
export async function listCrossAppointments(db: Db, actor: Actor, areaId: string, lang: "zh-CN" | "en"): Promise<CrossAppointment[]> {
  const [a] = await rows<{ path: string }>(db, sql`select path from areas where id = ${areaId}`);
  const area = a ? { areaPath: a.path } : undefined;
  authorize(actor, "read", area, orgPolicy);
  const like = `${escapeLike(area.areaPath)}%`;
  const found = await rows<PostRowOfOrgs>(
    db,
    sql`${postSelect} join areas a on a.id = o.area_id
        where s.ended_on is null and o.dissolved_on is null and a.path like ${like}
          and s.person_id in (
            select s2.person_id from posts s2 join organizations o2 on o2.id = s2.org_id join areas a2 on a2.id = o2.area_id
            where s2.ended_on is null and o2.dissolved_on is null and a2.path like ${like}
            group by s2.person_id having count(distinct s2.org_id) >= 2)
        order by s.person_id, o.path`,
  );
  // By the holder's name (then id), as the registry orders them; each holder's posts by body.
  const list = await withHolders(db, found, true);
  const access = await holderAccess(db, actor, list.map((r) => r.person_id));
  const byPerson = new Map<string, CrossAppointment>();
  for (const r of list) {
    const view = postView(r, access.get(r.person_id), lang);
    const entry = byPerson.get(r.person_id) ?? { personId: view.personId, personName: view.personName, personInRegistry: r.grid_id !== null, posts: [] };
    entry.posts.push(view);
    byPerson.set(r.person_id, entry);
  }
  return [...byPerson.values()];
}

export interface CommitteeSeatInput {
  coBuildingUnitId: string;
  person: { personId: string } | { name: string; gender: "male" | "female"; birthYear: number };
  /** Title in the party committee, e.g. 兼职委员. */
  title: string;
  /** Title in the co-building unit, e.g. 党委书记. */
  unitTitle: string;
  startedOn?: string | null | undefined;
}

/**
 * A part-time seat of the 大党委 for a member of a co-building unit: an existing person, or a new
 * person record without a household (they usually live elsewhere); a part-time post in the
 * community party committee plus their post in the unit, both in one transaction.
 */
export async function addCommitteeSeat(db: Db, actor: Actor, committeeId: string, input: CommitteeSeatInput, now = new Date()): Promise<{ personId: string; postId: string; unitPostId: string | null }> {
  return db.transaction(async (tx) => {
    const committee = await loadOrgForChange(tx, actor, committeeId);
    if (committee.kind !== "communityPartyCommittee") {
      throw new AppError("org_wrong_parent", { kind: "兼职委员", kindEn: "part-time committee member", detail: "只有社区(大)党委设兼职委员席位", detailEn: "only a community party committee seats part-time members" }, "id");
    }
    const unit = await loadOrg(tx, input.coBuildingUnitId);
    if (!unit || !orgPolicy.read(actor, unit)) throw new AppError("not_found", {}, "coBuildingUnitId");
    if (unit.kind !== "coBuildingUnit") throw new AppError("validation_failed", { detail: "所选单位不是共建单位" }, "coBuildingUnitId");
    if (unit.dissolvedOn) throw new AppError("org_dissolved", { on: unit.dissolvedOn }, "coBuildingUnitId");
    if (!unit.areaPath.startsWith(committee.areaPath)) throw new AppError("validation_failed", { detail: "共建单位须属于本社区" }, "coBuildingUnitId");
    const unitTitle = checkTitle(input.unitTitle);
    let personId: string;
    if ("personId" in input.person) {
      personId = input.person.personId;
      await checkPerson(tx, actor, personId, committee);
    } else {
      const name = input.person.name.trim();
      if (!name) throw new AppError("validation_failed", { detail: "请填写姓名" }, "name");
      const year = new Date(now).getUTCFullYear();
      if (input.person.birthYear > year - 16 || input.person.birthYear < year - 100) throw new AppError("validation_failed", { detail: "出生年份不合理" }, "birthYear");
      personId = await createPostOnlyPerson(tx, { name, gender: input.person.gender, birthYear: input.person.birthYear });
      await audit(tx, actor, "person.createForPost", "person", personId, { orgId: unit.id }, { withoutHousehold: true });
    }
    const postId = await insertPost(tx, actor, committee, { personId, title: input.title, partTime: true, startedOn: input.startedOn }, now);
    // Their post in the unit, unless they already hold it.
    const [held] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.personId, personId), eq(posts.orgId, unit.id), eq(posts.title, unitTitle), isNull(posts.endedOn)));
    const unitPostId = held ? null : await insertPost(tx, actor, unit, { personId, title: unitTitle, partTime: false, startedOn: input.startedOn }, now);
    return { personId, postId, unitPostId };
  });
}
