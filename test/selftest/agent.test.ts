// Through a running agent: the admin operations and the CLI commands `explain`, `selftest` and
// `report`, with the API on HTTPS (self-signed, pinned by the self-test) and core's bearer
// credential required; then the allowlist shutting loopback out.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selfTestTarget } from '../../main/admin/handlers-explain.js';
import { startAgent, type Agent } from '../../main/agent.js';
import { createLogger } from '../../main/logging/logger.js';
import { runSelfTest } from '../../main/selftest/run.js';
import { runCli } from '../../tools/cli-process/cli.js';

let agent: Agent;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bb-selftest-'));
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
    version: 1,
    server: { host: '127.0.0.1', inboundAuth: 'bearer', tls: { mode: 'self-signed' } },
    sync: { intervalSeconds: 3600 },
  }));
  const log = createLogger({ level: 'warn', pretty: false, destination: new Writable({ write: (_c, _e, done) => done() }) });
  agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: { BILLING_BRIDGE_API_TOKEN: 'inbound-token-1' }, log });
  for (let i = 0; i < 200 && (await agent.sync.status()).baselineAt === null; i++) await new Promise((r) => setTimeout(r, 50));
}, 60_000);

afterAll(async () => {
  await agent?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args, '--admin-port', new URL(agent.admin.url).port], { timeoutMs: 30_000 });

describe('through the running agent', () => {
  it('the self-test calls the HTTPS API from 127.0.0.1 with core\'s credential, pinned to the agent\'s certificate', async () => {
    expect(agent.api.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const r = await agent.handlers['selftest.run']({ sample: 20 });
    expect(r.checks.filter((c) => !c.ok)).toEqual([]);
    expect(r).toMatchObject({ ok: true, from: '127.0.0.1', apiUrl: agent.api.url });
    expect(r.sampled.sort()).toEqual(['58208891', '58208892', '58208893', '58208894', '58208895', '58208896', '58208897', '58208898', '58208899']);
  });

  it('refuses an API whose certificate is not the agent\'s own', async () => {
    const r = await runSelfTest({
      baseUrl: agent.api.url, localAddress: '127.0.0.1', authorization: 'Bearer inbound-token-1', userIds: ['58208891'],
      tlsFingerprint: 'AA:BB:CC',
    });
    expect(r.ok).toBe(false);
    expect(r.stoppedBecause).toMatch(/presented a certificate that is not the agent's own/);
  });

  // Four CLI processes at once: slow on a busy two-core machine.
  it('explain, selftest and report on the command line, with exit codes', { timeout: 60_000 }, async () => {
    const [found, missing, selftest, report] = await Promise.all([
      cli('explain', '+7 909 083 34 15'), cli('explain', 'no-such-login'), cli('selftest', '--sample', '5'), cli('report'),
    ]);
    expect(found.code).toBe(0);
    expect(found.stdout).toContain('Found by phone: user 58208893.');
    expect(found.stdout).toContain('Can open the door: NO — Balance −450.50 RUB is below zero');
    expect(found.stdout).toMatch(/✗ balance\s+Balance −450\.50 RUB is below zero/);
    expect(found.stdout).toContain('12331250  3112-И   2      −450.50 RUB');
    expect(found.stdout).not.toContain('Anna.3112');

    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain('No subscriber has this login, phone or contract number');

    expect(selftest.code).toBe(0);
    expect(selftest.stdout).toMatch(/^Self-test of https:\/\/127\.0\.0\.1:\d+ from 127\.0\.0\.1: 5 subscribers/);
    expect(selftest.stdout).toContain('✓ charges: newest first (5/5)');
    expect(selftest.stdout).toMatch(/PASSED: All \d+ checks passed/);

    expect(report.code).toBe(0);
    expect(report.stdout).toContain('subscribers 9, contracts 11, tariffs 6, services 5');
    expect(report.stdout).toMatch(/unparseable-phone — a phone field that is not a phone number: 1\n\s+58208899/);
    expect(report.stdout).toMatch(/no-phone — no phone number: 1\n\s+58208897/);
  });

  it('an allowlist without loopback: the self-test says so and exits 1', { timeout: 40_000 }, async () => {
    await agent.handlers['allowlist.set']({ entries: ['10.0.0.0/8'], allowAll: false, confirmLockout: true });
    try {
      const r = await cli('selftest');
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('the allowlist refuses 127.0.0.1 (HTTP 403)');
      expect(r.stdout).toContain('FAILED: The self-test could not run');
    } finally {
      await agent.handlers['allowlist.set']({ entries: ['127.0.0.1', '::1'], allowAll: false, confirmLockout: true });
    }
  });
});

describe('where the self-test calls', () => {
  it('loopback when the API listens on every interface, else the address it listens on', () => {
    expect(selfTestTarget('http://[::1]:8080', { address: '::', family: 'IPv6', port: 8080 })).toEqual({ baseUrl: 'http://127.0.0.1:8080', localAddress: '127.0.0.1' });
    expect(selfTestTarget('https://127.0.0.1:8443', { address: '0.0.0.0', family: 'IPv4', port: 8443 })).toEqual({ baseUrl: 'https://127.0.0.1:8443', localAddress: '127.0.0.1' });
    expect(selfTestTarget('http://[::1]:8080', { address: '::1', family: 'IPv6', port: 8080 })).toEqual({ baseUrl: 'http://[::1]:8080', localAddress: '::1' });
    expect(selfTestTarget('http://10.0.0.5:8080', { address: '10.0.0.5', family: 'IPv4', port: 8080 })).toEqual({ baseUrl: 'http://10.0.0.5:8080' });
  });
});
