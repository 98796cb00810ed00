/**
 * Validation and normalization of ID numbers and phones. Messages are zh-CN for the person typing
 * and never repeat the number (they may reach logs and error responses).
 */

/** 公民身份号码 (GB 11643-1999): weights of the first 17 digits; the sum mod 11 indexes `checkDigits`. */
const idWeights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const checkDigits = "10X98765432";
/** Oldest birth year accepted: nobody registered today was born earlier. */
const minBirthYear = 1900;

export type IdNumberResult =
  | {
      ok: true;
      /** 18 characters, ASCII digits, upper-case X. Encrypt and hash this form. */
      normalized: string;
      /** YYYY-MM-DD */
      birthDate: string;
      gender: "male" | "female";
      /** First 6 digits: the administrative division where the number was issued (not checked: old codes stay valid). */
      regionCode: string;
    }
  | { ok: false; reason: "length" | "characters" | "birth_date" | "checksum"; message: string };

export type PhoneResult =
  | {
      ok: true;
      kind: "mobile" | "landline";
      /** Mobile: 11 digits (13812345678). Landline: area code with 0, dash, local number (028-85123456). */
      normalized: string;
    }
  | { ok: false; reason: "empty" | "characters" | "format"; message: string };

/** Full-width digits, letters and signs (０-９, Ｘ, ＋, －) to ASCII; white space (also U+3000) removed. */
function toHalfWidth(raw: string): string {
  return raw
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s\u3000]+/g, "");
}

/** Check digit (0-9 or X) of the first 17 digits of an ID number. */
export function idCheckDigit(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError("idCheckDigit needs exactly 17 digits");
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * idWeights[i]!;
  return checkDigits[sum % 11]!;
}

function chinaToday(now: Date): string {
  return new Date(now.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

function isCalendarDate(yyyymmdd: string): boolean {
  const y = Number(yyyymmdd.slice(0, 4));
  const m = Number(yyyymmdd.slice(4, 6));
  const d = Number(yyyymmdd.slice(6, 8));
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/**
 * Checks a resident ID number (居民身份证号码, 18 characters: 6 region, 8 birth date, 3 sequence
 * whose last digit is odd for men, 1 check digit). Spaces are ignored, full-width characters and a
 * lower-case x accepted. Old 15-digit numbers (first-generation cards, invalid since 2013) are
 * rejected with reason "length" and a message asking for the 18-digit number; converting them
 * would guess a century and invent a check digit the person never had.
 * `now` (default: the current time) bounds the birth date, in China's time zone.
 */
export function validateIdNumber(raw: string, now: Date = new Date()): IdNumberResult {
  const value = toHalfWidth(typeof raw === "string" ? raw : "").toUpperCase();
  if (value === "") return { ok: false, reason: "length", message: "请填写身份证号码" };
  if (!/^[0-9X]+$/.test(value)) {
    return { ok: false, reason: "characters", message: "身份证号码只能包含数字，最后一位可以是 X" };
  }
  if (value.length === 15 && /^\d+$/.test(value)) {
    return { ok: false, reason: "length", message: "15 位旧身份证号码已停止使用，请填写 18 位身份证号码" };
  }
  if (value.length !== 18) {
    return { ok: false, reason: "length", message: `身份证号码应为 18 位，当前为 ${value.length} 位` };
  }
  if (!/^\d{17}[0-9X]$/.test(value)) {
    return { ok: false, reason: "characters", message: "身份证号码只有最后一位可以是 X" };
  }
  const birth = value.slice(6, 14);
  const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  if (!isCalendarDate(birth) || Number(birth.slice(0, 4)) < minBirthYear || birthDate > chinaToday(now)) {
    return { ok: false, reason: "birth_date", message: "身份证号码中的出生日期无效，请核对" };
  }
  if (idCheckDigit(value.slice(0, 17)) !== value[17]) {
    return { ok: false, reason: "checksum", message: "身份证号码校验位不正确，请逐位核对" };
  }
  return {
    ok: true,
    normalized: value,
    birthDate,
    gender: Number(value[16]) % 2 === 1 ? "male" : "female",
    regionCode: value.slice(0, 6),
  };
}

/**
 * A well-formed ID number for FAKE demo and test data: `region6` (e.g. the demo district 武侯区
 * 510107), `birthDate` "YYYY-MM-DD", `seq` 0–999 (the order code; odd = male, even = female),
 * check digit computed. The persons are invented and the sequence numbers arbitrary; a
 * constructed number is well-formed, so it may by chance equal a real person's — never use such
 * numbers outside demo and test data, and never treat one as identifying anybody.
 */
export function makeIdNumber(region6: string, birthDate: string, seq: number): string {
  if (!/^\d{6}$/.test(region6)) throw new RangeError("makeIdNumber: region code must be 6 digits");
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!m || !isCalendarDate(`${m[1]}${m[2]}${m[3]}`)) throw new RangeError("makeIdNumber: birth date must be a YYYY-MM-DD calendar date");
  if (!Number.isInteger(seq) || seq < 0 || seq > 999) throw new RangeError("makeIdNumber: sequence must be a whole number 0–999");
  const first17 = `${region6}${m[1]}${m[2]}${m[3]}${String(seq).padStart(3, "0")}`;
  return first17 + idCheckDigit(first17);
}

const phoneMessages = {
  empty: "请填写电话号码",
  characters: "电话号码只能包含数字、空格、短横线、括号和开头的 +",
  format: "请填写 11 位手机号码，或带区号的座机号码（例如 028-8xxxxxxx）",
} as const;

/**
 * Checks a mainland phone number. Accepted: mobile 1[3-9] + 9 digits, optionally after +86, 86 or
 * 0086; landline with area code (010, 020–029 and 0xxx), 7–8 digit local number not starting with
 * 0 or 1, optionally after +86 without the 0. Spaces, dashes, dots and brackets are ignored.
 * Not accepted: landlines without area code, extensions, service numbers (400…, 95…, 12345).
 */
export function validatePhone(raw: string): PhoneResult {
  const value = toHalfWidth(typeof raw === "string" ? raw : "");
  if (value === "") return { ok: false, reason: "empty", message: phoneMessages.empty };
  if (!/^\+?[\d\-.()]+$/.test(value)) return { ok: false, reason: "characters", message: phoneMessages.characters };
  let digits = value.replace(/[^\d]/g, "");
  const international = value.startsWith("+") || value.startsWith("00");
  if (value.startsWith("+")) {
    if (!digits.startsWith("86")) return { ok: false, reason: "format", message: phoneMessages.format };
    digits = digits.slice(2);
  } else if (digits.startsWith("0086")) {
    digits = digits.slice(4);
  } else if (digits.length === 13 && digits.startsWith("861")) {
    digits = digits.slice(2);
  }
  if (/^1[3-9]\d{9}$/.test(digits)) return { ok: true, kind: "mobile", normalized: digits };
  // Internationally written landlines drop the trunk 0: +86 28 8512 3456.
  const national = international && !digits.startsWith("0") ? `0${digits}` : digits;
  const areaLength = /^0(10|2\d)/.test(national) ? 3 : 4;
  const area = national.slice(0, areaLength);
  const local = national.slice(areaLength);
  if (/^0[1-9]\d{1,2}$/.test(area) && /^[2-9]\d{6,7}$/.test(local)) {
    return { ok: true, kind: "landline", normalized: `${area}-${local}` };
  }
  return { ok: false, reason: "format", message: phoneMessages.format };
}
