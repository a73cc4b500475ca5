// The command line's conventions: --version, exit codes (2 usage, 1 failed check, 78 settings),
// --json for results and errors, plain output off a terminal, the log format switch, the
// journal's priorities, and no secrets on the command line.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, readdirSync, fstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildCli } from '../../main/cli/program.js';
import { cliArgs, ROOT, runCli, startServe } from '../../tools/cli-process/cli.js';
import { request } from '../helpers/http.js';
import { freePort } from '../../tools/cli-process/free-port.js';
import { until } from '../helpers/wait.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'bb-conv-'));
const VERSION = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BROKEN = '{"version": 1, "phones": {"format": "e164"}}';
const ESC = '\u001b';

function brokenDir(): string {
  const dir = tempDir();
  writeFileSync(path.join(dir, 'settings.json'), BROKEN);
  return dir;
}

/** The one JSON document a --json command prints on stdout. */
function onlyJson(stdout: string): Record<string, unknown> {
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('--version', () => {
  it.each(['--version', '-V'])('%s prints the version and exits 0', async (flag) => {
    const res = await runCli([flag]);
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toMatch(new RegExp(`^billing-bridge ${VERSION.replaceAll('.', '\\.')} \\(Node\\.js v\\d+\\.\\d+\\.\\d+\\)$`));
  });
});

describe('exit codes', () => {
  it.each([
    [['no-such-command'], /unknown command 'no-such-command'/],
    [['status', '--no-such-option'], /unknown option '--no-such-option'/],
    [['serve', '--port', 'x'], /--port <port>' argument 'x' is invalid/],
    [['callback', 'nonsense', '1'], /value 'nonsense' is invalid for argument 'target'/],
    [[], /Usage: billing-bridge/],
  ])('usage errors exit 2: %j', async (args, message) => {
    const res = await runCli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
    expect(res.stdout).toBe('');
  });

  it('a usage error found by the command itself exits 2 too', async () => {
    const res = await runCli(['dead-letters', 'resend', '--admin-port', '1']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('give dead letter ids or --all');
  });

  it.each([['serve'], ['check'], ['status']])('invalid settings exit 78 (EX_CONFIG) for %s', async (command) => {
    const dir = brokenDir();
    const res = await runCli([command, '--data-dir', dir]);
    expect(res.code).toBe(78);
    expect(res.stderr).toContain('phones.format: ');
    expect(readFileSync(path.join(dir, 'settings.json'), 'utf8')).toBe(BROKEN);
  });

  it('TLS files that cannot be read stop serve with 78 too: the settings name them, a restart will not help', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, server: { tls: { mode: 'files', certFile: path.join(dir, 'missing-cert.pem'), keyFile: path.join(dir, 'missing-key.pem') } } }));
    const res = await runCli(['serve', '--data-dir', dir, '--port', '0', '--admin-port', '0']);
    expect(res.code).toBe(78);
    expect(res.stderr).toContain('server.tls.certFile: cannot read');
  });

  it('a failed check exits 1', async () => {
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, billing: { kind: 'carbon', carbon: { url: 'http://127.0.0.1:1' } } }));
    const res = await runCli(['check', '--data-dir', dir]);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/FAIL/);
    expect(res.stdout).toMatch(/check\(s\) failed/);
  });
});

describe('--json', () => {
  it('check prints its items as JSON', async () => {
    const res = await runCli(['check', '--data-dir', tempDir(), '--json']);
    expect(res.code).toBe(0);
    const out = onlyJson(res.stdout);
    expect(out.ok).toBe(true);
    expect(out.items).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'demo billing', ok: true })]));
  });

  it('errors are one JSON object on stdout, nothing on stderr, with the exit code', async () => {
    const settings = await runCli(['check', '--data-dir', brokenDir(), '--json']);
    expect(settings.code).toBe(78);
    expect(settings.stderr).toBe('');
    expect(onlyJson(settings.stdout).error).toMatchObject({ code: 'settings', exitCode: 78, problems: [expect.stringContaining('phones.format')] });

    const usage = await runCli(['status', '--no-such-option', '--json']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('');
    expect(onlyJson(usage.stdout).error).toMatchObject({ code: 'usage', exitCode: 2, message: expect.stringContaining("unknown option '--no-such-option'") });

    const agent = await runCli(['--data-dir', tempDir(), 'lockouts', '--admin-port', '1', '--json']);
    expect(agent.code).toBe(1);
    expect(onlyJson(agent.stdout).error).toMatchObject({ code: 'agent', exitCode: 1 });
  });

  it('every command takes --json, except serve (it prints log lines: --log-format)', () => {
    const leaves = (c: Command): Command[] => (c.commands.length ? c.commands.flatMap(leaves) : [c]);
    const commands = leaves(buildCli()).filter((c) => c.name() !== 'help');
    expect(commands.length).toBeGreaterThan(20);
    const name = (c: Command): string => (c.parent?.parent ? `${name(c.parent)} ${c.name()}` : c.name());
    const withoutJson = commands.filter((c) => !c.options.some((o) => o.long === '--json')).map(name);
    expect(withoutJson).toEqual(['serve']);
  });
});

