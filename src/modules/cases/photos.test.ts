import { createHash } from "node:crypto";
import sharp, { type Sharp } from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { exifWithGps, jpegMarkers, pngChunkTypes, pngMetadataChunks, solidPng, withJpegMetadata, xmpWithGps } from "../../test-support/images.js";
import { inspectImage } from "./photos.js";

/** Only a PNG header (signature + IHDR): no pixels. */
function png(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

/** SOI, an APP0 (JFIF) segment, then a baseline frame header (SOF0) with the size, and an empty scan. */
function jpeg(width: number, height: number, opts: { sof?: boolean } = {}): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, ...(opts.sof === false ? [] : [sof]), sos, Buffer.from([0x00, 0xff, 0xd9])]);
}

/** Only a WebP header: no picture data. */
function webp(chunk: "VP8 " | "VP8L" | "VP8X", width: number, height: number): Buffer {
  const b = Buffer.alloc(40);
  b.write("RIFF", 0, "latin1");
  b.writeUInt32LE(32, 4);
  b.write("WEBP", 8, "latin1");
  b.write(chunk, 12, "latin1");
  b.writeUInt32LE(20, 16);
  if (chunk === "VP8 ") {
    b[23] = 0x9d;
    b[24] = 0x01;
    b[25] = 0x2a;
    b.writeUInt16LE(width, 26);
    b.writeUInt16LE(height, 28);
  } else if (chunk === "VP8L") {
    b[20] = 0x2f;
    const w = width - 1;
    const h = height - 1;
    b[21] = w & 0xff;
    b[22] = ((w >> 8) & 0x3f) | ((h & 0x03) << 6);
    b[23] = (h >> 2) & 0xff;
    b[24] = (h >> 10) & 0x0f;
  } else {
    b.writeUIntLE(width - 1, 24, 3);
    b.writeUIntLE(height - 1, 27, 3);
  }
  return b;
}

describe("inspectImage", () => {
  it("reads the type and size of PNG, JPEG and the three WebP forms from their headers", () => {
    expect(inspectImage(png(640, 480))).toEqual({ mime: "image/png", width: 640, height: 480 });
    expect(inspectImage(jpeg(4032, 3024))).toEqual({ mime: "image/jpeg", width: 4032, height: 3024 });
    expect(inspectImage(webp("VP8 ", 800, 600))).toEqual({ mime: "image/webp", width: 800, height: 600 });
    expect(inspectImage(webp("VP8L", 1000, 700))).toEqual({ mime: "image/webp", width: 1000, height: 700 });
    expect(inspectImage(webp("VP8X", 5000, 3000))).toEqual({ mime: "image/webp", width: 5000, height: 3000 });
  });

  it("refuses what only starts like an image, and other types", () => {
    // JPEG magic but no frame header before the scan.
    expect(inspectImage(jpeg(10, 10, { sof: false }))).toBeNull();
    expect(inspectImage(Buffer.from([0xff, 0xd8, 0xff]))).toBeNull();
    // PNG signature without IHDR, or with a zero size.
    expect(inspectImage(png(640, 480).subarray(0, 12))).toBeNull();
    expect(inspectImage(png(0, 480))).toBeNull();
    expect(inspectImage(Buffer.from("GIF89a\x01\x00\x01\x00", "latin1"))).toBeNull();
    expect(inspectImage(Buffer.from("RIFF\x20\x00\x00\x00WAVEfmt ", "latin1"))).toBeNull();
    expect(inspectImage(Buffer.from("%PDF-1.7\n"))).toBeNull();
    expect(inspectImage(Buffer.alloc(0))).toBeNull();
  });
});

/** A real picture (a colour gradient, so that it compresses like a photo rather than a flat colour). */
async function picture(width: number, height: number): Promise<Sharp> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set([(x * 255) / width, (y * 255) / height, 90], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } });
}
const realJpeg = async (w: number, h: number) => (await picture(w, h)).jpeg().toBuffer();
const realWebp = async (w: number, h: number) => (await picture(w, h)).webp().toBuffer();
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
/** Markers of location, device or editor data that must not be in a stored photo. */
const metadataMarkers = ["Exif", "GPS", "<x:xmpmeta", "Phone", "http://ns.adobe.com/xap/1.0/", "Photoshop 3.0"];
const markersIn = (b: Buffer) => metadataMarkers.filter((m) => b.includes(m, 0, "latin1"));

