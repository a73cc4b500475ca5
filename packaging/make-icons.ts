// Writes the app icons electron-builder packs (Linux icon set, Windows icon) from the same drawing
// code as the tray icons: `node --import tsx packaging/make-icons.ts`. The PNGs are committed.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { appIconPng } from '../main/shell/icons.js';

const dir = path.join(import.meta.dirname, 'icons');
mkdirSync(dir, { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  writeFileSync(path.join(dir, `${size}x${size}.png`), appIconPng(size));
}
// Windows: electron-builder turns a 256×256 (or larger) PNG into the .ico.
writeFileSync(path.join(dir, 'icon.png'), appIconPng(512));
console.log(`icons written to ${dir}`);