describe('output for scripts and people', () => {
  /** The agent's stdout until it listens. */
  async function serveOutput(args: string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
    const child = spawn(process.execPath, cliArgs(['serve', '--data-dir', tempDir(), '--port', '0', '--admin-port', '0', ...args]), {
      cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await until(() => out.includes('admin API listening'), 15_000, 'the agent listening');
      return out;
    } finally {
      child.kill('SIGTERM');
    }
  }

  it('off a terminal, --log-format pretty writes readable lines without colour codes', async () => {
    const out = await serveOutput(['--log-format', 'pretty']);
    expect(out).toMatch(/INFO.*Data Provider API listening/);
    expect(out).not.toContain(ESC);
    expect(out.trimStart().startsWith('{')).toBe(false);
  });

  it('BILLING_BRIDGE_LOG_FORMAT chooses too, and --log-format wins over it', async () => {
    expect(await serveOutput([], { BILLING_BRIDGE_LOG_FORMAT: 'pretty' })).toMatch(/^\[[^\n]*INFO/);
    const json = await serveOutput(['--log-format', 'json'], { BILLING_BRIDGE_LOG_FORMAT: 'pretty' });
    for (const line of json.trim().split('\n')) expect(JSON.parse(line)).toHaveProperty('level');
  });

  it('a bad --log-format is a usage error', async () => {
    const res = await runCli(['--log-format', 'xml', 'serve']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/Allowed choices are json, pretty/);
  });
});

describe('under journald', () => {
  /** A file standing in for the journal's stream: JOURNAL_STREAM names its device and inode. */
  function journalFile() {
    const file = path.join(tempDir(), 'journal');
    const fd = openSync(file, 'w');
    const stat = fstatSync(fd);
    return { file, fd, env: { JOURNAL_STREAM: `${stat.dev}:${stat.ino}` } };
  }

  it('log lines start with their syslog priority, so journalctl -p err finds errors', async () => {
    const journal = journalFile();
    const dir = tempDir();
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, server: { allowAll: true } }));
    const child = spawn(process.execPath, cliArgs(['serve', '--data-dir', dir, '--port', '0', '--admin-port', '0']), {
      cwd: ROOT, env: { ...process.env, ...journal.env }, stdio: ['ignore', journal.fd, 'pipe'],
    });
    closeSync(journal.fd);
    try {
      const lines = await until(() => {
        const text = readFileSync(journal.file, 'utf8');
        return text.includes('admin API listening') ? text.trim().split('\n') : null;
      }, 15_000, 'the agent listening');
      for (const line of lines!) expect(line).toMatch(/^<[2-7]>\{"level":/);
      expect(lines!.find((l) => l.includes('allowAll is on'))).toMatch(/^<4>/);
      expect(lines!.find((l) => l.includes('Data Provider API listening'))).toMatch(/^<6>/);
    } finally {
      child.kill('SIGTERM');
    }
  });

  it('a start-up error on stderr is marked <3> (err)', async () => {
    const journal = journalFile();
    const child = spawn(process.execPath, cliArgs(['serve', '--data-dir', brokenDir()]), { cwd: ROOT, env: { ...process.env, ...journal.env }, stdio: ['ignore', 'ignore', journal.fd] });
    closeSync(journal.fd);
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(78);
    const lines = readFileSync(journal.file, 'utf8').trim().split('\n');
    expect(lines[0]).toMatch(/^<3>Settings problem in /);
    for (const line of lines) expect(line).toMatch(/^<3>/);
  });

  it('without a matching JOURNAL_STREAM (output redirected elsewhere) lines stay plain JSON', async () => {
    const serve = await startServe(['--data-dir', tempDir(), '--port', '0', '--admin-port', '0'], { env: { JOURNAL_STREAM: '1:1' } });
    await serve.stop();
    expect(serve.logs.length).toBeGreaterThan(0);
  });
});

describe('check changes nothing', () => {
  it('writes no settings file and creates no data directory', async () => {
    const parent = tempDir();
    const dir = path.join(parent, 'not-yet');
    const res = await runCli(['check', '--data-dir', dir]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('does not exist: checked the defaults');
    expect(existsSync(dir)).toBe(false);

    const empty = tempDir();
    expect((await runCli(['check', '--data-dir', empty])).code).toBe(0);
    expect(readdirSync(empty)).toEqual([]);
  });
});

describe('fake-core', () => {
  it('refuses a password on the command line, with the reason', async () => {
    const res = await runCli(['fake-core', '--login', 'core', '--password', 'visible-to-ps']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('set BILLING_BRIDGE_CORE_PASSWORD instead');
    expect(res.stderr).not.toContain('visible-to-ps');
  });

  it('--login needs the password in the environment', async () => {
    const res = await runCli(['fake-core', '--login', 'core'], { env: { BILLING_BRIDGE_CORE_PASSWORD: '' } });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('BILLING_BRIDGE_CORE_PASSWORD');
  });

  it('checks Basic auth against the password from the environment, and --json prints JSON lines', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, cliArgs(['fake-core', '--port', String(port), '--login', 'core', '--json']), {
      cwd: ROOT, env: { ...process.env, BILLING_BRIDGE_CORE_PASSWORD: 'env-secret' }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await until(() => out.includes('listening'), 15_000, 'fake core listening');
      const url = `http://127.0.0.1:${port}`;
      const basic = (password: string) => `Basic ${Buffer.from(`core:${password}`).toString('base64')}`;
      const callback = (password: string) => request(url, { method: 'POST', path: '/api/v1/mb/callback/contract', body: { ext_id: '1' }, headers: { authorization: basic(password) } });
      expect((await callback('wrong')).status).toBe(401);
      expect((await callback('env-secret')).status).toBe(200);
      const lines = await until(() => {
        const parsed = out.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
        return parsed.length >= 3 ? parsed : null;
      }, 5_000, 'two callbacks printed');
      expect(lines![0]).toEqual({ listening: url });
      expect(lines!.slice(1).map((l) => l.status)).toEqual([401, 200]);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