describe.each(testEngines())("case photos on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let resident: Session;
  let other: Session;
  const photoCount = async () => Number((await t.database.query<{ n: string }>("select count(*)::text as n from case_photos"))[0]!.n);
  const upload = (session: Session | null, payload: Buffer | string, type: string | undefined, lang?: string) =>
    t.app.inject({
      method: "POST",
      url: "/api/case-photos",
      headers: {
        ...(session ? { cookie: session.cookie, "x-csrf-token": session.csrf } : {}),
        ...(type ? { "content-type": type } : {}),
        ...(lang ? { "accept-language": lang } : {}),
      },
      payload,
    });
  type Stored = { id: string; mime: string; size: number; width: number; height: number; sha256: string };
  /** Uploads `bytes`, expects it stored, and returns the summary and the bytes served back. */
  const stored = async (bytes: Buffer, type: string): Promise<{ p: Stored; served: Buffer }> => {
    const res = await upload(resident, bytes, type);
    expect(res.statusCode, res.body).toBe(201);
    const p = res.json<Stored>();
    const got = await t.as(resident, "GET", `/api/case-photos/${p.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.headers["content-type"]).toBe(type);
    return { p, served: got.rawPayload };
  };

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    resident = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 })).username);
    other = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridB1 })).username);
  });
  afterAll(async () => t?.close());

  it("stores a real JPEG, PNG or WebP in its own format, with the stored bytes' hash, size and dimensions; its uploader fetches it while unattached", async () => {
    for (const [bytes, type, w, h] of [
      [await realJpeg(1280, 960), "image/jpeg", 1280, 960],
      [solidPng(64, 48), "image/png", 64, 48],
      [await realWebp(300, 200), "image/webp", 300, 200],
    ] as const) {
      const { p, served } = await stored(bytes, type);
      expect(p).toMatchObject({ mime: type, size: served.length, width: w, height: h, sha256: sha256(served) });
      const meta = await sharp(served).metadata();
      expect([meta.mediaType, meta.width, meta.height]).toEqual([type, w, h]);
      const got = await t.as(resident, "GET", `/api/case-photos/${p.id}`);
      expect(got.headers["cache-control"]).toBe("private, max-age=86400");
      expect(got.headers.etag).toBe(`"${p.sha256}"`);
      // Not another person's to see, nor anyone's without logging in.
      expect((await t.as(other, "GET", `/api/case-photos/${p.id}`)).statusCode).toBe(404);
      expect((await t.as(null, "GET", `/api/case-photos/${p.id}`)).statusCode).toBe(401);
    }
    expect((await t.as(resident, "GET", "/api/case-photos/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
  });

  it("refuses a header without pixels, or a truncated image, with 400 photo_unreadable, and nothing is stored", async () => {
    const before = await photoCount();
    const jpg = await realJpeg(320, 240);
    const full = solidPng(80, 60);
    const wp = await realWebp(320, 240);
    const cases: [string, Buffer, string][] = [
      ["a PNG header only", png(640, 480), "image/png"],
      ["a JPEG header with an empty scan", jpeg(1280, 960), "image/jpeg"],
      ["a WebP header only", webp("VP8X", 300, 200), "image/webp"],
      ["a JPEG cut in half", jpg.subarray(0, jpg.length >> 1), "image/jpeg"],
      ["a PNG without its end", full.subarray(0, full.length - 20), "image/png"],
      ["a WebP cut in half", wp.subarray(0, wp.length >> 1), "image/webp"],
    ];
    for (const [what, payload, type] of cases) {
      // Each is still an image by its header: the header check alone would take it.
      expect(inspectImage(payload), what).not.toBeNull();
      const res = await upload(resident, payload, type);
      expect(res.statusCode, what).toBe(400);
      expect(res.json(), what).toMatchObject({ code: "photo_unreadable", message: "照片无法读取：文件已损坏或不完整" });
    }
    const en = await upload(resident, png(640, 480), "image/png", "en");
    expect(en.json<{ message: string }>().message).toBe("The photo cannot be read: the file is damaged or incomplete");
    expect(await photoCount()).toBe(before);
  });

  it("refuses an image of more than 40 megapixels from its header, before decoding it", async () => {
    const before = await photoCount();
    // The 33-byte PNG of the report: 100000 × 100000 pixels claimed, none there.
    const bomb = png(100_000, 100_000);
    expect(bomb.length).toBe(33);
    const res = await upload(resident, bomb, "image/png");
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "photo_too_many_pixels", message: "照片尺寸过大（100000×100000），像素总数不能超过 4000 万" });
    const en = await upload(resident, jpeg(8000, 5001), "image/jpeg", "en");
    expect(en.json()).toMatchObject({ code: "photo_too_many_pixels", message: "The photo is too large (8000×5001); it may have at most 40 million pixels" });
    expect((await upload(resident, webp("VP8X", 10_000, 4_001), "image/webp")).json()).toMatchObject({ code: "photo_too_many_pixels" });
    // Exactly 40 megapixels passes the size check and goes on to be decoded (here: no pixels).
    expect((await upload(resident, png(8000, 5000), "image/png")).json()).toMatchObject({ code: "photo_unreadable" });
    expect(await photoCount()).toBe(before);
  });

  it("stores a JPEG without its EXIF (GPS, camera) and XMP, turned upright by its orientation first", async () => {
    const input = withJpegMetadata(await realJpeg(64, 48), exifWithGps(), xmpWithGps);
    // The fixture carries what a phone writes.
    const inMeta = await sharp(input).metadata();
    expect([inMeta.orientation, inMeta.exif !== undefined, inMeta.xmp !== undefined]).toEqual([6, true, true]);
    expect(markersIn(input)).toEqual(["Exif", "GPS", "<x:xmpmeta", "Phone", "http://ns.adobe.com/xap/1.0/"]);

    const { p, served } = await stored(input, "image/jpeg");
    expect(markersIn(served)).toEqual([]);
    expect(jpegMarkers(served).filter((m) => m >= 0xe1 && m <= 0xef)).toEqual([]); // no APP1–APP15 (EXIF, XMP, ICC, IPTC)
    const meta = await sharp(served).metadata();
    expect({ format: meta.format, width: meta.width, height: meta.height, exif: meta.exif, xmp: meta.xmp, orientation: meta.orientation }).toEqual({
      format: "jpeg",
      width: 48,
      height: 64,
      exif: undefined,
      xmp: undefined,
      orientation: undefined,
    });
    expect(p).toMatchObject({ width: 48, height: 64, size: served.length, sha256: sha256(served) });
    expect(served.equals(input)).toBe(false);
  });

  it("stores a PNG without its eXIf, tEXt and iTXt (XMP) chunks, turned upright", async () => {
    const input = solidPng(40, 30, [10, 160, 80], pngMetadataChunks(exifWithGps(), xmpWithGps));
    expect(pngChunkTypes(input)).toEqual(["IHDR", "eXIf", "tEXt", "iTXt", "IDAT", "IEND"]);
    expect(markersIn(input)).toEqual(["GPS", "<x:xmpmeta", "Phone"]);

    const { p, served } = await stored(input, "image/png");
    expect(markersIn(served)).toEqual([]);
    // Only the picture and its pixel density (pHYs) are left.
    expect(pngChunkTypes(served).filter((c) => !["IHDR", "pHYs", "IDAT", "IEND"].includes(c))).toEqual([]);
    const meta = await sharp(served).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.xmp]).toEqual(["png", 30, 40, undefined, undefined]);
    expect(p).toMatchObject({ width: 30, height: 40, size: served.length, sha256: sha256(served) });
  });

  it("stores a WebP without its EXIF and XMP chunks", async () => {
    const input = await (await picture(60, 40))
      .webp()
      .withExif({ IFD0: { Make: "Phone", Software: "GPS Camera" } })
      .withXmp(xmpWithGps)
      .toBuffer();
    expect(markersIn(input)).toEqual(["Exif", "GPS", "<x:xmpmeta", "Phone"]);
    const { p, served } = await stored(input, "image/webp");
    expect(markersIn(served)).toEqual([]);
    expect(["EXIF", "XMP "].filter((c) => served.includes(c, 0, "latin1"))).toEqual([]);
    const meta = await sharp(served).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif, meta.xmp]).toEqual(["webp", 60, 40, undefined, undefined]);
    expect(p).toMatchObject({ width: 60, height: 40, sha256: sha256(served) });
  });

  it("refuses a file that is not an image (or not the type it claims) with 415, and nothing is stored", async () => {
    const before = await photoCount();
    const cases: [Buffer | string, string | undefined][] = [
      ["这不是图片", "image/png"],
      [solidPng(10, 10), "image/jpeg"],
      [await realJpeg(10, 10), "image/webp"],
      [jpeg(10, 10, { sof: false }), "image/jpeg"],
      [Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00", "latin1"), "image/gif"],
      [Buffer.from("%PDF-1.7\n%…"), "application/pdf"],
      [solidPng(10, 10), "application/octet-stream"],
      [JSON.stringify({ photo: "x" }), "application/json"],
    ];
    for (const [payload, type] of cases) {
      const res = await upload(resident, payload, type);
      expect(res.statusCode, `${type}`).toBe(415);
      expect(res.json()).toMatchObject({ code: "photo_not_image" });
    }
    const en = await upload(resident, "plain text", "image/png", "en");
    expect(en.json<{ message: string }>().message).toBe("Only JPEG, PNG or WebP photos can be uploaded");
    expect(await photoCount()).toBe(before);
  });

  it("refuses a photo above the size limit with 413, in Chinese by default", async () => {
    const before = await photoCount();
    const big = Buffer.concat([jpeg(4000, 3000), Buffer.alloc(8 * 1024 * 1024)]);
    const res = await upload(resident, big, "image/jpeg");
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: "photo_too_large", message: "照片不能超过 8 MB" });
    // Exactly at the limit the body is read (and then judged by its content, here not an image).
    const atLimit = await upload(resident, Buffer.alloc(8 * 1024 * 1024), "image/jpeg");
    expect(atLimit.json()).toMatchObject({ code: "photo_not_image" });
    expect(await photoCount()).toBe(before);
  });

  it("needs a login (and the CSRF token) to upload", async () => {
    const before = await photoCount();
    expect((await upload(null, solidPng(5, 5), "image/png")).statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: "POST", url: "/api/case-photos", headers: { cookie: resident.cookie, "content-type": "image/png" }, payload: solidPng(5, 5) });
    expect(noCsrf.statusCode).toBe(403);
    expect(await photoCount()).toBe(before);
  });
});
