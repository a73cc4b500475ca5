import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { batchedDestination } from '../../main/logging/logger.js';
import { ROOT } from '../../tools/cli-process/cli.js';
import { until } from '../helpers/wait.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('log lines written in batches', () => {
  it('reach the file within a moment even when far fewer than a batch are written', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bb-log-'));
    dirs.push(dir);
    const file = path.join(dir, 'agent.log');
    const out = batchedDestination(file);
    out.write('{"msg":"one"}\n');
    out.write('{"msg":"two"}\n');
    const text = await until(() => {
      const written = readFileSync(file, 'utf8');
      return written.includes('two') ? written : null;
    }, 2_000, 'both lines in the file');
    expect(text).toBe('{"msg":"one"}\n{"msg":"two"}\n');
  });

  it('are not lost when the process exits straight after logging (as a crash does)', () => {
    // The agent's stdout logger in a child whose stdout is a pipe, exiting at once.
    const script = `
      import { createLogger } from './main/logging/logger.ts';
      const log = createLogger({ pretty: false });
      for (let i = 0; i < 3; i++) log.info({ i }, 'line');
      log.fatal('crashed; stopping');
      process.exit(1);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: number });
    expect(lines.map((l) => l.msg)).toEqual(['line', 'line', 'line', 'crashed; stopping']);
    expect(lines.at(-1)!.level).toBe(60);
  });
});
