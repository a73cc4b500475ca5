// The server package as an admin installs it: built by `npm run package:server` (scripts/test-all.sh
// builds it and names the folder in BILLING_BRIDGE_PACKAGE_DIR). The .deb is installed with dpkg
// on this machine (root only), run as its service user with the installed unit's command line,
// removed and purged; the tarball runs from an empty folder with no other Node on PATH.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { request } from '../helpers/http.js';
import { freePort } from '../../tools/cli-process/free-port.js';
import { until } from '../helpers/wait.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const DIR = process.env.BILLING_BRIDGE_PACKAGE_DIR;
const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
const artifact = (suffix: string) => (DIR && existsSync(DIR) ? readdirSync(DIR).find((f) => f.endsWith(suffix)) : undefined);

const installable = Boolean(DIR) && process.getuid?.() === 0 && has('dpkg');
const why = !DIR ? 'no package built (BILLING_BRIDGE_PACKAGE_DIR unset; scripts/test-all.sh builds one)'
  : process.getuid?.() !== 0 ? 'installing a .deb needs root' : 'dpkg is not installed';

const USER = 'billing-bridge';
const DATA = '/var/lib/billing-bridge';
const UNIT = '/usr/lib/systemd/system/billing-bridge.service';
/** dpkg unpacks some 180 MB: slow on a busy machine. */
const DPKG_MS = 120_000;
const SYSTEM_PATHS = ['/opt/billing-bridge', '/usr/bin/billing-bridge', UNIT, '/etc/billing-bridge', DATA];

function sh(command: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}) {
  const res = spawnSync(command, args, { encoding: 'utf8', env: options.env ?? process.env, timeout: 120_000 });
  return { code: res.status, stdout: res.stdout ?? '', stderr: res.stderr ?? '' };
}

/** Runs as the service user, as systemd's User= would (no capabilities, the user's groups). */
const asServiceUser = (argv: string[]) => ['setpriv', `--reuid=${USER}`, `--regid=${USER}`, '--init-groups', '--inh-caps=-all', '--', ...argv];

/** Writes a file in the data directory as the service user would (an admin's `sudo -u` edit). */
function writeAsServiceUser(file: string, content: string): void {
  const [cmd, ...args] = asServiceUser(['sh', '-c', 'umask 077; cat > "$0"', file]);
  const res = spawnSync(cmd!, args, { input: content });
  expect(res.status, String(res.stderr)).toBe(0);
}

/** ExecStart= and Environment= of the installed unit (our unit uses no quoting). */
function unitCommand(): { argv: string[]; env: Record<string, string> } {
  const text = readFileSync(UNIT, 'utf8');
  const exec = /^ExecStart=(.+)$/m.exec(text)![1]!;
  const env: Record<string, string> = {};
  for (const m of text.matchAll(/^Environment=(\w+)=(.*)$/gm)) env[m[1]!] = m[2]!;
  return { argv: exec.trim().split(/\s+/), env };
}

function installed(): boolean {
  return sh('dpkg-query', ['-W', '-f=${Status}', 'billing-bridge']).stdout.includes('installed');
}

function purge(): void {
  if (sh('dpkg-query', ['-W', 'billing-bridge']).code === 0) sh('dpkg', ['--purge', 'billing-bridge']);
}

