// The app's root (the folder, or app.asar, holding our package.json) in source and built layouts,
// and the version written there.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): { dir: string; version: string } | null {
  let dir = from;
  for (let i = 0; i < 6; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'billing-bridge') return { dir, version: pkg.version ?? 'unknown' };
    }
    dir = path.dirname(dir);
  }
  return null;
}

export function appRoot(from = path.dirname(fileURLToPath(import.meta.url))): string {
  const found = findRoot(from);
  if (!found) throw new Error(`the app's package.json was not found above ${from}`);
  return found.dir;
}

export const VERSION = findRoot(path.dirname(fileURLToPath(import.meta.url)))?.version ?? 'unknown';
