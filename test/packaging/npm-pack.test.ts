// `npm pack` gives a package with the built agent and dashboard and nothing of the development
// side: no sources, tests, benchmarks or screenshots.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('npm pack', () => {
  it('lists dist/, bin/ and the dashboard, and no tests, benches, sources or screenshots', () => {
    // --ignore-scripts: the list, without building (prepack builds when packing for real).
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const files = (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/billing-bridge.js']));
    // Built files are listed once built (npm ci builds them).
    // …and what the agent reads at run time.
    for (const built of ['dist/main/cli/index.js', 'dist/shared/settings.js', 'renderer/dist/index.html', 'docs/openapi.json']) {
      if (existsSync(path.join(ROOT, built))) expect(files).toContain(built);
    }
    const unwanted = files.filter((f) => /^(test|bench|tools|main|shared|scripts|renderer\/src|dist\/main\/shell|docs\/screenshots)\/|\.map$|\.ts$|\.png$/.test(f));
    expect(unwanted).toEqual([]);
  });

  it('builds in prepack, and prepare does not need the dev dependencies', () => {
    const pkg = JSON.parse(execFileSync('npm', ['pkg', 'get', 'scripts'], { cwd: ROOT, encoding: 'utf8' })) as Record<string, string>;
    expect(pkg.prepack).toBe('npm run build:all');
    // Without typescript and vite (npm ci --omit=dev) prepare says so and succeeds.
    const res = execFileSync(process.execPath, ['-e', `
      const Module = require('node:module');
      const resolve = Module._resolveFilename;
      Module._resolveFilename = function (request, ...rest) {
        if (/^(typescript|vite)\\//.test(request)) throw Object.assign(new Error('not installed'), { code: 'MODULE_NOT_FOUND' });
        return resolve.call(this, request, ...rest);
      };
      import(${JSON.stringify(path.join(ROOT, 'scripts/prepare.mjs'))});
    `], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, npm_command: 'ci' } });
    expect(res).toContain('not building');
  });
});
