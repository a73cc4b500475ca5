import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scrub, writeDiagnostics } from '../../main/diagnostics/bundle.js';
import { readZip } from '../helpers/zip.js';

describe('diagnostics bundle', () => {
  it('holds every part, owner-only, with secret-named fields censored at any depth', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bb-diag-'));
    const file = await writeDiagnostics(dir, {
      settings: { version: 1, core: { baseUrl: 'https://core.example', login: 'isp', password: 'leaked-by-mistake' } },
      secrets: { 'core-password': 'environment', 'billing-password': null },
      status: { outbox: { depth: 2 }, nested: [{ token: 'tok-abc' }] },
      logs: [{ msg: 'request', fields: { pswd: 'Zh4nna-1595', path: '/api/auth' } }],
      connectivity: { billing: [{ name: 'demo billing', ok: true, detail: '9 subscribers' }] },
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const entries = await readZip(file);
    expect([...entries.keys()].sort()).toEqual(['README.txt', 'connectivity.json', 'logs.jsonl', 'secrets.json', 'settings.json', 'status.json', 'versions.json']);
    const all = [...entries.values()].join('\n');
    for (const secret of ['leaked-by-mistake', 'tok-abc', 'Zh4nna-1595']) expect(all).not.toContain(secret);
    expect(JSON.parse(entries.get('settings.json')!).core).toEqual({ baseUrl: 'https://core.example', login: 'isp', password: '[redacted]' });
    expect(JSON.parse(entries.get('secrets.json')!)).toEqual({ 'core-password': 'environment', 'billing-password': null });
    expect(JSON.parse(entries.get('versions.json')!).node).toBe(process.version);
  });

  it('scrub leaves harmless data alone', () => {
    expect(scrub({ a: [1, { b: 'x' }], login: 'isp' })).toEqual({ a: [1, { b: 'x' }], login: 'isp' });
  });
});
