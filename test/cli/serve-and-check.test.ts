import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsersResponse } from '../../shared/data-provider.js';
import { request } from '../helpers/http.js';
import { runCli, startServe } from '../../tools/cli-process/cli.js';
import { until } from '../helpers/wait.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bb-cli-'));

describe('billing-bridge serve', () => {
  it('starts on the demo billing with defaults, serves the API, and stops cleanly on SIGTERM', async () => {
    const dir = tempDir();
    const serve = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    try {
      const res = await request(serve.apiUrl, { path: '/api/users?user_id=58208891' });
      expect(res.status).toBe(200);
      UsersResponse.parse(res.json);
      // Every request is logged with status and duration, without the query string.
      // Lines are written in batches, a moment late.
      const line = await until(() => serve.logs.find((l) => l.msg === 'request'), 2_000, 'the request line');
      expect(line).toMatchObject({ method: 'GET', path: '/api/users', status: 200 });
      expect(typeof line!.ms).toBe('number');
      expect(JSON.stringify(serve.logs)).not.toContain('58208891');
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(path.join(dir, 'admin-token')).mode & 0o777).toBe(0o600);
    } finally {
      expect(await serve.stop()).toBe(0);
    }
  });

  it('refuses to start on a broken settings file, names the field, and leaves the file alone', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'settings.json');
    const broken = '{"version": 1, "server": {"port": 8080, "allowlist": ["core.example.com"]}}';
    writeFileSync(file, broken);
    const res = await runCli(['serve', '--data-dir', dir]);
    expect(res.code).toBe(78); // EX_CONFIG: systemd does not restart it (RestartPreventExitStatus)
    expect(res.stderr).toContain('server.allowlist.0: "core.example.com" is not an IP address or CIDR range');
    expect(res.stderr).toContain('The file was left as it is.');
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });

  it('refuses a core.baseUrl with a password, says where the login and password go, and never prints it', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, core: { baseUrl: 'https://isp:hunter2@core.example.com' } }));
    for (const command of ['serve', 'check']) {
      const res = await runCli([command, '--data-dir', dir]);
      expect(res.code, command).not.toBe(0);
      expect(res.stderr, command).toContain('core.baseUrl: must not carry a login or password: put the login in core.login');
      expect(res.stdout + res.stderr, command).not.toContain('hunter2');
    }
  });

  it('refuses an empty allowlist unless allowAll is set', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), '{"version": 1, "server": {"allowlist": []}}');
    const res = await runCli(['serve', '--data-dir', dir]);
    expect(res.code).toBe(78);
    expect(res.stderr).toMatch(/server\.allowlist: is empty/);
  });

  it('says plainly when the port is taken', async () => {
    const dir = tempDir();
    const first = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0']);
    try {
      const port = new URL(first.apiUrl).port;
      const res = await runCli(['serve', '--data-dir', tempDir(), '--port', port, '--admin-port', '0']);
      expect(res.code).toBe(1);
      expect(res.stderr).toMatch(new RegExp(`port ${port} is already in use`));
    } finally {
      await first.stop();
    }
  });
});

describe('billing-bridge check', () => {
  it('passes on the demo billing', async () => {
    const res = await runCli(['check', '--data-dir', tempDir()]);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/ok\s+demo billing: 9 subscribers/);
    expect(res.stdout).toContain('All checks passed.');
  });

  it('exits 78 (EX_CONFIG) with the reason on bad settings', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), '{"version": 1, "phones": {"format": "e164"}}');
    const res = await runCli(['check', '--data-dir', dir]);
    expect(res.code).toBe(78);
    expect(res.stderr).toMatch(/phones\.format: /);
  });

  it('honours BILLING_BRIDGE_DATA_DIR', async () => {
    const dir = tempDir();
    const res = await runCli(['check'], { env: { BILLING_BRIDGE_DATA_DIR: dir } });
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(path.join(dir, 'settings.json'));
  });
});
