// One agent per data directory: a second `serve` on a directory in use exits with the
// configuration code and names the running one; the lock dies with its process (kill -9
// included); commands that only talk to the agent never take it.
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeCore, type FakeCore } from '../../main/fake-core/index.js';
import { DataDirLockedError, EXIT_CONFIG, lockDataDir, lockFiles } from '../../main/state/lock.js';
import { runCli, startServe, type ServeProcess } from '../../tools/cli-process/cli.js';
import { sleep, until } from '../helpers/wait.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bb-lock-'));

describe('the data directory lock', () => {
  it('is held until released, by one holder at a time, with the holder\'s PID beside it', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    expect(readFileSync(lockFiles(dir).pid, 'utf8').trim()).toBe(String(process.pid));
    expect(statSync(lockFiles(dir).lock).mode & 0o777).toBe(0o600);
    let refused: unknown;
    try {
      lockDataDir(dir);
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as DataDirLockedError).exitCode).toBe(EXIT_CONFIG);
    expect((refused as Error).message).toContain(`(PID ${process.pid})`);
    lock.release();
    lock.release();
    expect(existsSync(lockFiles(dir).pid)).toBe(false);
    lockDataDir(dir).release();
  });
});

describe('two agents on one data directory', () => {
  let core: FakeCore;
  let dir: string;
  let first: ServeProcess | null = null;

  beforeAll(async () => {
    core = await startFakeCore();
    dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, server: { host: '127.0.0.1' }, core: { baseUrl: core.url } }));
  });
  afterAll(async () => {
    await first?.stop('SIGKILL');
    await core.close();
  });

  const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args, '--admin-port', new URL(first!.adminUrl).port]);

  it('the second exits 78 naming the first one\'s PID, and core gets each callback once', async () => {
    first = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    await until(async () => JSON.parse((await cli('status', '--json')).stdout).baselineAt, 15_000, 'the baseline scan');

    const second = await runCli(['serve', '--data-dir', dir, '--port', '0', '--admin-port', '0']);
    expect(second.code).toBe(78);
    expect(second.stderr).toContain(`another Billing Bridge agent (PID ${first.child.pid}) is already running with the data directory ${dir}`);
    expect(second.stderr).not.toMatch(/\n\s+at /);

    // Commands that talk to the running agent, and check, do not need the lock.
    expect((await cli('demo', 'pay', '12331250', '500')).code).toBe(0);
    expect((await cli('sync', 'now')).code).toBe(0);
    expect((await runCli(['check', '--data-dir', dir])).code).toBe(0);
    await core.waitFor((r) => r.some((c) => c.body.ext_id === '12331250'), 10_000);
    await sleep(1_500);
    expect(core.received.filter((c) => c.body.ext_id === '12331250')).toHaveLength(1);
  }, 60_000);

  it('after kill -9 of the holder a new agent starts, and the next refusal names the new one', async () => {
    expect(await first!.stop('SIGKILL')).toBeNull();
    first = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    const third = await runCli(['serve', '--data-dir', dir, '--port', '0', '--admin-port', '0']);
    expect(third.code).toBe(78);
    expect(third.stderr).toContain(`(PID ${first.child.pid})`);
    // A clean stop lets the next one in at once.
    expect(await first.stop()).toBe(0);
    first = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
  }, 60_000);
});
