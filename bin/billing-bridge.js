#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the `prepare` script, or `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/main/cli/index.js', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  console.error('billing-bridge is not built yet: run `npm run build` in ' + fileURLToPath(new URL('..', import.meta.url)));
  process.exit(1);
}
await import(cli.href);
