// Tray and app icons drawn in code: a coloured disc with a white glyph, so the state reads by
// shape as well as colour (pause bars, an exclamation mark). PNG bytes, no image files to ship.
import { crc32, deflateSync } from 'node:zlib';

export type IconState = 'ok' | 'paused' | 'error' | 'unknown';

const COLOURS: Record<IconState, [number, number, number]> = {
  ok: [0x2e, 0x9d, 0x4a],
  paused: [0xd9, 0xa4, 0x00],
  error: [0xd9, 0x30, 0x25],
  unknown: [0x8a, 0x8f, 0x98],
};

type Shape = (x: number, y: number) => boolean;

const rect = (x0: number, y0: number, x1: number, y1: number): Shape => (x, y) => x >= x0 && x <= x1 && y >= y0 && y <= y1;
const disc = (cx: number, cy: number, r: number): Shape => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const any = (...shapes: Shape[]): Shape => (x, y) => shapes.some((s) => s(x, y));

// Glyphs in a unit square centred on 0.5, 0.5.
const GLYPHS: Record<IconState | 'app', Shape | null> = {
  ok: null,
  unknown: null,
  paused: any(rect(0.33, 0.28, 0.44, 0.72), rect(0.56, 0.28, 0.67, 0.72)),
  error: any(rect(0.44, 0.2, 0.56, 0.6), disc(0.5, 0.74, 0.07)),
  // A bridge: a deck on two piers.
  app: any(rect(0.22, 0.4, 0.78, 0.5), rect(0.3, 0.5, 0.38, 0.72), rect(0.62, 0.5, 0.7, 0.72)),
};

/** RGBA pixels of the icon, 4×4 supersampled so small sizes keep smooth edges. */
function draw(size: number, colour: [number, number, number], glyph: Shape | null): Buffer {
  const pixels = Buffer.alloc(size * size * 4);
  const samples = 4;
  const inDisc = disc(0.5, 0.5, 0.47);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let cover = 0;
      let white = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = (px + (sx + 0.5) / samples) / size;
          const y = (py + (sy + 0.5) / samples) / size;
          if (!inDisc(x, y)) continue;
          cover++;
          if (glyph?.(x, y)) white++;
        }
      }
      const i = (py * size + px) * 4;
      if (cover === 0) continue;
      const w = white / cover;
      pixels[i] = Math.round(colour[0] * (1 - w) + 255 * w);
      pixels[i + 1] = Math.round(colour[1] * (1 - w) + 255 * w);
      pixels[i + 2] = Math.round(colour[2] * (1 - w) + 255 * w);
      pixels[i + 3] = Math.round((255 * cover) / (samples * samples));
    }
  }
  return pixels;
}

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/** An 8-bit RGBA PNG of `size`×`size` pixels. */
export function encodePng(size: number, rgba: Buffer): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    rows[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export function trayIconPng(state: IconState, size: number): Buffer {
  return encodePng(size, draw(size, COLOURS[state], GLYPHS[state]));
}

export function appIconPng(size: number): Buffer {
  return encodePng(size, draw(size, COLOURS.ok, GLYPHS.app));
}
