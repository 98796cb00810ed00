/**
 * Small real images for tests, made here (no binary fixtures): a PNG of one colour, and the
 * pieces to put metadata into a PNG or a JPEG the way cameras and editors do.
 */
import zlib from "node:zlib";

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** One PNG chunk: length, type, data, CRC. */
export function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A real (decodable) RGB PNG of one colour; `extra` chunks go between IHDR and IDAT. */
export function solidPng(width: number, height: number, rgb: [number, number, number] = [200, 120, 40], extra: Buffer[] = []): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([pngSignature, pngChunk("IHDR", ihdr), ...extra, pngChunk("IDAT", zlib.deflateSync(raw)), pngChunk("IEND", Buffer.alloc(0))]);
}

/** The chunks of a PNG, by type, in order. */
export function pngChunkTypes(png: Buffer): string[] {
  const types: string[] = [];
  for (let i = 8; i + 8 <= png.length; ) {
    const len = png.readUInt32BE(i);
    types.push(png.toString("latin1", i + 4, i + 8));
    i += 12 + len;
  }
  return types;
}

/** The markers of a JPEG's segments before its first scan (APP1 = 0xe1 holds EXIF and XMP). */
export function jpegMarkers(jpeg: Buffer): number[] {
  const markers: number[] = [];
  for (let i = 2; i + 4 <= jpeg.length && jpeg[i] === 0xff; ) {
    const marker = jpeg[i + 1]!;
    markers.push(marker);
    if (marker === 0xda) break;
    i += 2 + jpeg.readUInt16BE(i + 2);
  }
  return markers;
}

/**
 * A TIFF-structured EXIF block (little-endian) as a phone writes it: orientation 6 (turn 90°
 * clockwise to show), a camera make, and a GPS IFD with latitude N 30° 39' 12.34".
 */
export function exifWithGps(): Buffer {
  const b = Buffer.alloc(8 + 42 + 30 + 24 + 8);
  b.write("II*\0", 0, "latin1");
  b.writeUInt32LE(8, 4);
  const entry = (at: number, tag: number, type: number, count: number, value: number) => {
    b.writeUInt16LE(tag, at);
    b.writeUInt16LE(type, at + 2);
    b.writeUInt32LE(count, at + 4);
    if (type === 3) b.writeUInt16LE(value, at + 8);
    else b.writeUInt32LE(value, at + 8);
  };
  // IFD0 at 8: Make, Orientation, GPSInfo pointer.
  const ifd0 = 8;
  const gps = ifd0 + 2 + 3 * 12 + 4; // 50
  const latitude = gps + 2 + 2 * 12 + 4; // 80
  const make = latitude + 24; // 104
  b.writeUInt16LE(3, ifd0);
  entry(ifd0 + 2, 0x010f, 2, 6, make); // Make "Phone\0"
  entry(ifd0 + 14, 0x0112, 3, 1, 6); // Orientation
  entry(ifd0 + 26, 0x8825, 4, 1, gps); // GPSInfo
  b.writeUInt16LE(2, gps);
  entry(gps + 2, 0x0001, 2, 2, 0); // GPSLatitudeRef
  b.write("N\0", gps + 2 + 8, "latin1");
  entry(gps + 14, 0x0002, 5, 3, latitude); // GPSLatitude
  [30, 1, 39, 1, 1234, 100].forEach((v, k) => b.writeUInt32LE(v, latitude + k * 4));
  b.write("Phone\0", make, "latin1");
  return b;
}

/** An XMP packet with a GPS position, as photo editors write it. */
export const xmpWithGps =
  '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">' +
  '<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="30,39.2057N" exif:GPSLongitude="104,3.9000E"/>' +
  "</rdf:RDF></x:xmpmeta>";

/** `jpeg` with an EXIF APP1 segment and an XMP APP1 segment put right after its SOI. */
export function withJpegMetadata(jpeg: Buffer, exif: Buffer, xmp: string): Buffer {
  const app1 = (payload: Buffer) => {
    const head = Buffer.from([0xff, 0xe1, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const exifSegment = app1(Buffer.concat([Buffer.from("Exif\0\0", "latin1"), exif]));
  const xmpSegment = app1(Buffer.concat([Buffer.from("http://ns.adobe.com/xap/1.0/\0", "latin1"), Buffer.from(xmp, "utf8")]));
  return Buffer.concat([jpeg.subarray(0, 2), exifSegment, xmpSegment, jpeg.subarray(2)]);
}

/** PNG chunks carrying metadata: eXIf, a tEXt comment and an iTXt XMP packet. */
export function pngMetadataChunks(exif: Buffer, xmp: string): Buffer[] {
  return [
    pngChunk("eXIf", exif),
    pngChunk("tEXt", Buffer.from("Comment\0GPS 30.6534N 104.0650E, 3rd floor", "latin1")),
    pngChunk("iTXt", Buffer.concat([Buffer.from("XML:com.adobe.xmp\0\0\0\0\0", "latin1"), Buffer.from(xmp, "utf8")])),
  ];
}
