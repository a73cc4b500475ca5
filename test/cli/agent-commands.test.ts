import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { runCli, startServe, type ServeProcess } from '../../tools/cli-process/cli.js';
import { until } from '../helpers/wait.js';

let dir: string;
let serve: ServeProcess;
let adminPort: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'bb-cli-agent-'));
  serve = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', '0'], { env: { BILLING_BRIDGE_CORE_PASSWORD: 'cli-secret' } });
  adminPort = new URL(serve.adminUrl).port;
}, 30_000);
afterAll(() => serve.stop());

const cli = (...args: string[]) => runCli(['--data-dir', dir, ...args, '--admin-port', adminPort]);

describe('commands that talk to the running agent', () => {
  it('dashboard prints the loopback address with the token', async () => {
    const res = await cli('dashboard');
    expect(res.code).toBe(0);
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    expect(res.stdout.split('\n')[0]).toBe(`${serve.adminUrl}/#token=${token}`);
    const page = await request(serve.adminUrl, { path: '/' });
    expect(page.status).toBe(200);
  });

  it('dashboard --open gives the browser a one-time code, never the token', async () => {
    // A stand-in xdg-open that writes down the arguments it was started with (what ps would show).
    const bin = mkdtempSync(path.join(tmpdir(), 'bb-bin-'));
    const argvFile = path.join(bin, 'argv');
    writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s' "$*" > "${argvFile}.tmp" && mv "${argvFile}.tmp" "${argvFile}"\n`);
    chmodSync(path.join(bin, 'xdg-open'), 0o755);
    const res = await runCli(['--data-dir', dir, 'dashboard', '--open', '--admin-port', adminPort], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(res.code).toBe(0);
    const token = readFileSync(path.join(dir, 'admin-token'), 'utf8').trim();
    // The printed address still carries the token, for the person at the terminal.
    expect(res.stdout.split('\n')[0]).toBe(`${serve.adminUrl}/#token=${token}`);
    const opened = await until(() => (existsSync(argvFile) ? readFileSync(argvFile, 'utf8') : ''), 5_000, 'xdg-open to be started');
    expect(opened).not.toContain(token);
    const code = /^http:\/\/127\.0\.0\.1:\d+\/#code=([\w-]+)$/.exec(opened)?.[1];
    expect(code).toBeDefined();
    // The page trades the code for the token, once.
    const redeem = () => request(serve.adminUrl, { method: 'POST', path: '/token', body: { code } });
    const first = await redeem();
    expect(first.status).toBe(200);
    expect(first.json).toEqual({ token });
    expect(first.headers['cache-control']).toBe('no-store');
    const again = await redeem();
    expect(again.status).toBe(401);
    expect(again.text).not.toContain(token);
  });

  it('diagnostics writes a zip and prints its path', async () => {
    const res = await cli('diagnostics');
    expect(res.code).toBe(0);
    const file = res.stdout.trim();
    expect(file).toMatch(/billing-bridge-diagnostics-.*\.zip$/);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file).includes(Buffer.from('cli-secret'))).toBe(false);
  });

  it('lockouts shows a locked login and unlock lifts it', async () => {
    expect((await cli('lockouts')).stdout).toContain('No login is locked.');
    const api = serve.apiUrl.replace('[::1]', '127.0.0.1');
    for (let i = 0; i < 6; i++) await request(api, { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: `wrong-${i}` } });
    const locked = await cli('lockouts');
    expect(locked.stdout).toMatch(/Locked logins:\n\s+1595\s+until /);
    expect((await request(api, { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'Zh4nna-1595' } })).status).toBe(401);
    expect((await cli('lockouts', 'unlock', '1595')).stdout).toContain('1595 is unlocked.');
    expect((await request(api, { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'Zh4nna-1595' } })).status).toBe(200);
  });

  it('a command without a running agent says so plainly', async () => {
    const res = await runCli(['--data-dir', mkdtempSync(path.join(tmpdir(), 'bb-none-')), 'lockouts', '--admin-port', '1']);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/the agent is not running|no admin token/);
  });
});
