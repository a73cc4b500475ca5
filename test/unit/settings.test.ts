import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { migrate, type Migration } from '../../main/settings/migrations.js';
import { SETTINGS_VERSION, defaultSettings } from '../../shared/settings.js';
import { SettingsError, loadSettings, readSettings, saveSettings } from '../../main/settings/store.js';

let file: string;
beforeEach(() => {
  file = path.join(mkdtempSync(path.join(tmpdir(), 'bb-settings-')), 'settings.json');
});

function problemsOf(text: string): string[] {
  writeFileSync(file, text);
  try {
    loadSettings(file);
  } catch (err) {
    expect(err).toBeInstanceOf(SettingsError);
    return (err as SettingsError).problems;
  }
  throw new Error('expected a SettingsError');
}

describe('loading settings', () => {
  it('writes the defaults, owner-only, when there is no file', () => {
    const loaded = loadSettings(file);
    expect(loaded.created).toBe(true);
    expect(loaded.settings.server).toMatchObject({ port: 8080, allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [], inboundAuth: 'none', tls: { mode: 'off' } });
    expect(loaded.settings.server.host).toBeUndefined();
    expect(loaded.settings.billing.kind).toBe('demo');
    expect(loaded.settings.sync).toMatchObject({ enabled: true, intervalSeconds: 60 });
    expect(loaded.settings.phones).toEqual({ format: 'national', defaultCountry: 'RU' });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(loaded.settings);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadSettings(file).created).toBe(false);
  });

  it('fills missing fields with defaults: {"version": 1} is a whole file', () => {
    writeFileSync(file, '{"version": 1, "server": {"port": 9000}}');
    const { settings } = loadSettings(file);
    expect(settings.server.port).toBe(9000);
    expect(settings.server.allowlist).toEqual(['127.0.0.1', '::1']);
  });

  it.each([
    ['{"version": 1, "server": {"port": "80"}}', /^server\.port: .*number/],
    ['{"version": 1, "server": {"port": 70000}}', /^server\.port: /],
    ['{"version": 1, "server": {"allowlist": ["10.0.0.1", "10.0.0.300"]}}', /^server\.allowlist\.1: "10\.0\.0\.300" is not an IP address or CIDR range/],
    ['{"version": 1, "server": {"allowlist": []}}', /^server\.allowlist: is empty.*"allowAll": true/],
    ['{"version": 1, "server": {"alowlist": ["10.0.0.1"]}}', /^server: unknown setting "alowlist" \(check the spelling\)/],
    ['{"version": 1, "billing": {"kind": "1c"}}', /^billing\.kind: /],
    ['{"version": 1, "core": {"baseUrl": "core.example.com"}}', /^core\.baseUrl: /],
    ['{"version": 1, "phones": {"format": "e164"}}', /^phones\.format: /],
    ['{"version": 1, "sync": {"intervalSeconds": 1}}', /^sync\.intervalSeconds: /],
    ['{"server": {}}', /^version: must be a whole number/],
    [`{"version": ${SETTINGS_VERSION + 1}}`, /newer Billing Bridge/],
    ['[1, 2]', /must be a JSON object/],
  ])('%s is reported with the field at fault', (text, expected) => {
    const problems = problemsOf(text);
    expect(problems.some((p) => expected.test(p))).toBe(true);
  });

  it('reports every bad field at once', () => {
    const problems = problemsOf('{"version": 1, "server": {"port": -1}, "phones": {"defaultCountry": "russia"}}');
    expect(problems).toHaveLength(2);
  });

  it('an empty allowlist is accepted when allowAll is chosen explicitly', () => {
    writeFileSync(file, '{"version": 1, "server": {"allowlist": [], "allowAll": true}}');
    expect(loadSettings(file).settings.server.allowAll).toBe(true);
  });

  it('points at the line and column of a JSON syntax error', () => {
    const problems = problemsOf('{\n  "version": 1,\n  "server": { "port": 8080, }\n}');
    expect(problems[0]).toMatch(/^not valid JSON at line 3, column \d+/);
  });

  it('never overwrites a broken file', () => {
    const broken = '{"version": 1, "server": {"port": "eighty"}}';
    writeFileSync(file, broken);
    expect(() => loadSettings(file)).toThrow(SettingsError);
    expect(() => saveSettings(file, { version: 1, server: { port: 'eighty' } })).toThrow(SettingsError);
    expect(readFileSync(file, 'utf8')).toBe(broken);
    expect(existsSync(`${file}.v1.bak`)).toBe(false);
  });

  it('a settings path that cannot be read is reported, not replaced', () => {
    mkdirSync(file); // a directory where the file should be: unreadable as a file even for root
    expect(() => loadSettings(file)).toThrow(/cannot be read: EISDIR/);
    expect(statSync(file).isDirectory()).toBe(true);
  });

  it('saveSettings validates and writes atomically with owner-only rights', () => {
    const settings = defaultSettings();
    settings.server.allowlist = ['203.0.113.7'];
    saveSettings(file, settings);
    expect(loadSettings(file).settings.server.allowlist).toEqual(['203.0.113.7']);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});

describe('reading settings as a client (the CLI, check, the tray)', () => {
  it('gives the defaults without creating a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bb-read-')), 'settings.json');
    expect(readSettings(file)).toEqual(defaultSettings());
    expect(existsSync(file)).toBe(false);
  });

  it('reads a file without rewriting it, and reports a broken one', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'bb-read-')), 'settings.json');
    const text = `{"version": ${SETTINGS_VERSION}, "sync": {"intervalSeconds": 120}}`;
    writeFileSync(file, text);
    expect(readSettings(file).sync.intervalSeconds).toBe(120);
    expect(readFileSync(file, 'utf8')).toBe(text);
    writeFileSync(file, '{"version": 1, "sync": {"intervalSeconds": "often"}}');
    expect(() => readSettings(file)).toThrow(SettingsError);
  });
});