describe.skipIf(!installable)(`the server .deb, installed with dpkg${installable ? '' : ` (skipped: ${why})`}`, () => {
  const deb = artifact('.deb');
  let serve: ChildProcess | null = null;
  afterAll(() => {
    serve?.kill('SIGKILL');
    purge();
  });

  it('was built', () => {
    expect(deb, `no .deb in ${DIR}`).toMatch(new RegExp(`^billing-bridge_${VERSION.replaceAll('.', '\\.')}_\\w+\\.deb$`));
  });

  it('holds the agent, the dashboard, node_modules and Node.js 22, and no Electron or GUI libraries', () => {
    const file = path.join(DIR!, deb!);
    const list = execFileSync('dpkg-deb', ['-c', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const needed of ['./opt/billing-bridge/node/bin/node', './opt/billing-bridge/dist/main/cli/index.js', './opt/billing-bridge/renderer/dist/index.html',
      './opt/billing-bridge/node_modules/better-sqlite3/build/Release/better_sqlite3.node', './usr/bin/billing-bridge', `.${UNIT}`, './etc/billing-bridge/env']) {
      expect(list).toContain(needed);
    }
    if (existsSync(path.join(ROOT, 'docs/openapi.json'))) expect(list).toContain('./opt/billing-bridge/docs/openapi.json');
    expect(list).not.toMatch(/electron|libgtk|libnss|chrome-sandbox|\/dist\/main\/shell\/|\.\/opt\/billing-bridge\/(test|bench|tools)\//i);
    const depends = execFileSync('dpkg-deb', ['-f', file, 'Depends'], { encoding: 'utf8' });
    expect(depends).not.toMatch(/gtk|nss|x11|xss|asound|libsecret|gnome/i);
  }, DPKG_MS);

  it('installs: a system user, the data directory 0700, the secrets file 0600 root, the unit', () => {
    purge();
    expect(existsSync(DATA)).toBe(false);
    const res = sh('dpkg', ['-i', path.join(DIR!, deb!)]);
    expect(res.code, res.stderr).toBe(0);
    expect(installed()).toBe(true);
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    const shell = execFileSync('getent', ['passwd', USER], { encoding: 'utf8' }).trim().split(':')[6];
    expect(shell).toMatch(/nologin|false/);
    const data = statSync(DATA);
    expect(data.mode & 0o777).toBe(0o700);
    expect(data.uid).toBe(uid);
    const env = statSync('/etc/billing-bridge/env');
    expect([env.mode & 0o777, env.uid, env.gid]).toEqual([0o600, 0, 0]);
    expect(readFileSync(UNIT, 'utf8')).toMatch(/^RestartPreventExitStatus=78$/m);
  }, DPKG_MS);

  it('/usr/bin/billing-bridge --version', () => {
    const res = sh('/usr/bin/billing-bridge', ['--version']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^billing-bridge ${VERSION.replaceAll('.', '\\.')} \\(Node\\.js v22\\.`));
  });

  it('check passes on the demo billing and writes nothing', () => {
    const res = sh('/usr/bin/billing-bridge', ['check']);
    expect(res.code, res.stdout + res.stderr).toBe(0);
    expect(res.stdout).toMatch(/ok\s+demo billing: 9 subscribers/);
    expect(readdirSync(DATA)).toEqual([]);
  });

  it.skipIf(!has('systemd-analyze'))('the installed unit passes systemd-analyze verify, and its exposure stays low', () => {
    const verify = sh('systemd-analyze', ['verify', UNIT]);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stderr).not.toMatch(/billing-bridge\.service:/);
    const security = sh('systemd-analyze', ['security', '--offline=yes', UNIT]);
    const exposure = Number(/Overall exposure level for billing-bridge\.service: ([\d.]+)/.exec(security.stdout)?.[1]);
    expect(exposure).toBeLessThanOrEqual(2.0);
  });

  it('serves /api/tariffs as the service user with the unit\'s command line', async () => {
    const [port, adminPort] = [await freePort(), await freePort()];
    // Free ports, on a shared machine.
    writeAsServiceUser(`${DATA}/settings.json`, JSON.stringify({ version: 1, server: { port }, admin: { port: adminPort } }));
    const { argv, env } = unitCommand();
    expect(argv).toEqual(['/usr/bin/billing-bridge', '--data-dir', DATA, 'serve']);
    const [cmd, ...rest] = asServiceUser(argv);
    serve = spawn(cmd!, rest, { env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    serve.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    serve.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => serve!.once('exit', resolve));
    const res = (await until(async () => {
      const r = await request(`http://127.0.0.1:${port}`, { path: '/api/tariffs' }).catch(() => null);
      return r?.status === 200 ? r : null;
    }, 30_000, 'the installed agent to answer'))!;
    expect(Array.isArray(res.json), out).toBe(true);
    expect((res.json as unknown[]).length).toBeGreaterThan(0);
    const uid = Number(execFileSync('id', ['-u', USER], { encoding: 'utf8' }));
    for (const f of readdirSync(DATA)) expect(statSync(path.join(DATA, f)).uid, f).toBe(uid);
    // An admin's command as root reaches the service (its data directory, its admin token).
    const status = sh('/usr/bin/billing-bridge', ['status', '--json']);
    expect(status.code, status.stdout + status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ billing: { kind: 'demo' } });
    serve.kill('SIGTERM');
    expect(await exited).toBe(0);
    serve = null;
  }, 60_000);

  it('a settings error ends the unit\'s command with 78, which the unit does not restart', () => {
    const file = `${DATA}/settings.json`;
    const saved = readFileSync(file, 'utf8');
    writeAsServiceUser(file, '{"version": 1, "server": {"allowlist": []}}');
    const [cmd, ...args] = asServiceUser(unitCommand().argv);
    const res = sh(cmd!, args);
    expect(res.code).toBe(78);
    expect(res.stderr).toContain('server.allowlist: is empty');
    writeAsServiceUser(file, saved);
  });

  it('remove keeps the data and the secrets file; installing again (an upgrade) keeps the settings', () => {
    const settings = readFileSync(`${DATA}/settings.json`, 'utf8');
    const res = sh('dpkg', ['-r', 'billing-bridge']);
    expect(res.code, res.stderr).toBe(0);
    expect(existsSync('/opt/billing-bridge')).toBe(false);
    expect(existsSync('/usr/bin/billing-bridge')).toBe(false);
    expect(existsSync(UNIT)).toBe(false);
    expect(readdirSync(DATA)).toEqual(expect.arrayContaining(['settings.json', 'state.db', 'admin-token']));
    expect(existsSync('/etc/billing-bridge/env')).toBe(true);

    expect(sh('dpkg', ['-i', path.join(DIR!, deb!)]).code).toBe(0);
    expect(sh('dpkg', ['-i', path.join(DIR!, deb!)]).code).toBe(0); // the upgrade path of the scripts
    expect(readFileSync(`${DATA}/settings.json`, 'utf8')).toBe(settings);
    expect(statSync(DATA).mode & 0o777).toBe(0o700);
  }, 3 * DPKG_MS);

  it('purge leaves nothing: no files, no data, no user', () => {
    const res = sh('dpkg', ['--purge', 'billing-bridge']);
    expect(res.code, res.stderr).toBe(0);
    expect(SYSTEM_PATHS.filter((p) => existsSync(p))).toEqual([]);
    expect(sh('getent', ['passwd', USER]).code).not.toBe(0);
    expect(sh('getent', ['group', USER]).code).not.toBe(0);
    expect(sh('dpkg-query', ['-W', 'billing-bridge']).code).not.toBe(0);
    expect(existsSync('/etc/systemd/system/multi-user.target.wants/billing-bridge.service')).toBe(false);
  }, DPKG_MS);
});

