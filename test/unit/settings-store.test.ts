// The settings store without a running agent: what update() merges, keeps and tells, and how a
// missing or broken file is handled.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { SettingsStore, touches, type SettingsChange } from '../../main/settings/settings-store.js';

let store: SettingsStore;
let changes: SettingsChange[];

beforeEach(() => {
  store = new SettingsStore(path.join(mkdtempSync(path.join(tmpdir(), 'bb-store-')), 'settings.json'));
  changes = [];
  store.subscribe((c) => void changes.push(c));
});

const onDisk = () => JSON.parse(readFileSync(store.file, 'utf8')) as { sync: { intervalSeconds: number }; core: { login: string } };

describe('update', () => {
  it('merges, writes and tells the subscribers exactly what changed and what needs a restart', () => {
    const { settings, restartNeeded } = store.update({ sync: { intervalSeconds: 120 }, server: { port: 9090, allowlist: ['10.0.0.0/8'] } });
    expect(settings.sync).toMatchObject({ intervalSeconds: 120, enabled: true });
    expect(restartNeeded).toEqual(['server.port']);
    expect(onDisk().sync.intervalSeconds).toBe(120);
    expect(changes).toHaveLength(1);
    expect(changes[0]!.changed.sort()).toEqual(['server.allowlist', 'server.port', 'sync.intervalSeconds']);
    expect(touches(changes[0]!, 'server.allowlist')).toBe(true);
    expect(touches(changes[0]!, 'billing')).toBe(false);
  });

  it('applies the billing and phone format without a restart', () => {
    expect(store.update({ billing: { kind: 'carbon' }, phones: { format: 'international' } }).restartNeeded).toEqual([]);
  });

  it('keeps an edit of the file it has not read yet', () => {
    const doc = JSON.parse(readFileSync(store.file, 'utf8')) as Record<string, Record<string, unknown>>;
    doc.core!.login = 'edited-by-hand';
    writeFileSync(store.file, JSON.stringify(doc));
    store.update({ sync: { intervalSeconds: 90 } });
    expect(onDisk()).toMatchObject({ core: { login: 'edited-by-hand' }, sync: { intervalSeconds: 90 } });
    expect(changes.map((c) => c.source)).toEqual(['file', 'update']);
  });

  it('changes nothing and tells nobody when nothing changes', () => {
    const before = store.current();
    store.update({ sync: { intervalSeconds: before.sync.intervalSeconds } });
    expect(store.current()).toBe(before);
    expect(changes).toEqual([]);
  });

  it('refuses while the file is broken and leaves it alone', () => {
    writeFileSync(store.file, '{"version": 1, "server": {');
    expect(() => store.update({ sync: { intervalSeconds: 90 } })).toThrow(expect.objectContaining({ status: 409 }));
    expect(readFileSync(store.file, 'utf8')).toBe('{"version": 1, "server": {');
    expect(store.problems()).toEqual([expect.stringMatching(/^not valid JSON at line 1/)]);
    expect(store.notice()).toContain('the running settings stay in force');
  });
});

describe('reload', () => {
  it('reports a missing file, keeps the running settings and writes them back on the next change', () => {
    store.update({ sync: { intervalSeconds: 240 } });
    rmSync(store.file);
    expect(store.reload()).toBeNull();
    expect(store.problems()).toEqual([expect.stringContaining('missing')]);
    expect(store.current().sync.intervalSeconds).toBe(240);
    store.update({ core: { login: 'isp' } });
    expect(onDisk()).toMatchObject({ sync: { intervalSeconds: 240 }, core: { login: 'isp' } });
    expect(store.problems()).toEqual([]);
  });
});
