/**
 * Time-limited reveal of a clear personal value (查看明文). Values are masked by default; a role
 * allowed to see the clear value states a purpose and gets a grant for one field of one record,
 * valid for a short window. Storing grants and auditing them is the caller's job; this file holds
 * the rules only.
 */

/** How long a reveal lasts unless the caller chooses otherwise: 5 minutes. */
export const revealWindowMs = 5 * 60_000;
/** Upper bound for a caller-chosen window: a reveal is for a task at hand, not a session. */
export const maxRevealWindowMs = 60 * 60_000;

export const purposeMinLength = 4;
export const purposeMaxLength = 200;

export interface RevealGrant {
  userId: string;
  /** e.g. "person" */
  entityType: string;
  entityId: string;
  /** e.g. "idNumber", "phone" */
  field: string;
  /** The stated purpose, as validated by `validatePurpose`. */
  purpose: string;
  grantedAt: Date;
  expiresAt: Date;
}

export type PurposeResult =
  | { ok: true; purpose: string }
  | { ok: false; reason: "required" | "too_short" | "too_long" | "personal_data"; message: string };

/** A mobile number or an ID number (15 or 18 characters) standing alone in the text. */
const personalDataPattern = /(?<!\d)(?:1[3-9]\d{9}|\d{17}[\dX]|\d{15})(?![\dX])/i;

/**
 * The purpose of a reveal: required, 4–200 characters after trimming (counted as characters, so
 * Chinese text is not penalised). It is stored in the audit log, so a purpose that contains a
 * phone or ID number is refused rather than copied there.
 */
export function validatePurpose(text: unknown): PurposeResult {
  const purpose = typeof text === "string" ? text.trim() : "";
  const length = [...purpose].length;
  if (length === 0) return { ok: false, reason: "required", message: "请说明查看明文的用途" };
  if (length < purposeMinLength) {
    return { ok: false, reason: "too_short", message: `用途说明至少 ${purposeMinLength} 个字` };
  }
  if (length > purposeMaxLength) {
    return { ok: false, reason: "too_long", message: `用途说明不能超过 ${purposeMaxLength} 个字` };
  }
  const digits = purpose.normalize("NFKC").replace(/(?<=\d)[\s-]+(?=\d)/g, "");
  if (personalDataPattern.test(digits)) {
    return { ok: false, reason: "personal_data", message: "用途说明中请勿填写身份证号码、手机号码等个人信息" };
  }
  return { ok: true, purpose };
}

/** A grant from `now` for `windowMs` (default 5 minutes, at most 1 hour). The purpose must be valid. */
export function createRevealGrant(options: {
  userId: string;
  entityType: string;
  entityId: string;
  field: string;
  purpose: string;
  now: Date;
  windowMs?: number;
}): RevealGrant {
  const windowMs = options.windowMs ?? revealWindowMs;
  if (!Number.isInteger(windowMs) || windowMs <= 0 || windowMs > maxRevealWindowMs) {
    throw new RangeError(`a reveal window must be 1 ms to ${maxRevealWindowMs} ms`);
  }
  const checked = validatePurpose(options.purpose);
  if (!checked.ok) throw new RangeError(`invalid reveal purpose: ${checked.reason}`);
  return {
    userId: options.userId,
    entityType: options.entityType,
    entityId: options.entityId,
    field: options.field,
    purpose: checked.purpose,
    grantedAt: new Date(options.now.getTime()),
    expiresAt: new Date(options.now.getTime() + windowMs),
  };
}

/** Active from `grantedAt` (inclusive) until `expiresAt` (exclusive). */
export function isRevealActive(grant: Pick<RevealGrant, "grantedAt" | "expiresAt">, now: Date): boolean {
  const t = now.getTime();
  return grant.grantedAt.getTime() <= t && t < grant.expiresAt.getTime();
}

/** True when `grant` is active and for exactly this user, record and field. */
export function grantCovers(
  grant: RevealGrant,
  request: Pick<RevealGrant, "userId" | "entityType" | "entityId" | "field">,
  now: Date,
): boolean {
  return (
    grant.userId === request.userId &&
    grant.entityType === request.entityType &&
    grant.entityId === request.entityId &&
    grant.field === request.field &&
    isRevealActive(grant, now)
  );
}

/** Milliseconds left in a grant (0 once expired), for the web app's countdown. */
export function revealRemainingMs(grant: Pick<RevealGrant, "expiresAt">, now: Date): number {
  return Math.max(0, grant.expiresAt.getTime() - now.getTime());
}