describe.skipIf(!DIR)(`the server .tar.gz${DIR ? '' : ` (skipped: ${why})`}`, () => {
  it('unpacked into an empty folder, serves with no other Node on PATH', async () => {
    const tarball = artifact('.tar.gz');
    expect(tarball, `no .tar.gz in ${DIR}`).toBeDefined();
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-tarball-'));
    execFileSync('tar', ['-xzf', path.join(DIR!, tarball!), '-C', dir]);
    const [top] = readdirSync(dir);
    expect(top).toMatch(new RegExp(`^billing-bridge-${VERSION.replaceAll('.', '\\.')}-linux-`));
    // PATH without any folder that holds a node.
    const PATH = (process.env.PATH ?? '').split(':').filter((d) => d && !existsSync(path.join(d, 'node'))).join(':');
    expect(sh('sh', ['-c', 'command -v node'], { env: { PATH } }).code).not.toBe(0);
    const child = spawn(path.join(dir, top!, 'billing-bridge'), ['serve', '--data-dir', path.join(dir, 'data'), '--host', '127.0.0.1', '--port', '0', '--admin-port', '0'], {
      env: { PATH, HOME: dir }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = (await until(() => /"url":"(http:\/\/127\.0\.0\.1:\d+)"[^\n]*"msg":"Data Provider API listening"/.exec(out)?.[1], 30_000, 'the tarball\'s agent to listen'))!;
      const res = await request(url, { path: '/api/tariffs' });
      expect(res.status).toBe(200);
      expect(out).toContain('"msg":"admin API listening');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});

describe.skipIf(!DIR || !has('rpm'))(`the server .rpm${DIR && has('rpm') ? '' : ' (skipped: no package built or no rpm tool)'}`, () => {
  it('holds the same files, the user and data-directory scripts, and no Electron', () => {
    const rpm = artifact('.rpm');
    expect(rpm, `no .rpm in ${DIR}`).toBeDefined();
    const file = path.join(DIR!, rpm!);
    const list = execFileSync('rpm', ['-qpl', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    for (const needed of ['/opt/billing-bridge/node/bin/node', '/opt/billing-bridge/dist/main/cli/index.js', '/usr/bin/billing-bridge', UNIT, '/etc/billing-bridge/env']) {
      expect(list).toContain(needed);
    }
    expect(list).not.toMatch(/electron|libgtk/i);
    const scripts = execFileSync('rpm', ['-qp', '--scripts', file], { encoding: 'utf8' });
    expect(scripts).toMatch(/useradd --system/);
    expect(scripts).toMatch(/install -d -m 0700 -o billing-bridge/);
    expect(execFileSync('rpm', ['-qp', '--configfiles', file], { encoding: 'utf8' }).trim()).toBe('/etc/billing-bridge/env');
  });
});
