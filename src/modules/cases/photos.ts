/**
 * 照片: images of a report (or of a handler's result), checked on upload. Only JPEG, PNG and WebP
 * are taken, told by their magic bytes (not by the name or the declared type alone), and only when
 * their header gives a width and a height of at most 40 megapixels — read before any decoding, so a
 * small file claiming a huge picture costs nothing. Then the whole image must decode (a header
 * without pixels, or a truncated file, is refused), and what is stored is the picture re-encoded in
 * its own format, turned upright by its EXIF orientation and without any metadata: EXIF (GPS,
 * camera), XMP, IPTC, text chunks and the ICC profile (colours converted to sRGB), since a
 * resident's photo may tell where they live.
 * A photo is uploaded first (unattached, visible to its uploader) and attached to a case when the
 * report is submitted; from then on whoever may read the case may see it.
 */
import { createHash } from "node:crypto";
import { and, eq, inArray, isNull } from "drizzle-orm";
import sharp, { type Metadata } from "sharp";
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

/** The most pixels (width × height, as stored) a photo may have: 40 megapixels. */
export const maxPhotoPixels = 40_000_000;

/** Photos decoded at once; more wait their turn (a 40-megapixel decode holds a few hundred MB). */
const decodeSlots = 2;

// libvips' operation cache would keep recent uploads' pixels in memory for nothing: each photo is
// decoded once.
sharp.cache(false);

export interface CleanPhoto {
  mime: PhotoMime;
  bytes: Buffer;
  width: number;
  height: number;
}

/**
 * The photo to store for uploaded `bytes` declared as `declaredType`: of that very type by its
 * magic bytes (a PNG sent as image/jpeg is refused) → `photo_not_image`; at most
 * `maxPhotoPixels` by its header, before decoding → `photo_too_many_pixels`; decoded in full (a
 * header-only or truncated file, or any decoder warning) → `photo_unreadable`; then turned upright
 * and re-encoded in the same format without metadata.
 */
export async function cleanPhoto(bytes: Buffer, declaredType: string | undefined): Promise<CleanPhoto> {
  const info = inspectImage(bytes);
  const declared = (declaredType ?? "").split(";")[0]!.trim().toLowerCase();
  if (!info || info.mime !== declared) throw new AppError("photo_not_image");
  assertPixels(info.width, info.height);
  return inDecodeSlot(() => reencode(bytes, info.mime));
}

function assertPixels(width: number, height: number): void {
  if (width * height <= maxPhotoPixels) return;
  const wan = maxPhotoPixels / 10_000;
  const million = maxPhotoPixels / 1_000_000;
  throw new AppError("photo_too_many_pixels", { width, height, limit: { code: "pixels", zh: `${wan} 万`, en: `${million} million` } });
}

async function reencode(bytes: Buffer, mime: PhotoMime): Promise<CleanPhoto> {
  // failOn "warning": a truncated scan or a bad checksum is an error, not a grey half-picture.
  const image = sharp(bytes, { failOn: "warning", limitInputPixels: maxPhotoPixels, pages: 1 });
  let meta: Metadata;
  try {
    meta = await image.metadata();
  } catch {
    throw new AppError("photo_unreadable");
  }
  // The decoder's own reading of the header must agree with ours (type and size).
  if (meta.mediaType !== mime) throw new AppError("photo_not_image");
  assertPixels(meta.width, meta.height);
  const upright = image.autoOrient();
  const encoded =
    mime === "image/jpeg"
      ? upright.jpeg({ quality: 90 })
      : mime === "image/png"
        ? upright.png()
        : upright.webp(isLosslessWebp(bytes) ? { lossless: true } : { quality: 90 });
  try {
    // No withMetadata/keepExif/keepIccProfile: sharp writes none of the input's metadata.
    const { data, info } = await encoded.toBuffer({ resolveWithObject: true });
    return { mime, bytes: data, width: info.width, height: info.height };
  } catch {
    throw new AppError("photo_unreadable");
  }
}

/** A simple-format lossless WebP (VP8L) stays lossless; a lossy one is re-encoded at quality 90. */
function isLosslessWebp(b: Uint8Array): boolean {
  return ascii(b, 12, 4) === "VP8L";
}

let decoding = 0;
const waiting: (() => void)[] = [];

/** Runs `work` when fewer than `decodeSlots` decodes are running; a finishing one hands its slot on. */
async function inDecodeSlot<T>(work: () => Promise<T>): Promise<T> {
  if (decoding < decodeSlots) decoding++;
  else await new Promise<void>((resolve) => waiting.push(resolve));
  try {
    return await work();
  } finally {
    const next = waiting.shift();
    if (next) next();
    else decoding--;
  }
}

/**
 * Stores an uploaded photo for `actor`, unattached: the cleaned picture of `cleanPhoto`, with the
 * size, hash and dimensions of the bytes stored (not of the upload).
 */
export async function storePhoto(db: Db, actor: Actor, bytes: Buffer, declaredType: string | undefined): Promise<PhotoSummary> {
  const photo = await cleanPhoto(bytes, declaredType);
  const sha256 = createHash("sha256").update(photo.bytes).digest("hex");
  const summary = { mime: photo.mime, size: photo.bytes.length, sha256, width: photo.width, height: photo.height };
  const [row] = await db
    .insert(casePhotos)
    .values({ uploadedBy: actor.userId, ...summary, bytes: photo.bytes })
    .returning({ id: casePhotos.id });
  return { id: row!.id, ...summary };
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
