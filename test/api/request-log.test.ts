import http from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { createLogger } from '../../main/logging/logger.js';
import { startTestApi } from '../helpers/api.js';
import { request } from '../helpers/http.js';
import { until } from '../helpers/wait.js';

function capturedLogger() {
  const stream = new PassThrough();
  const lines: Array<Record<string, unknown>> = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
  });
  return { log: createLogger({ pretty: false, destination: stream, level: 'info' }), lines };
}

describe('the request log', () => {
  it('logs every request once its answer has gone out: method, path without query, status, duration, client', async () => {
    const { log, lines } = capturedLogger();
    const api = await startTestApi({ log });
    try {
      expect((await request(api.url, { path: '/api/users?user_id=58208891' })).status).toBe(200);
      expect((await request(api.url, { path: '/api/users?user_id=1' })).status).toBe(404);
      await until(() => lines.filter((l) => l.msg === 'request').length >= 2, 2_000, 'two request lines');
      const [ok, missing] = lines.filter((l) => l.msg === 'request');
      expect(ok).toMatchObject({ level: 30, method: 'GET', path: '/api/users', status: 200, client: '127.0.0.1' });
      expect(typeof ok!.ms).toBe('number');
      expect(missing).toMatchObject({ level: 40, status: 404 });
      expect(JSON.stringify(lines)).not.toContain('58208891');
    } finally {
      await api.close();
    }
  });

  it('logs a request whose client went away before the answer as a warning marked aborted', async () => {
    const { log, lines } = capturedLogger();
    const slow = Object.create(new DemoBilling()) as DemoBilling;
    slow.getUser = async (id) => {
      await new Promise((r) => setTimeout(r, 300));
      return DemoBilling.prototype.getUser.call(slow, id);
    };
    const api = await startTestApi({ billing: slow, log });
    try {
      await new Promise<void>((resolve) => {
        const req = http.get(`${api.url}/api/users?user_id=58208891`);
        req.on('error', () => resolve());
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 50);
      });
      await until(() => lines.some((l) => l.msg === 'request'), 2_000, 'the request line');
      expect(lines.find((l) => l.msg === 'request')).toMatchObject({ level: 40, path: '/api/users', status: 499, aborted: true });
    } finally {
      await api.close();
    }
  });
});
