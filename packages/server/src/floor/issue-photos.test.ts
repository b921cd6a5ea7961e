import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { inspectPhoto } from './issue-photos.js';

const photo = (name: string) => readFileSync(new URL(`../../test-data/floor-photos/${name}`, import.meta.url));

describe('inspectPhoto (the bytes decide the type, not the claim)', () => {
  it.each([
    ['scratch.jpg', 'image/jpeg', 320, 240],
    ['scratch.png', 'image/png', 200, 150],
    ['scratch-vp8.webp', 'image/webp', 300, 200],
    ['scratch-vp8l.webp', 'image/webp', 64, 48],
    ['scratch-vp8x.webp', 'image/webp', 120, 90],
  ])('%s is %s, %ix%i (what Chromium decodes it to)', (name, contentType, width, height) => {
    expect(inspectPhoto(photo(name))).toEqual({ contentType, width, height });
  });

  it('refuses text, a PDF, and images cut before their dimensions', () => {
    expect(inspectPhoto(Buffer.from('not an image at all, just words'))).toBeUndefined();
    expect(inspectPhoto(Buffer.from('%PDF-1.4\n%âãÏÓ\n1 0 obj'))).toBeUndefined();
    const jpg = photo('scratch.jpg');
    // The frame header of this JPEG sits after its JFIF and ICC segments: cut before it.
    const sof = jpg.indexOf(Buffer.from([0xff, 0xc0]));
    expect(sof).toBeGreaterThan(20);
    expect(inspectPhoto(jpg.subarray(0, sof + 4))).toBeUndefined();
    expect(inspectPhoto(photo('scratch.png').subarray(0, 20))).toBeUndefined();
    expect(inspectPhoto(photo('scratch-vp8.webp').subarray(0, 24))).toBeUndefined();
  });

  it('a JPEG magic number in front of garbage is no JPEG', () => {
    expect(inspectPhoto(Buffer.from([0xff, 0xd8, 0xff, 0x00, 0x41, 0x42, 0x43, 0x44, 0x45]))).toBeUndefined();
  });
});