describe('core.baseUrl', () => {
  it.each(['http://isp:hunter2@core.example.com', 'https://isp@core.example.com/', 'https://:hunter2@core.example.com'])('refuses a login or password in %s without repeating it', (url) => {
    const problems = problemsOf(JSON.stringify({ version: 1, core: { baseUrl: url } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^core\.baseUrl: must not carry a login or password/);
    expect(problems[0]).toContain('core.login');
    expect(problems[0]).toContain('BILLING_BRIDGE_CORE_PASSWORD');
    let message = '';
    try {
      loadSettings(file);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const text of [problems[0]!, message]) {
      expect(text).not.toContain('hunter2');
      expect(text).not.toContain('isp@');
    }
  });

  it('is refused on save as well, and the file keeps what it had', () => {
    saveSettings(file, defaultSettings());
    const before = readFileSync(file, 'utf8');
    expect(() => saveSettings(file, { ...defaultSettings(), core: { ...defaultSettings().core, baseUrl: 'http://isp:hunter2@core.example.com' } })).toThrow(/core\.baseUrl: must not carry/);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('accepts an address without user info', () => {
    writeFileSync(file, JSON.stringify({ version: 1, core: { baseUrl: 'https://core.example.com:8443/hooks' } }));
    expect(loadSettings(file).settings.core.baseUrl).toBe('https://core.example.com:8443/hooks');
  });
});

describe('server.hostnames', () => {
  it('defaults to none and keeps names in lower case without a trailing dot', () => {
    expect(defaultSettings().server.hostnames).toEqual([]);
    writeFileSync(file, JSON.stringify({ version: 1, server: { hostnames: ['Billing.Example.NET.', ' bb-1.isp.ru '] } }));
    expect(loadSettings(file).settings.server.hostnames).toEqual(['billing.example.net', 'bb-1.isp.ru']);
  });

  it.each(['https://billing.example.net', 'billing.example.net:8080', 'billing example', '', '-x.example', 'a..b'])('refuses %j with the field named', (name) => {
    const problems = problemsOf(JSON.stringify({ version: 1, server: { hostnames: [name] } }));
    expect(problems).toEqual([expect.stringMatching(/^server\.hostnames\.0: ".*" is not a host name/)]);
  });
});

describe('migrations', () => {
  const steps: Record<number, Migration> = {
    1: (doc) => ({ ...doc, renamed: doc.old, old: undefined }),
    2: (doc) => ({ ...doc, added: true }),
  };

  it('apply step by step and stamp each version', () => {
    expect(migrate({ version: 1, old: 'x' }, 1, 3, steps)).toEqual({ version: 3, renamed: 'x', old: undefined, added: true });
  });

  it('are pure: the input document is not changed', () => {
    const doc = { version: 1, old: 'x' };
    migrate(doc, 1, 3, steps);
    expect(doc).toEqual({ version: 1, old: 'x' });
  });

  it('refuse a gap instead of guessing', () => {
    expect(() => migrate({ version: 1 }, 1, 4, steps)).toThrow(/no migration from settings version 3 to 4/);
  });
});
