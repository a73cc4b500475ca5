// Log lines as written: the delivery worker's logger is a child of the sync service's, and each
// key of a line must appear once (a JSON reader keeps only one of two, and which is not agreed).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startAgent } from '../../main/agent.js';
import { startFakeCore } from '../../main/fake-core/index.js';
import { createLogger } from '../../main/logging/logger.js';
import { until } from '../helpers/wait.js';

/** The keys of a JSON object text at its top level, duplicates kept (JSON.parse would fold them). */
function topLevelKeys(line: string): string[] {
  const keys: string[] = [];
  let depth = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      let close = i + 1;
      while (line[close] !== '"') close += line[close] === '\\' ? 2 : 1;
      const end = close + 1;
      let j = end;
      while (line[j] === ' ') j++;
      if (depth === 1 && line[j] === ':') keys.push(line.slice(i + 1, end - 1));
      i = end - 1;
    } else if (c === '{' || c === '[') {
      depth++;
    } else if (c === '}' || c === ']') {
      depth--;
    }
  }
  return keys;
}

describe('log lines', () => {
  it('a delivery line from a running agent carries each key once, "component" with the innermost value', async () => {
    const core = await startFakeCore({ failWith: 503 });
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bb-logkeys-'));
    writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, server: { host: '127.0.0.1' }, core: { baseUrl: core.url, login: 'isp' } }));
    const lines: string[] = [];
    const log = createLogger({ pretty: false, level: 'debug', destination: new Writable({ write: (c: Buffer, _e, done) => { lines.push(...c.toString().split('\n').filter(Boolean)); done(); } }) });
    const agent = await startAgent({ dataDir, port: 0, adminPort: 0, env: {}, log });
    try {
      await agent.handlers['callback.send']({ target: 'contract', id: '12331231', waitSeconds: 1 });
      const line = (await until(() => lines.find((l) => l.includes('core does not accept callbacks')), 5_000, 'a delivery warning'))!;
      const keys = topLevelKeys(line);
      expect(keys.filter((k) => k === 'component')).toEqual(['component']);
      expect(new Set(keys).size).toBe(keys.length);
      expect(JSON.parse(line)).toMatchObject({ component: 'delivery', service: 'billing-bridge' });
      // The sync service's own lines keep theirs.
      expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === 'sync started')).toMatchObject({ component: 'sync' });
      for (const l of lines) expect(new Set(topLevelKeys(l)).size, l).toBe(topLevelKeys(l).length);
    } finally {
      await agent.stop();
      await core.close();
    }
  });

  it('children of children bind a key once at any depth', () => {
    const lines: string[] = [];
    const log = createLogger({ pretty: false, destination: new Writable({ write: (c: Buffer, _e, done) => { lines.push(c.toString()); done(); } }) });
    log.child({ component: 'a', x: 1 }).child({ component: 'b' }).child({ component: 'c', y: { component: 'nested' } }).info('deep');
    const keys = topLevelKeys(lines[0]!);
    expect(keys.filter((k) => k === 'component')).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ component: 'c', x: 1, y: { component: 'nested' }, msg: 'deep' });
  });
});
