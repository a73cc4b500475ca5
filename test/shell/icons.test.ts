// The drawn icons are real PNGs: right size, transparent corners, the state's colour inside.
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { appIconPng, trayIconPng } from '../../main/shell/icons.js';

function decode(png: Buffer) {
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
  expect([png[24], png[25]]).toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('ascii') === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const rows = inflateSync(Buffer.concat(idat));
  const pixel = (x: number, y: number) => [...rows.subarray(y * (width * 4 + 1) + 1 + x * 4, y * (width * 4 + 1) + 5 + x * 4)];
  return { width, height, pixel };
}

describe('icons', () => {
  it.each([
    ['ok', [0x2e, 0x9d, 0x4a]],
    ['paused', [0xd9, 0xa4, 0x00]],
    ['error', [0xd9, 0x30, 0x25]],
    ['unknown', [0x8a, 0x8f, 0x98]],
  ] as const)('%s is a disc of its colour', (state, rgb) => {
    for (const size of [16, 32]) {
      const { width, height, pixel } = decode(trayIconPng(state, size));
      expect([width, height]).toEqual([size, size]);
      expect(pixel(0, 0)[3]).toBe(0);
      expect(pixel(size - 1, size - 1)[3]).toBe(0);
      // Left of centre: the disc, clear of the glyph.
      expect(pixel(Math.round(size * 0.15), Math.round(size / 2))).toEqual([...rgb, 255]);
    }
  });

  it('marks paused and error with a white glyph, so colour is not the only sign', () => {
    expect(decode(trayIconPng('paused', 32)).pixel(12, 16)).toEqual([255, 255, 255, 255]);
    expect(decode(trayIconPng('error', 32)).pixel(16, 12)).toEqual([255, 255, 255, 255]);
    expect(decode(trayIconPng('ok', 32)).pixel(16, 12)).toEqual([0x2e, 0x9d, 0x4a, 255]);
  });

  it('draws the app icon at installer sizes', () => {
    expect(decode(appIconPng(256)).width).toBe(256);
  });
});
