/**
 * A camera picture for Chromium's fake capture device (--use-file-for-fake-video-capture): a
 * Code 128 symbol drawn black on white into a Y4M file, the format Chromium reads frames from.
 */
import { writeFileSync } from 'node:fs';
import bwipjs from 'bwip-js/node';

/** Module widths of the symbol: bar, space, bar, ... (start, data, check and stop patterns). */
function code128Modules(text: string): number[] {
  const symbol = bwipjs.raw('code128', text, {})[0];
  if (!symbol || !('sbs' in symbol)) throw new Error(`bwip-js gave no bars for "${text}"`);
  return symbol.sbs;
}

export interface FakeCameraPicture {
  width: number;
  height: number;
  /** pixels per module */
  moduleWidth: number;
  /** modules across the symbol, quiet zones excluded */
  modules: number;
}

/**
 * Writes `frames` identical frames of `text` as Code 128, centred with a quiet zone of at least
 * `quietModules` on each side. The frame is as wide as the symbol needs (a tablet camera sees a
 * traveler's barcode at about this size) and never narrower than 640 px.
 */
export function writeCode128Y4m(
  file: string,
  text: string,
  { moduleWidth = 3, quietModules = 10, height = 480, frames = 2 } = {},
): FakeCameraPicture {
  const widths = code128Modules(text);
  const modules = widths.reduce((a, b) => a + b, 0);
  // 4:2:0 needs even sizes; a multiple of 16 suits the capture pipeline's buffers
  const width = Math.max(640, Math.ceil(((modules + 2 * quietModules) * moduleWidth) / 16) * 16);
  const luma = Buffer.alloc(width * height, 255);
  const left = Math.floor((width - modules * moduleWidth) / 2);
  const top = Math.floor(height * 0.25);
  const bottom = Math.ceil(height * 0.75);
  let x = left;
  widths.forEach((w, i) => {
    const px = w * moduleWidth;
    if (i % 2 === 0) {
      for (let y = top; y < bottom; y++) luma.fill(0, y * width + x, y * width + x + px);
    }
    x += px;
  });
  // grey has no colour: both chroma planes at their midpoint
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, ...Array.from({ length: frames }, () => frame)]));
  return { width, height, moduleWidth, modules };
}
