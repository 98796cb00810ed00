/**
 * Photo uploads checked and cleaned per second: `cleanPhoto` (header check, full decode, turned
 * upright, re-encoded without metadata) against a bare full decode of the same bytes to raw pixels
 * with the same decoder (the least any check that the image decodes must do), one photo at a time.
 *   npm run bench -- photos [photos=12]
 *
 * The photo is what a phone sends: 4032 × 3024 (12 MP) JPEG at quality 90 with EXIF (GPS,
 * orientation 6) and an XMP packet; a 1600 × 1200 PNG and WebP are timed too, for information.
 * Rates are per second of wall time (libvips decodes on several threads); the machine is shared,
 * so the ratio, measured in the same run, is the figure to compare.
 */
import sharp, { type Sharp } from "sharp";
import { cleanPhoto } from "../src/modules/cases/photos.js";
import { exifWithGps, withJpegMetadata, xmpWithGps } from "../src/test-support/images.js";

const photos = Number(process.argv[2] ?? 12);

/** A smooth picture with some texture, so it compresses like a photo rather than a flat colour. */
function picture(width: number, height: number): Sharp {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      raw[i] = (x * 255) / width;
      raw[i + 1] = (y * 255) / height;
      raw[i + 2] = 128 + 100 * Math.sin(x / 7) * Math.cos(y / 11);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } });
}

async function rate(label: string, n: number, work: () => Promise<unknown>): Promise<number> {
  await work(); // warm-up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await work();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const perSecond = n / seconds;
  console.log(`${label}: ${perSecond.toFixed(2)} photos/s (${((seconds / n) * 1000).toFixed(0)} ms each)`);
  return perSecond;
}

const jpeg = withJpegMetadata(await picture(4032, 3024).jpeg({ quality: 90 }).toBuffer(), exifWithGps(), xmpWithGps);
console.log(`12 MP JPEG with EXIF and XMP: ${(jpeg.length / 1024 / 1024).toFixed(2)} MB`);
const cleaned = await cleanPhoto(jpeg, "image/jpeg");
console.log(`cleaned: ${cleaned.width} × ${cleaned.height}, ${(cleaned.bytes.length / 1024 / 1024).toFixed(2)} MB, no EXIF: ${!cleaned.bytes.includes("Exif")}`);

const reference = await rate("bare decode (reference)", photos, () => sharp(jpeg, { failOn: "warning" }).raw().toBuffer());
const ours = await rate("cleanPhoto", photos, () => cleanPhoto(jpeg, "image/jpeg"));

const png = await picture(1600, 1200).png().toBuffer();
const webp = await picture(1600, 1200).webp({ quality: 90 }).toBuffer();
await rate("cleanPhoto, 2 MP PNG", photos, () => cleanPhoto(png, "image/png"));
await rate("cleanPhoto, 2 MP WebP", photos, () => cleanPhoto(webp, "image/webp"));

console.log(`photos: ${ours.toFixed(2)} photos/s; reference ${reference.toFixed(2)} photos/s; ratio ${(ours / reference).toFixed(2)}`);
