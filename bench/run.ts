// npm run bench [-- section ...]: runs the benchmark sections, prints figures and writes
// bench/results/latest.json. Ratios against a baseline from the same run matter more than
// absolute numbers on a noisy machine.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchApi } from './api.js';
import { benchCarbon } from './carbon.js';
import { benchCrash } from './crash.js';
import { benchSync } from './sync.js';
import { ROOT } from './lib.js';

const SECTIONS: Record<string, () => Promise<unknown>> = {
  api: () => benchApi(),
  carbon: () => benchCarbon(),
  sync: () => benchSync(),
  crash: () => benchCrash(),
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(SECTIONS);
const report: Record<string, unknown> = {
  at: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
};
for (const name of names) {
  const run = SECTIONS[name];
  if (!run) {
    console.error(`unknown section ${name}; known: ${Object.keys(SECTIONS).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n== ${name}`);
  const started = Date.now();
  const result = await run();
  report[name] = result;
  console.log(JSON.stringify(result, null, 2));
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}
const dir = path.join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(path.join(dir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nreport: ${path.relative(ROOT, path.join(dir, 'latest.json'))}`);
