import { describe, expect, it } from "vitest";
import { createRevealGrant, grantCovers, isRevealActive, revealRemainingMs, revealWindowMs, validatePurpose } from "./reveal.js";

const now = new Date("2026-03-01T09:00:00+08:00");
const request = { userId: "u1", entityType: "person", entityId: "p1", field: "idNumber" };

describe("validatePurpose", () => {
  it("trims and accepts 4 to 200 characters", () => {
    expect(validatePurpose("  核实低保申请  ")).toEqual({ ok: true, purpose: "核实低保申请" });
    expect(validatePurpose("上门走访").ok).toBe(true);
    expect(validatePurpose("字".repeat(200)).ok).toBe(true);
    expect(validatePurpose("工单 20241015001 回访").ok).toBe(true);
  });

  it("names what is wrong in zh-CN", () => {
    expect(validatePurpose("")).toEqual({ ok: false, reason: "required", message: "请说明查看明文的用途" });
    expect(validatePurpose(undefined)).toMatchObject({ ok: false, reason: "required" });
    expect(validatePurpose(" \n ")).toMatchObject({ ok: false, reason: "required" });
    expect(validatePurpose("走访")).toEqual({ ok: false, reason: "too_short", message: "用途说明至少 4 个字" });
    expect(validatePurpose("字".repeat(201))).toEqual({ ok: false, reason: "too_long", message: "用途说明不能超过 200 个字" });
  });

  it("refuses purposes carrying a phone or ID number (they go to the audit log)", () => {
    for (const text of ["回电 13812345678", "回电 138-1234-5678", "核对 11010519491231002x 的户籍", "核对１３８１２３４５６７８"]) {
      const r = validatePurpose(text);
      expect(r).toMatchObject({ ok: false, reason: "personal_data" });
      if (!r.ok) expect(r.message).not.toMatch(/\d/);
    }
  });
});

describe("grants", () => {
  it("last five minutes by default", () => {
    const grant = createRevealGrant({ ...request, purpose: " 核实低保申请 ", now });
    expect(grant.purpose).toBe("核实低保申请");
    expect(grant.expiresAt.getTime() - grant.grantedAt.getTime()).toBe(revealWindowMs);
    expect(revealWindowMs).toBe(300_000);
    expect(isRevealActive(grant, now)).toBe(true);
    expect(isRevealActive(grant, new Date(now.getTime() + revealWindowMs - 1))).toBe(true);
    expect(isRevealActive(grant, new Date(now.getTime() + revealWindowMs))).toBe(false);
    expect(isRevealActive(grant, new Date(now.getTime() - 1))).toBe(false);
    expect(revealRemainingMs(grant, new Date(now.getTime() + 60_000))).toBe(240_000);
    expect(revealRemainingMs(grant, new Date(now.getTime() + 3_600_000))).toBe(0);
  });

  it("cover one user, record and field only", () => {
    const grant = createRevealGrant({ ...request, purpose: "核实低保申请", now, windowMs: 60_000 });
    expect(grantCovers(grant, request, now)).toBe(true);
    expect(grantCovers(grant, { ...request, userId: "u2" }, now)).toBe(false);
    expect(grantCovers(grant, { ...request, entityId: "p2" }, now)).toBe(false);
    expect(grantCovers(grant, { ...request, entityType: "household" }, now)).toBe(false);
    expect(grantCovers(grant, { ...request, field: "phone" }, now)).toBe(false);
    expect(grantCovers(grant, request, new Date(now.getTime() + 60_000))).toBe(false);
  });

  it("refuse bad windows and purposes", () => {
    expect(() => createRevealGrant({ ...request, purpose: "核实低保申请", now, windowMs: 0 })).toThrow(RangeError);
    expect(() => createRevealGrant({ ...request, purpose: "核实低保申请", now, windowMs: 2 * 3_600_000 })).toThrow(RangeError);
    expect(() => createRevealGrant({ ...request, purpose: "看看", now })).toThrow(/too_short/);
  });
});
