/**
 * 照片: images of a report (or of a handler's result), checked on upload. Only JPEG, PNG and WebP
 * are taken, told by their magic bytes (not by the name or the declared type alone), and only when
 * their header gives a width and a height — a file that merely starts like an image is refused.
 * A photo is uploaded first (unattached, visible to its uploader) and attached to a case when the
 * report is submitted; from then on whoever may read the case may see it.
 */
import { createHash } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../platform/db/index.js";
import type { Actor } from "../../platform/auth/actor.js";
import { AppError } from "../../platform/errors.js";
import { authorize } from "../../platform/policy/index.js";
import { casePhotos, cases } from "./schema.js";
import { casePolicy, loadCaseRecord } from "./policy.js";

export const photoMimes = ["image/jpeg", "image/png", "image/webp"] as const;
export type PhotoMime = (typeof photoMimes)[number];

export interface ImageInfo {
  mime: PhotoMime;
  width: number;
  height: number;
}

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + ((b[i + 1]! << 16) | (b[i + 2]! << 8) | b[i + 3]!);
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const ascii = (b: Uint8Array, i: number, n: number) => Buffer.from(b.subarray(i, i + n)).toString("latin1");

function png(b: Uint8Array): ImageInfo | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (b.length < 24 || sig.some((v, i) => b[i] !== v)) return null;
  if (ascii(b, 12, 4) !== "IHDR") return null;
  return sized("image/png", u32be(b, 16), u32be(b, 20));
}

/** Start-of-frame markers carry the size: SOF0–3, 5–7, 9–11, 13–15 (not DHT C4, JPG C8, DAC CC). */
const sofMarkers = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function jpeg(b: Uint8Array): ImageInfo | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return null;
  let i = 2;
  while (i + 3 < b.length) {
    if (b[i] !== 0xff) return null;
    let marker = b[i + 1]!;
    // Fill bytes (0xFF 0xFF …) before a marker.
    while (marker === 0xff && i + 2 < b.length) {
      i++;
      marker = b[i + 1]!;
    }
    if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    // End of image or start of scan before any frame header: no size to read.
    if (marker === 0xd9 || marker === 0xda) return null;
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    if (sofMarkers.has(marker)) {
      if (i + 9 > b.length) return null;
      return sized("image/jpeg", u16be(b, i + 7), u16be(b, i + 5));
    }
    i += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): ImageInfo | null {
  if (b.length < 30 || ascii(b, 0, 4) !== "RIFF" || ascii(b, 8, 4) !== "WEBP") return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === "VP8 ") {
    // Key frame start code 9D 01 2A, then 14-bit width and height.
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return sized("image/webp", u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff);
  }
  if (chunk === "VP8L") {
    if (b[20] !== 0x2f) return null;
    const [b0, b1, b2, b3] = [b[21]!, b[22]!, b[23]!, b[24]!];
    return sized("image/webp", 1 + (b0 | ((b1 & 0x3f) << 8)), 1 + ((b1 >> 6) | (b2 << 2) | ((b3 & 0x0f) << 10)));
  }
  if (chunk === "VP8X") return sized("image/webp", 1 + u24le(b, 24), 1 + u24le(b, 27));
  return null;
}

function sized(mime: PhotoMime, width: number, height: number): ImageInfo | null {
  return width > 0 && height > 0 ? { mime, width, height } : null;
}

/** The type and size of an image from its header, or null when it is not a JPEG, PNG or WebP whose header can be read. */
export function inspectImage(bytes: Uint8Array): ImageInfo | null {
  return png(bytes) ?? jpeg(bytes) ?? webp(bytes);
}

export interface PhotoSummary {
  id: string;
  mime: string;
  size: number;
  width: number | null;
  height: number | null;
  sha256: string;
}

/**
 * Stores an uploaded photo for `actor`, unattached. `declaredType` is the request's Content-Type:
 * the bytes must be an image of that very type (a PNG sent as image/jpeg is refused).
 */
export async function storePhoto(db: Db, actor: Actor, bytes: Buffer, declaredType: string | undefined): Promise<PhotoSummary> {
  const info = inspectImage(bytes);
  const declared = (declaredType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!info || info.mime !== declared) throw new AppError("photo_not_image");
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  const [row] = await db
    .insert(casePhotos)
    .values({ uploadedBy: actor.userId, mime: info.mime, size: bytes.length, sha256, width: info.width, height: info.height, bytes })
    .returning({ id: casePhotos.id });
  return { id: row!.id, mime: info.mime, size: bytes.length, width: info.width, height: info.height, sha256 };
}

/**
 * Attaches photos to a case inside the caller's transaction: each must exist, have been uploaded
 * by `userId` and not be attached yet — else `case_photo_invalid` naming the first one that is not
 * (the caller's transaction then leaves everything as it was).
 */
export async function attachPhotos(tx: Db, userId: string, caseId: string, photoIds: readonly string[]): Promise<string[]> {
  const ids = [...new Set(photoIds)];
  if (ids.length === 0) return [];
  const usable = await tx
    .select({ id: casePhotos.id })
    .from(casePhotos)
    .where(and(inArray(casePhotos.id, ids), eq(casePhotos.uploadedBy, userId), isNull(casePhotos.caseId)))
    .for("update");
  const found = new Set(usable.map((p) => p.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing !== undefined) throw new AppError("case_photo_invalid", { id: missing }, "photoIds");
  await tx.update(casePhotos).set({ caseId }).where(inArray(casePhotos.id, ids));
  return ids;
}

/**
 * A photo's bytes for `actor`: its uploader while it is unattached; once attached, whoever may
 * read its case (the case policy). Anyone else: 404, whether or not it exists.
 */
export async function readPhoto(db: Db, actor: Actor, id: string): Promise<{ mime: string; bytes: Buffer; sha256: string }> {
  const [photo] = await db
    .select({ caseId: casePhotos.caseId, uploadedBy: casePhotos.uploadedBy, mime: casePhotos.mime, bytes: casePhotos.bytes, sha256: casePhotos.sha256 })
    .from(casePhotos)
    .where(eq(casePhotos.id, id));
  if (!photo) throw new AppError("not_found");
  if (photo.caseId === null) {
    if (photo.uploadedBy !== actor.userId) throw new AppError("not_found");
  } else {
    const [row] = await db.select().from(cases).where(eq(cases.id, photo.caseId));
    const record = row ? await loadCaseRecord(db, row) : undefined;
    authorize(actor, "read", record, casePolicy);
  }
  return { mime: photo.mime, bytes: photo.bytes, sha256: photo.sha256 };
}
