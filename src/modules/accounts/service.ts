/**
 * 居民账号: residents' own accounts. A resident signs up (name, mobile confirmed by an SMS code,
 * password, community, address) and gets the resident role on the community at once — enough to
 * report and follow their own cases; a community worker then compares the sign-up with the
 * registry and links the account to the person (or rejects it with a reason the resident sees).
 * With a household's one-time invitation code the resident picks which member they are and is
 * linked at once.
 */
import { createHash, randomInt, randomUUID } from "node:crypto";
import { and, eq, isNull, sql } from "drizzle-orm";
import { rows, type Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { recordAudit } from "../../platform/audit/service.js";
import { abilities, authorize, inScopeOf, scopeCondition } from "../../platform/policy/index.js";
import { householdClearReaders } from "../../platform/policy/roles.js";
import { maskAddress, maskName, maskPhone } from "../../platform/mask.js";
import { decryptField, encryptField, searchHash } from "../../platform/pii/crypto.js";
import type { DataKeyring } from "../../platform/pii/keys.js";
import { validatePhone } from "../../platform/pii/validate.js";
import { revealWindowMs, validatePurpose } from "../../platform/pii/reveal.js";
import { recordPiiReveal } from "../../platform/pii/record.js";
import { passwordProblem } from "../../platform/auth/password.js";
import { createUser, findUserByUsername, linkUserToPerson, personHasAccount } from "../../platform/auth/service.js";
import { householdMembers, householdPlaces, registryCandidates, residentPerson } from "../people/index.js";
import { accountVerifiers, invitationPolicy, signupPolicy, type SignupRecord } from "./policy.js";
import { invitationCodes, phoneVerifications, signupRequests } from "./schema.js";
import type { SmsSender } from "./sms.js";

const phoneContext = "signup_requests.phone";
export const smsCodeValidMinutes = 10;
export const smsCodeMaxTries = 5;
/** One code a minute per mobile, five an hour per mobile, twenty an hour per client address. */
export const smsLimits = { perPhoneGapSeconds: 60, perPhonePerHour: 5, perClientPerHour: 20 } as const;
export const invitationValidDays = { default: 30, max: 180 } as const;

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const codeHashOf = (verificationId: string, code: string) => sha256(`${verificationId}:${code}`);

// ---------------------------------------------------------------- SMS codes

/** Sends a 6-digit code to a mobile (rate limited per mobile and per client address); the code is kept hashed only. */
export async function requestSmsCode(
  db: Db,
  keyring: DataKeyring,
  sender: SmsSender | undefined,
  opts: { phone: string; clientAddress: string; now?: Date },
): Promise<{ verificationId: string; expiresAt: string; validMinutes: number }> {
  const now = opts.now ?? new Date();
  if (!sender) throw new AppError("sms_unavailable");
  const phone = checkedPhone(opts.phone);
  const phoneHash = searchHash(keyring, "phone", phone);
  const clientHash = sha256(opts.clientAddress);
  const hourAgo = new Date(now.getTime() - 3600_000).toISOString();
  const [counts] = await rows<{ phone_hour: string | number; client_hour: string | number; last_phone: Date | string | null; first_phone: Date | string | null; first_client: Date | string | null }>(
    db,
    sql`select
          count(*) filter (where phone_hash = ${phoneHash}) as phone_hour,
          count(*) filter (where client_hash = ${clientHash}) as client_hour,
          max(created_at) filter (where phone_hash = ${phoneHash}) as last_phone,
          min(created_at) filter (where phone_hash = ${phoneHash}) as first_phone,
          min(created_at) filter (where client_hash = ${clientHash}) as first_client
        from phone_verifications where created_at > ${hourAgo}::timestamptz and (phone_hash = ${phoneHash} or client_hash = ${clientHash})`,
  );
  const wait = (from: Date | string | null, seconds: number) => Math.max(1, Math.ceil((new Date(from!).getTime() + seconds * 1000 - now.getTime()) / 1000));
  if (counts && counts.last_phone && now.getTime() - new Date(counts.last_phone).getTime() < smsLimits.perPhoneGapSeconds * 1000) {
    throw new AppError("sms_rate_limited", { retry: wait(counts.last_phone, smsLimits.perPhoneGapSeconds) }, "phone");
  }
  if (counts && Number(counts.phone_hour) >= smsLimits.perPhonePerHour) throw new AppError("sms_rate_limited", { retry: wait(counts.first_phone, 3600) }, "phone");
  if (counts && Number(counts.client_hour) >= smsLimits.perClientPerHour) throw new AppError("sms_rate_limited", { retry: wait(counts.first_client, 3600) }, "phone");
  const id = randomUUID();
  const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
  const expiresAt = new Date(now.getTime() + smsCodeValidMinutes * 60_000);
  // Sent first: a code that could not be sent is not kept (and does not count against the limits).
  await sender.sendCode({ phone, code, validMinutes: smsCodeValidMinutes });
  await db.insert(phoneVerifications).values({ id, phoneHash, clientHash, codeHash: codeHashOf(id, code), createdAt: now, expiresAt });
  return { verificationId: id, expiresAt: expiresAt.toISOString(), validMinutes: smsCodeValidMinutes };
}

/**
 * Checks a code against its verification. A wrong code counts a try (committed, whatever follows);
 * after `smsCodeMaxTries` wrong ones, or 10 minutes, or once used, the verification is dead.
 */
async function checkSmsCode(db: Db, opts: { verificationId: string; phoneHash: string; code: string; now: Date }): Promise<void> {
  const [v] = await db
    .select()
    .from(phoneVerifications)
    .where(and(eq(phoneVerifications.id, opts.verificationId), eq(phoneVerifications.phoneHash, opts.phoneHash)));
  if (!v || v.usedAt || v.expiresAt <= opts.now || v.attempts >= smsCodeMaxTries) throw new AppError("sms_code_expired", {}, "smsCode");
  if (v.codeHash === codeHashOf(v.id, opts.code)) return;
  const [counted] = await db
    .update(phoneVerifications)
    .set({ attempts: sql`${phoneVerifications.attempts} + 1` })
    .where(eq(phoneVerifications.id, v.id))
    .returning({ attempts: phoneVerifications.attempts });
  const left = smsCodeMaxTries - (counted?.attempts ?? smsCodeMaxTries);
  if (left <= 0) throw new AppError("sms_code_expired", {}, "smsCode");
  throw new AppError("sms_code_wrong", { left }, "smsCode");
}

function checkedPhone(phone: string): string {
  const v = validatePhone(phone);
  if (!v.ok || !/^1\d{10}$/.test(v.normalized)) throw new AppError("validation_failed", { detail: "请填写 11 位手机号" }, "phone");
  return v.normalized;
}

// ---------------------------------------------------------------- places to pick from

interface CommunityRow {
  id: string;
  path: string;
  name: string;
}

async function community(db: Db, id: string): Promise<CommunityRow | undefined> {
  const [c] = await rows<CommunityRow>(db, sql`select id, path, name from areas where id = ${id} and level = 'community' and (valid_to is null or valid_to > current_date)`);
  return c;
}

/** The buildings of a community's registry, for the sign-up's address picker: 紫荆苑 3栋. */
export async function communityBuildings(db: Db, communityId: string): Promise<{ id: string; label: string }[]> {
  const c = await community(db, communityId);
  if (!c) throw new AppError("not_found");
  return rows<{ id: string; label: string }>(
    db,
    sql`select b.id, c.name || ' ' || b.name as label from buildings b join compounds c on c.id = b.compound_id
        where c.community_id = ${communityId} order by c.name, b.name, b.id`,
  );
}

/** The dwellings of one building: unit and room, for the picker (no one's name). */
export async function buildingDwellings(db: Db, buildingId: string): Promise<{ id: string; unit: string; room: string }[]> {
  return rows<{ id: string; unit: string; room: string }>(
    db,
    sql`select d.id, u.name as unit, d.room_no as room from dwellings d join building_units u on u.id = d.unit_id
        where d.building_id = ${buildingId} order by u.name, d.floor, d.room_no, d.id`,
  );
}

async function dwellingLabel(db: Db, dwellingId: string, communityId: string): Promise<string | undefined> {
  const [d] = await rows<{ label: string }>(
    db,
    sql`select c.address || ' ' || c.name || ' ' || b.name || ' ' || u.name || ' ' || d.room_no || case when d.room_no like '%室' then '' else '室' end as label
        from dwellings d join building_units u on u.id = d.unit_id join buildings b on b.id = d.building_id join compounds c on c.id = b.compound_id
        where d.id = ${dwellingId} and c.community_id = ${communityId}`,
  );
  return d?.label;
}

/** The community a household belongs to (from its grid's path), from the area tree. */
async function communityOfPath(db: Db, gridPath: string): Promise<CommunityRow | undefined> {
  const [c] = await rows<CommunityRow>(db, sql`select id, path, name from areas where level = 'community' and ${gridPath} like path || '%' order by depth desc limit 1`);
  return c;
}

// ---------------------------------------------------------------- invitation codes

const codeAlphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

function newInvitationCode(): string {
  let s = "";
  for (let i = 0; i < 8; i++) s += codeAlphabet[randomInt(0, codeAlphabet.length)];
  return `${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Upper case, no spaces or dashes: what the resident typed, as it was hashed. */
function normalizedCode(code: string): string {
  return code.toUpperCase().replace(/[\s-]/g, "");
}

async function findInvitation(db: Db, code: string, now: Date) {
  const [inv] = await db.select().from(invitationCodes).where(eq(invitationCodes.codeHash, sha256(normalizedCode(code))));
  if (!inv) throw new AppError("invitation_invalid", {}, "invitationCode");
  if (inv.usedAt) throw new AppError("invitation_used", {}, "invitationCode");
  if (inv.expiresAt <= now) throw new AppError("invitation_expired", {}, "invitationCode");
  return inv;
}

export interface InvitationPreview {
  communityName: string;
  /** The household's address with its numbers hidden: the resident holds the printed sheet. */
  place: string;
  members: { id: string; name: string; relation: string }[];
}

/** What a valid code opens: the community, the household's place, its members with names masked but the first character. */
export async function previewInvitation(db: Db, code: string, now = new Date()): Promise<InvitationPreview> {
  const inv = await findInvitation(db, code, now);
  const [place] = await householdPlaces(db, [inv.householdId]);
  const c = await community(db, inv.communityId);
  const members = await householdMembers(db, inv.householdId);
  return {
    communityName: c?.name ?? "",
    place: maskAddress(place?.address ?? ""),
    members: members.map((m) => ({ id: m.id, name: maskName(m.name), relation: m.relation })),
  };
}

export interface NewInvitation {
  id: string;
  code: string;
  householdId: string;
  address: string;
  gridName: string;
  communityName: string;
  expiresAt: string;
}

/** Makes one code per household (each in the actor's scope); the clear codes are answered once, for printing. */
export async function createInvitations(db: Db, actor: Actor, opts: { householdIds: string[]; validDays?: number | undefined; now?: Date }): Promise<NewInvitation[]> {
  const now = opts.now ?? new Date();
  const places = await householdPlaces(db, opts.householdIds);
  if (places.length !== new Set(opts.householdIds).size) throw new AppError("not_found", {}, "householdIds");
  for (const p of places) {
    if (!invitationPolicy.create(actor, { areaPath: p.gridPath })) throw new AppError("invitation_household_outside", {}, "householdIds");
  }
  const expiresAt = new Date(now.getTime() + (opts.validDays ?? invitationValidDays.default) * 86_400_000);
  return db.transaction(async (tx) => {
    const out: NewInvitation[] = [];
    for (const p of places) {
      const c = await communityOfPath(tx, p.gridPath);
      if (!c) throw new AppError("invitation_household_outside", {}, "householdIds");
      const code = newInvitationCode();
      const [row] = await tx
        .insert(invitationCodes)
        .values({ codeHash: sha256(normalizedCode(code)), hint: code.slice(-2), householdId: p.id, communityId: c.id, communityPath: c.path, createdBy: actor.userId, createdAt: now, expiresAt })
        .returning({ id: invitationCodes.id });
      out.push({ id: row!.id, code, householdId: p.id, address: p.address, gridName: p.gridName, communityName: c.name, expiresAt: expiresAt.toISOString() });
      await recordAudit(tx, {
        actor: { kind: actor.kind, id: actor.userId },
        action: "invitation.create",
        entityType: "invitationCode",
        entityId: row!.id,
        change: { householdId: p.id, communityId: c.id, expiresAt: expiresAt.toISOString() },
      });
    }
    return out;
  });
}

export interface InvitationView {
  id: string;
  hint: string;
  householdId: string;
  address: string;
  communityName: string;
  status: "unused" | "used" | "expired";
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

/** The codes made for the actor's communities (never the codes themselves), newest first. */
export async function listInvitations(db: Db, actor: Actor, opts: { page: number; pageSize: number; now?: Date }): Promise<{ items: InvitationView[]; total: number }> {
  const now = opts.now ?? new Date();
  const list = await rows<{ id: string; hint: string; household_id: string; community_name: string; community_path: string; created_at: Date | string; expires_at: Date | string; used_at: Date | string | null; total: string | number }>(
    db,
    sql`select i.id, i.hint, i.household_id, a.name as community_name, i.community_path, i.created_at, i.expires_at, i.used_at, count(*) over () as total
        from invitation_codes i join areas a on a.id = i.community_id
        where ${scopeCondition(actor, accountVerifiers, sql`i.community_path`)}
        order by i.created_at desc, i.id limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`,
  );
  const places = new Map((await householdPlaces(db, list.map((r) => r.household_id))).map((p) => [p.id, p]));
  return {
    total: Number(list[0]?.total ?? 0),
    items: list.map((r) => {
      const address = places.get(r.household_id)?.address ?? "";
      const clear = inScopeOf(...householdClearReaders)(actor, { areaPath: r.community_path });
      return {
        id: r.id,
        hint: r.hint,
        householdId: r.household_id,
        address: clear ? address : maskAddress(address),
        communityName: r.community_name,
        status: r.used_at ? "used" : new Date(r.expires_at) <= now ? "expired" : "unused",
        createdAt: new Date(r.created_at).toISOString(),
        expiresAt: new Date(r.expires_at).toISOString(),
        usedAt: r.used_at ? new Date(r.used_at).toISOString() : null,
      };
    }),
  };
}

// ---------------------------------------------------------------- sign-up

export interface SignupInput {
  username: string;
  name: string;
  password: string;
  phone: string;
  /** Without an invitation code: the community chosen. With one: taken from the code. */
  communityId?: string | undefined;
  address?: string | undefined;
  dwellingId?: string | undefined;
  verificationId?: string | undefined;
  smsCode?: string | undefined;
  invitationCode?: string | undefined;
  /** With an invitation code: which member of the household the resident is. */
  personId?: string | undefined;
}

/**
 * Signs a resident up. Every check comes before the first write (a wrong SMS code only counts its
 * try): the mobile, the password, the username, the community (or the invitation code and the
 * member picked), the mobile not already signed up. Then, in one transaction: the user with the
 * resident role on the community, the sign-up (pending, or linked with an invitation), the SMS
 * code and the invitation marked used, the link to the person, the audit entries.
 */
export async function signUp(db: Db, keyring: DataKeyring, smsMode: "log" | "off", input: SignupInput, now = new Date()): Promise<{ userId: string; status: "pending" | "linked" }> {
  const name = input.name.trim();
  if (name === "") throw new AppError("validation_failed", { detail: "请填写姓名" }, "name");
  const phone = checkedPhone(input.phone);
  const phoneHash = searchHash(keyring, "phone", phone);
  if (passwordProblem(input.password)) throw new AppError("password_too_weak", {}, "password");
  if (!/^[A-Za-z0-9_.-]{3,64}$/.test(input.username)) throw new AppError("validation_failed", { detail: "用户名为 3–64 位字母、数字或 _ . -" }, "username");
  if (await findUserByUsername(db, input.username)) throw new AppError("conflict", { detail: input.username }, "username");

  let target: { community: CommunityRow; address: string; dwellingId: string | null; invitationId: string | null; personId: string | null };
  if (input.invitationCode) {
    const inv = await findInvitation(db, input.invitationCode, now);
    const members = await householdMembers(db, inv.householdId);
    if (!input.personId || !members.some((m) => m.id === input.personId)) throw new AppError("invitation_member_unknown", {}, "personId");
    if (await personHasAccount(db, input.personId)) throw new AppError("person_already_linked", {}, "personId");
    const c = await community(db, inv.communityId);
    if (!c) throw new AppError("invitation_invalid", {}, "invitationCode");
    const [place] = await householdPlaces(db, [inv.householdId]);
    target = { community: c, address: place?.address ?? "", dwellingId: null, invitationId: inv.id, personId: input.personId };
  } else {
    const c = input.communityId ? await community(db, input.communityId) : undefined;
    if (!c) throw new AppError("community_unknown", {}, "communityId");
    let address = (input.address ?? "").trim();
    if (input.dwellingId) {
      const label = await dwellingLabel(db, input.dwellingId, c.id);
      if (!label) throw new AppError("dwelling_not_in_community", {}, "dwellingId");
      address = label;
    }
    if (address === "") throw new AppError("validation_failed", { detail: "请填写住址，或从小区楼栋中选择" }, "address");
    target = { community: c, address, dwellingId: input.dwellingId ?? null, invitationId: null, personId: null };
  }
  const [taken] = await rows<{ id: string }>(db, sql`select id from signup_requests where phone_hash = ${phoneHash} and status <> 'rejected' limit 1`);
  if (taken) throw new AppError("phone_taken", {}, "phone");

  if (smsMode !== "off") {
    if (!input.verificationId || !input.smsCode) throw new AppError("sms_code_required", {}, "smsCode");
    await checkSmsCode(db, { verificationId: input.verificationId, phoneHash, code: input.smsCode, now });
  }

  return db.transaction(async (tx) => {
    const user = await createUser(tx, { username: input.username, displayName: name, password: input.password, grants: [{ role: "resident", areaId: target.community.id }] }, { kind: "system" });
    if (smsMode !== "off") {
      const [used] = await tx
        .update(phoneVerifications)
        .set({ usedAt: now })
        .where(and(eq(phoneVerifications.id, input.verificationId!), isNull(phoneVerifications.usedAt)))
        .returning({ id: phoneVerifications.id });
      if (!used) throw new AppError("sms_code_expired", {}, "smsCode");
    }
    if (target.invitationId) {
      const [used] = await tx
        .update(invitationCodes)
        .set({ usedAt: now, usedBy: user.id })
        .where(and(eq(invitationCodes.id, target.invitationId), isNull(invitationCodes.usedAt)))
        .returning({ id: invitationCodes.id });
      if (!used) throw new AppError("invitation_used", {}, "invitationCode");
      if (!(await linkUserToPerson(tx, { userId: user.id, personId: target.personId! }))) throw new AppError("person_already_linked", {}, "personId");
    }
    const status = target.invitationId ? ("linked" as const) : ("pending" as const);
    const id = randomUUID();
    await tx.insert(signupRequests).values({
      id,
      userId: user.id,
      communityId: target.community.id,
      communityPath: target.community.path,
      name,
      phoneEnc: encryptField(keyring, phone, phoneContext),
      phoneHash,
      phoneMasked: maskPhone(phone),
      phoneVerified: smsMode === "off" ? "none" : "sms",
      address: target.address,
      dwellingId: target.dwellingId,
      status,
      via: target.invitationId ? "invitation" : "registry",
      personId: target.personId,
      decidedAt: target.invitationId ? now : null,
      createdAt: now,
    });
    await recordAudit(tx, {
      actor: { kind: "user", id: user.id },
      action: "signup.create",
      entityType: "signupRequest",
      entityId: id,
      change: { userId: user.id, communityId: target.community.id, via: target.invitationId ? "invitation" : "registry", status, ...(target.personId ? { personId: target.personId } : {}) },
      summary: { via: target.invitationId ? "invitation" : "registry", status },
    });
    return { userId: user.id, status };
  });
}

// ---------------------------------------------------------------- the resident's own view

export interface MySignup {
  status: "none" | "pending" | "linked" | "rejected";
  communityId: string | null;
  communityName: string | null;
  rejectReason: string | null;
  householdId: string | null;
  createdAt: string | null;
}

/** The signed-in user's sign-up: pending, linked (with their household) or rejected (with the reason). */
export async function mySignup(db: Db, actor: Actor): Promise<MySignup> {
  const [r] = await rows<{ status: "pending" | "linked" | "rejected"; community_id: string; community_name: string; reject_reason: string | null; created_at: Date | string; person_id: string | null }>(
    db,
    sql`select s.status, s.community_id, a.name as community_name, s.reject_reason, s.created_at, s.person_id
        from signup_requests s join areas a on a.id = s.community_id where s.user_id = ${actor.userId}`,
  );
  if (!r) return { status: "none", communityId: null, communityName: null, rejectReason: null, householdId: actor.householdId, createdAt: null };
  // From the link itself, not the session (which a server may have cached from before the link).
  const person = r.person_id ? await residentPerson(db, r.person_id) : undefined;
  return {
    status: r.status,
    communityId: r.community_id,
    communityName: r.community_name,
    rejectReason: r.reject_reason,
    householdId: person?.householdId ?? actor.householdId,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

// ---------------------------------------------------------------- the community's checks

export interface SignupView {
  id: string;
  name: string;
  phone: string;
  phoneVerified: boolean;
  address: string;
  communityId: string;
  communityName: string;
  status: "pending" | "linked" | "rejected";
  via: "registry" | "invitation";
  personId: string | null;
  rejectReason: string | null;
  createdAt: string;
  decidedAt: string | null;
  abilities: Record<"read" | "decide" | "revealPhone", boolean>;
}

interface SignupRow {
  id: string;
  user_id: string;
  name: string;
  phone_masked: string;
  phone_verified: "sms" | "none";
  address: string;
  community_id: string;
  community_name: string;
  community_path: string;
  status: "pending" | "linked" | "rejected";
  via: "registry" | "invitation";
  person_id: string | null;
  reject_reason: string | null;
  created_at: Date | string;
  decided_at: Date | string | null;
  dwelling_id: string | null;
  phone_hash: string;
  total?: string | number;
}

const signupSelect = sql`select s.id, s.user_id, s.name, s.phone_masked, s.phone_verified, s.address, s.community_id, a.name as community_name,
  s.community_path, s.status, s.via, s.person_id, s.reject_reason, s.created_at, s.decided_at, s.dwelling_id, s.phone_hash
  from signup_requests s join areas a on a.id = s.community_id`;

const recordOf = (r: SignupRow): SignupRecord => ({ id: r.id, userId: r.user_id, status: r.status, areaPath: r.community_path });

function signupView(actor: Actor, r: SignupRow): SignupView {
  // Names and addresses in clear for the community's own workers (they visit); masked above them.
  const clear = inScopeOf(...householdClearReaders)(actor, { areaPath: r.community_path }) || actor.userId === r.user_id;
  return {
    id: r.id,
    name: clear ? r.name : maskName(r.name),
    phone: r.phone_masked,
    phoneVerified: r.phone_verified === "sms",
    address: clear ? r.address : maskAddress(r.address),
    communityId: r.community_id,
    communityName: r.community_name,
    status: r.status,
    via: r.via,
    personId: r.person_id,
    rejectReason: r.reject_reason,
    createdAt: new Date(r.created_at).toISOString(),
    decidedAt: r.decided_at ? new Date(r.decided_at).toISOString() : null,
    abilities: abilities(signupPolicy, actor, recordOf(r)),
  };
}

/** Sign-ups of the actor's communities, oldest pending first. */
export async function listSignups(
  db: Db,
  actor: Actor,
  opts: { status?: "pending" | "linked" | "rejected" | undefined; page: number; pageSize: number },
): Promise<{ items: SignupView[]; total: number; page: number; pageSize: number }> {
  const conds = [sql`(${scopeCondition(actor, accountVerifiers, sql`s.community_path`)})`];
  if (opts.status) conds.push(sql`s.status = ${opts.status}`);
  const list = await rows<SignupRow>(
    db,
    sql`select q.*, count(*) over () as total from (${signupSelect} where ${sql.join(conds, sql` and `)}) q
        order by (q.status = 'pending') desc, q.created_at, q.id limit ${opts.pageSize} offset ${(opts.page - 1) * opts.pageSize}`,
  );
  return { items: list.map((r) => signupView(actor, r)), total: Number(list[0]?.total ?? 0), page: opts.page, pageSize: opts.pageSize };
}

async function loadSignup(db: Db, id: string): Promise<SignupRow | undefined> {
  const [r] = await rows<SignupRow>(db, sql`${signupSelect} where s.id = ${id}`);
  return r;
}

export interface CandidateView {
  personId: string;
  name: string;
  relation: string;
  birthYear: number;
  householdId: string;
  address: string;
  gridName: string;
  phone: string | null;
  matchedBy: ("name" | "phone" | "dwelling")[];
  /** Already linked to another account: cannot be picked. */
  linked: boolean;
}

/** Registry persons of the sign-up's community matching its name, mobile or picked dwelling. */
export async function signupCandidates(db: Db, actor: Actor, id: string): Promise<{ signup: SignupView; candidates: CandidateView[] }> {
  const r = await loadSignup(db, id);
  authorize(actor, "decide", r && recordOf(r), signupPolicy);
  const found = await registryCandidates(db, { areaPath: r!.community_path, name: r!.name, phoneHash: r!.phone_hash, dwellingId: r!.dwelling_id });
  const clear = inScopeOf(...householdClearReaders)(actor, { areaPath: r!.community_path });
  const candidates: CandidateView[] = [];
  for (const c of found) {
    candidates.push({
      personId: c.personId,
      name: clear ? c.name : maskName(c.name),
      relation: c.relation,
      birthYear: c.birthYear,
      householdId: c.householdId,
      address: clear ? c.address : maskAddress(c.address),
      gridName: c.gridName,
      phone: c.phoneMasked,
      matchedBy: c.matchedBy,
      linked: await personHasAccount(db, c.personId, r!.user_id),
    });
  }
  if (clear) {
    await recordAudit(db, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "signup.readCandidates",
      entityType: "signupRequest",
      entityId: id,
      change: { candidates: candidates.map((c) => c.personId) },
      summary: { count: candidates.length },
    });
  }
  return { signup: signupView(actor, r!), candidates };
}

/** Links the sign-up's account to a registry person of its community; the resident then sees their household. */
export async function linkSignup(db: Db, actor: Actor, id: string, personId: string, now = new Date()): Promise<SignupView> {
  return db.transaction(async (tx) => {
    const r = await loadSignup(tx, id);
    authorize(actor, "read", r && recordOf(r), signupPolicy);
    if (r!.status !== "pending") throw new AppError("signup_decided");
    authorize(actor, "decide", recordOf(r!), signupPolicy);
    const person = await residentPerson(tx, personId);
    if (!person || !person.gridPath || !person.householdId || !person.gridPath.startsWith(r!.community_path)) throw new AppError("person_not_in_community", {}, "personId");
    if (!(await linkUserToPerson(tx, { userId: r!.user_id, personId }))) throw new AppError("person_already_linked", {}, "personId");
    await tx.update(signupRequests).set({ status: "linked", personId, decidedBy: actor.userId, decidedAt: now }).where(eq(signupRequests.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "signup.link",
      entityType: "signupRequest",
      entityId: id,
      change: { userId: r!.user_id, personId },
    });
    return signupView(actor, { ...r!, status: "linked", person_id: personId, decided_at: now });
  });
}

/** Rejects a sign-up with a reason the resident reads; their account keeps reporting and following their own cases. */
export async function rejectSignup(db: Db, actor: Actor, id: string, reason: string, now = new Date()): Promise<SignupView> {
  const text = reason.trim();
  if ([...text].length < 2) throw new AppError("validation_failed", { detail: "请写明未通过的原因" }, "reason");
  return db.transaction(async (tx) => {
    const r = await loadSignup(tx, id);
    authorize(actor, "read", r && recordOf(r), signupPolicy);
    if (r!.status !== "pending") throw new AppError("signup_decided");
    authorize(actor, "decide", recordOf(r!), signupPolicy);
    await tx.update(signupRequests).set({ status: "rejected", rejectReason: text, decidedBy: actor.userId, decidedAt: now }).where(eq(signupRequests.id, id));
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "signup.reject",
      entityType: "signupRequest",
      entityId: id,
      change: { reason: text },
    });
    return signupView(actor, { ...r!, status: "rejected", reject_reason: text, decided_at: now });
  });
}

/** The sign-up's mobile in clear, for a stated purpose (kept in pii_reveals), audited. */
export async function revealSignupPhone(db: Db, keyring: DataKeyring, actor: Actor, id: string, purpose: string, now = new Date()): Promise<{ value: string; expiresAt: string }> {
  const checked = validatePurpose(purpose);
  if (!checked.ok) throw new AppError("validation_failed", { detail: checked.message }, "purpose");
  return db.transaction(async (tx) => {
    const r = await loadSignup(tx, id);
    authorize(actor, "revealPhone", r && recordOf(r), signupPolicy);
    const [enc] = await tx.select({ phoneEnc: signupRequests.phoneEnc }).from(signupRequests).where(eq(signupRequests.id, id));
    const expiresAt = new Date(now.getTime() + revealWindowMs);
    await recordPiiReveal(tx, { userId: actor.userId, entityType: "signupRequest", entityId: id, field: "phone", purpose: checked.purpose, grantedAt: now, expiresAt });
    await recordAudit(tx, {
      actor: { kind: actor.kind, id: actor.userId },
      action: "signup.reveal",
      entityType: "signupRequest",
      entityId: id,
      change: { field: "phone", purpose: checked.purpose },
      summary: { field: "phone" },
    });
    return { value: decryptField(keyring, enc!.phoneEnc, phoneContext), expiresAt: expiresAt.toISOString() };
  });
}

/** How many sign-ups wait in the actor's communities (for the console's to-dos). */
export async function pendingSignupCount(db: Db, actor: Actor): Promise<number> {
  const [r] = await rows<{ n: string | number }>(db, sql`select count(*) as n from signup_requests s where s.status = 'pending' and (${scopeCondition(actor, accountVerifiers, sql`s.community_path`)})`);
  return Number(r?.n ?? 0);
}
