/** What the bytes of an uploaded photo are, read from their header; the claimed type is not trusted. */
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;
export type PhotoType = (typeof PHOTO_TYPES)[number];

/** One photo at most 2 MB; the floor app scales to 1600 px on the longest side, which lands well under. */
export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const MAX_PHOTOS = 4;
/** The base64 text of a photo at the byte limit (padded). */
export const MAX_PHOTO_BASE64 = Math.ceil(MAX_PHOTO_BYTES / 3) * 4;

export interface PhotoFacts {
  contentType: PhotoType;
  width: number;
  height: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * The image type and size in pixels, or undefined when the bytes are none of JPEG, PNG or WebP.
 * A header that starts right but holds no readable dimensions counts as no image: a file cut
 * short or a text file with a lucky first byte is refused, not stored.
 */
export function inspectPhoto(b: Buffer): PhotoFacts | undefined {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return jpeg(b);
  if (b.length >= 24 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return png(b);
  if (b.length >= 30 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return webp(b);
  return undefined;
}

const sized = (contentType: PhotoType, width: number, height: number): PhotoFacts | undefined =>
  width > 0 && height > 0 ? { contentType, width, height } : undefined;

/** The first SOF segment's dimensions, walking the segments before the image data. */
function jpeg(b: Buffer): PhotoFacts | undefined {
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // Markers without a length: TEM, RSTn; SOS or EOI before a frame header means no frame.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    if (marker === 0xda || marker === 0xd9) return undefined;
    const length = b.readUInt16BE(i + 2);
    // SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC), which share the range.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      if (i + 9 > b.length) return undefined;
      return sized('image/jpeg', b.readUInt16BE(i + 7), b.readUInt16BE(i + 5));
    }
    if (length < 2) return undefined;
    i += 2 + length;
  }
  return undefined;
}

/** IHDR is the first chunk: its length, its name, then width and height. */
function png(b: Buffer): PhotoFacts | undefined {
  if (b.toString('latin1', 12, 16) !== 'IHDR') return undefined;
  return sized('image/png', b.readUInt32BE(16), b.readUInt32BE(20));
}

/** The first chunk after the RIFF header: extended (VP8X), lossless (VP8L) or lossy (VP8). */
function webp(b: Buffer): PhotoFacts | undefined {
  const chunk = b.toString('latin1', 12, 16);
  if (chunk === 'VP8X') return sized('image/webp', b.readUIntLE(24, 3) + 1, b.readUIntLE(27, 3) + 1);
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return undefined;
    const bits = b.readUInt32LE(21);
    return sized('image/webp', (bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1);
  }
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
    return sized('image/webp', b.readUInt16LE(26) & 0x3fff, b.readUInt16LE(28) & 0x3fff);
  }
  return undefined;
}
