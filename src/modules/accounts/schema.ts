import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";

/**
 * 居民注册: a resident's sign-up. The user exists from the start (resident role on the community,
 * no person); a community worker checks the registry and links the user to a person, or rejects
 * the request with a reason the resident sees. A sign-up with an invitation code is linked at once.
 */
export const signupRequests = pgTable(
  "signup_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id").notNull(),
    communityId: uuid("community_id").notNull(),
    /** The community's area path, for scope filtering in SQL. */
    communityPath: text("community_path").notNull(),
    /** The name the resident gave (personal data: never in logs). */
    name: text("name").notNull(),
    /** Mobile, AES-256-GCM (platform/pii, context "signup_requests.phone"), keyed hash, masked form. */
    phoneEnc: text("phone_enc").notNull(),
    phoneHash: text("phone_hash").notNull(),
    phoneMasked: text("phone_masked").notNull(),
    /** Whether the mobile was confirmed by an SMS code (false when GONGZHI_SMS=off). */
    phoneVerified: text("phone_verified").$type<"sms" | "none">().notNull(),
    /** The address as typed, or the label of the picked dwelling. */
    address: text("address").notNull(),
    /** The dwelling picked from the community's registry, if any (places.dwellings.id). */
    dwellingId: uuid("dwelling_id"),
    /** pending 待核实 / linked 已核实 / rejected 未通过 */
    status: text("status").$type<"pending" | "linked" | "rejected">().notNull(),
    /** registry: checked by a worker; invitation: linked by a household's one-time code. */
    via: text("via").$type<"registry" | "invitation">().notNull(),
    personId: uuid("person_id"),
    rejectReason: text("reject_reason"),
    decidedBy: uuid("decided_by"),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("signup_requests_user_key").on(t.userId),
    index("signup_requests_community_idx").on(t.communityPath, t.status),
    index("signup_requests_phone_idx").on(t.phoneHash),
  ],
);

/** 邀请码: a one-time code a community prints for one household; stored as its SHA-256 only. */
export const invitationCodes = pgTable(
  "invitation_codes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    codeHash: text("code_hash").notNull(),
    /** The code's last two characters, to tell printed sheets apart in the list. */
    hint: text("hint").notNull(),
    householdId: uuid("household_id").notNull(),
    communityId: uuid("community_id").notNull(),
    communityPath: text("community_path").notNull(),
    createdBy: uuid("created_by").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
    usedBy: uuid("used_by"),
  },
  (t) => [uniqueIndex("invitation_codes_hash_key").on(t.codeHash), index("invitation_codes_community_idx").on(t.communityPath)],
);

/** A 6-digit code sent to a mobile before sign-up: hashed, 10 minutes, 5 tries. */
export const phoneVerifications = pgTable(
  "phone_verifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    phoneHash: text("phone_hash").notNull(),
    /** SHA-256 of the client address, for the per-address limit (the address itself is not kept). */
    clientHash: text("client_hash").notNull(),
    codeHash: text("code_hash").notNull(),
    attempts: integer("attempts").notNull().default(0),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    /** Set when the code was used by a completed sign-up. */
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("phone_verifications_phone_idx").on(t.phoneHash, t.createdAt), index("phone_verifications_client_idx").on(t.clientHash, t.createdAt)],
);
