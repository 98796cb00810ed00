import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testEngines } from "../../test-support/databases.js";
import { startTestApp, type Session, type TestApp } from "../../test-support/app.js";
import { buildTinyStreet, createTestUser, type TinyStreet } from "../../test-support/factories.js";
import { inspectImage } from "./photos.js";

function png(width: number, height: number): Buffer {
  const b = Buffer.alloc(33);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
  b.writeUInt32BE(13, 8);
  b.write("IHDR", 12, "latin1");
  b.writeUInt32BE(width, 16);
  b.writeUInt32BE(height, 20);
  return b;
}

/** SOI, an APP0 (JFIF) segment, then a baseline frame header (SOF0) with the size. */
function jpeg(width: number, height: number, opts: { sof?: boolean } = {}): Buffer {
  const app0 = Buffer.from([0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
  const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
  const sos = Buffer.from([0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00]);
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, ...(opts.sof === false ? [] : [sof]), sos, Buffer.from([0x00, 0xff, 0xd9])]);
}

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

describe.each(testEngines())("case photos on $name", (engine) => {
  let t: TestApp;
  let s: TinyStreet;
  let resident: Session;
  let other: Session;
  const photoCount = async () => Number((await t.database.query<{ n: string }>("select count(*)::text as n from case_photos"))[0]!.n);
  const upload = (session: Session | null, payload: Buffer | string, type: string | undefined) =>
    t.app.inject({
      method: "POST",
      url: "/api/case-photos",
      headers: { ...(session ? { cookie: session.cookie, "x-csrf-token": session.csrf } : {}), ...(type ? { "content-type": type } : {}) },
      payload,
    });

  beforeAll(async () => {
    t = await startTestApp(engine);
    s = await buildTinyStreet(t.database.db);
    resident = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridA1, personId: s.personA1 })).username);
    other = await t.login((await createTestUser(t.database.db, { role: "resident", areaId: s.gridB1 })).username);
  });
  afterAll(async () => t?.close());

  it("stores a JPEG, PNG or WebP with its hash, type and size; its uploader fetches it while unattached", async () => {
    for (const [bytes, type, w, h] of [
      [jpeg(1280, 960), "image/jpeg", 1280, 960],
      [png(64, 48), "image/png", 64, 48],
      [webp("VP8X", 300, 200), "image/webp", 300, 200],
    ] as const) {
      const res = await upload(resident, bytes, type);
      expect(res.statusCode).toBe(201);
      const p = res.json<{ id: string; mime: string; size: number; width: number; height: number; sha256: string }>();
      expect(p).toMatchObject({ mime: type, size: bytes.length, width: w, height: h, sha256: createHash("sha256").update(bytes).digest("hex") });
      const got = await t.as(resident, "GET", `/api/case-photos/${p.id}`);
      expect(got.statusCode).toBe(200);
      expect(got.headers["content-type"]).toBe(type);
      expect(got.headers["cache-control"]).toBe("private, max-age=86400");
      expect(got.rawPayload.equals(bytes)).toBe(true);
      // Not another person's to see, nor anyone's without logging in.
      expect((await t.as(other, "GET", `/api/case-photos/${p.id}`)).statusCode).toBe(404);
      expect((await t.as(null, "GET", `/api/case-photos/${p.id}`)).statusCode).toBe(401);
    }
    expect((await t.as(resident, "GET", "/api/case-photos/00000000-0000-4000-8000-000000000000")).statusCode).toBe(404);
  });

  it("refuses a file that is not an image (or not the type it claims) with 415, and nothing is stored", async () => {
    const before = await photoCount();
    const cases: [Buffer | string, string | undefined][] = [
      ["这不是图片", "image/png"],
      [png(10, 10), "image/jpeg"],
      [jpeg(10, 10), "image/webp"],
      [jpeg(10, 10, { sof: false }), "image/jpeg"],
      [Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00", "latin1"), "image/gif"],
      [Buffer.from("%PDF-1.7\n%…"), "application/pdf"],
      [png(10, 10), "application/octet-stream"],
      [JSON.stringify({ photo: "x" }), "application/json"],
    ];
    for (const [payload, type] of cases) {
      const res = await upload(resident, payload, type);
      expect(res.statusCode, `${type}`).toBe(415);
      expect(res.json()).toMatchObject({ code: "photo_not_image" });
    }
    const en = await t.app.inject({
      method: "POST",
      url: "/api/case-photos",
      headers: { cookie: resident.cookie, "x-csrf-token": resident.csrf, "content-type": "image/png", "accept-language": "en" },
      payload: "plain text",
    });
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
    expect((await upload(null, png(5, 5), "image/png")).statusCode).toBe(401);
    const noCsrf = await t.app.inject({ method: "POST", url: "/api/case-photos", headers: { cookie: resident.cookie, "content-type": "image/png" }, payload: png(5, 5) });
    expect(noCsrf.statusCode).toBe(403);
    expect(await photoCount()).toBe(before);
  });
});
