import { describe, expect, it } from "vitest";
import { idCheckDigit, makeIdNumber, validateIdNumber, validatePhone } from "./validate.js";

const now = new Date("2026-03-01T12:00:00+08:00");

describe("validateIdNumber", () => {
  it("accepts the textbook example 11010519491231002X", () => {
    expect(validateIdNumber("11010519491231002X", now)).toEqual({
      ok: true,
      normalized: "11010519491231002X",
      birthDate: "1949-12-31",
      gender: "female",
      regionCode: "110105",
    });
  });

  it("normalizes spaces, lower-case x and full-width characters", () => {
    for (const raw of [" 11010519491231002x ", "110105 19491231 002X", "１１０１０５１９４９１２３１００２Ｘ", "\u300011010519491231002ｘ"]) {
      const r = validateIdNumber(raw, now);
      expect(r.ok && r.normalized).toBe("11010519491231002X");
    }
  });

  it("accepts numbers built by makeIdNumber, with gender from the sequence", () => {
    const cases = [
      ["510107", "1985-06-15", 123, "male"],
      ["510107", "2000-02-29", 124, "female"],
      ["510107", "1900-01-01", 0, "female"],
      ["440305", "2026-03-01", 999, "male"],
    ] as const;
    for (const [region, birth, seq, gender] of cases) {
      const id = makeIdNumber(region, birth, seq);
      expect(id).toHaveLength(18);
      expect(validateIdNumber(id, now)).toEqual({ ok: true, normalized: id, birthDate: birth, gender, regionCode: region });
    }
    // Every check digit occurs, X included.
    const seen = new Set<string>();
    for (let seq = 0; seq < 200; seq++) seen.add(makeIdNumber("510107", "1990-01-01", seq).slice(-1));
    expect([...seen].sort().join("")).toBe("0123456789X");
  });

  it("computes the check digit per GB 11643", () => {
    expect(idCheckDigit("11010519491231002")).toBe("X");
    expect(() => idCheckDigit("1101051949123100")).toThrow(RangeError);
  });

  it("rejects wrong lengths, old 15-digit numbers included", () => {
    for (const raw of ["", "   ", "1101051949123100", "11010519491231002X1"]) {
      const r = validateIdNumber(raw, now);
      expect(r.ok ? "" : r.reason).toBe("length");
    }
    const old = validateIdNumber("110105491231002", now);
    expect(old).toEqual({ ok: false, reason: "length", message: "15 位旧身份证号码已停止使用，请填写 18 位身份证号码" });
  });

  it("rejects other characters, and X anywhere but last", () => {
    for (const raw of ["1101051949123100-X", "11010519491231002Y", "1101051949123100X2", "X1010519491231002X"]) {
      const r = validateIdNumber(raw, now);
      expect(r.ok ? "" : r.reason).toBe("characters");
    }
  });

  it("rejects impossible, too old and future birth dates", () => {
    const withBirth = (yyyymmdd: string): string => {
      const first17 = `510107${yyyymmdd}123`;
      return first17 + idCheckDigit(first17);
    };
    for (const birth of ["19490230", "19491301", "20230229", "18991231", "20260302", "00000000"]) {
      const r = validateIdNumber(withBirth(birth), now);
      expect(r.ok ? "" : r.reason).toBe("birth_date");
    }
    expect(validateIdNumber(withBirth("20240229"), now).ok).toBe(true);
  });

  it("rejects a wrong check digit", () => {
    for (const raw of ["110105194912310021", "110105194912310020", "110105194912310030"]) {
      const r = validateIdNumber(raw, now);
      expect(r.ok ? "" : r.reason).toBe("checksum");
    }
  });

  it("never repeats the number in a message", () => {
    for (const raw of ["110105194912310021", "11010519491231002Y", "110105194913010021", "1101051949123100", "110105491231002"]) {
      const r = validateIdNumber(raw, now);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(/身份证/);
        expect(r.message).not.toMatch(/\d{6}/);
      }
    }
  });

  it("makeIdNumber refuses bad parts", () => {
    expect(() => makeIdNumber("51010", "1990-01-01", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("510107", "1990-02-30", 1)).toThrow(RangeError);
    expect(() => makeIdNumber("510107", "1990-01-01", 1000)).toThrow(RangeError);
    expect(() => makeIdNumber("510107", "1990-01-01", 1.5)).toThrow(RangeError);
  });
});

describe("validatePhone", () => {
  it("accepts mobiles in every written form", () => {
    for (const raw of [
      "13812345678",
      "138 1234 5678",
      "138-1234-5678",
      "+86 138 1234 5678",
      "+86-13812345678",
      "8613812345678",
      "86 138 1234 5678",
      "0086 138 1234 5678",
      "１３８１２３４５６７８",
      "＋８６ １３８１２３４５６７８",
    ]) {
      expect(validatePhone(raw)).toEqual({ ok: true, kind: "mobile", normalized: "13812345678" });
    }
    for (const prefix of ["13", "14", "15", "16", "17", "18", "19"]) {
      expect(validatePhone(`${prefix}012345678`).ok).toBe(true);
    }
  });

  it("accepts landlines with area code", () => {
    const cases = [
      ["028-85123456", "028-85123456"],
      ["02885123456", "028-85123456"],
      ["(028) 8512 3456", "028-85123456"],
      ["（028）85123456", "028-85123456"],
      ["+86 28 8512 3456", "028-85123456"],
      ["+86-028-85123456", "028-85123456"],
      ["010-62345678", "010-62345678"],
      ["0571-87654321", "0571-87654321"],
      ["0833-2123456", "0833-2123456"],
      ["0086 10 62345678", "010-62345678"],
    ] as const;
    for (const [raw, normalized] of cases) expect(validatePhone(raw)).toEqual({ ok: true, kind: "landline", normalized });
  });

  it("rejects the rest with a reason, without echoing the number", () => {
    const cases = [
      ["", "empty"],
      ["  ", "empty"],
      ["138abc45678", "characters"],
      ["138 1234 5678 转 801", "characters"],
      ["12812345678", "format"],
      ["1381234567", "format"],
      ["138123456789", "format"],
      ["85123456", "format"],
      ["028-05123456", "format"],
      ["028-851234567", "format"],
      ["+1 415 555 0100", "format"],
      ["400-123-4567", "format"],
      ["12345", "format"],
      ["95588", "format"],
    ] as const;
    for (const [raw, reason] of cases) {
      const r = validatePhone(raw);
      expect(r.ok ? "" : r.reason, raw).toBe(reason);
      const digits = raw.replace(/\D/g, "");
      if (!r.ok && digits.length >= 5) expect(r.message).not.toContain(digits);
      if (!r.ok) expect(r.message).not.toContain(raw.trim() || "\u0000");
    }
  });
});
