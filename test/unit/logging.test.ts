import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/logging/logger.js';

function capture(pretty: boolean) {
  const stream = new PassThrough();
  const lines: string[] = [];
  stream.on('data', (chunk: Buffer) => lines.push(chunk.toString('utf8')));
  return { log: createLogger({ pretty, destination: stream, level: 'info' }), text: () => lines.join('') };
}

describe('logs never carry secrets', () => {
  it.each([false, true])('pretty=%s: passwords, tokens and auth headers are censored at any depth', async (pretty) => {
    const { log, text } = capture(pretty);
    log.info({
      password: 'hunter2',
      body: { login: '1595', pswd: 'Zh4nna-1595' },
      req: { headers: { authorization: 'Basic Y29yZTpzM2NyM3Q=' } },
      carbon: { call: { passwd: 'carbon-pass', psw: 'sysapi-pass' } },
      token: 'tok-123',
    }, 'something happened');
    log.flush?.();
    await new Promise((r) => setTimeout(r, 50));
    const out = text();
    expect(out).toContain('something happened');
    expect(out).toContain('1595');
    for (const secret of ['hunter2', 'Zh4nna-1595', 'Y29yZTpzM2NyM3Q=', 'carbon-pass', 'sysapi-pass', 'tok-123']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('[redacted]');
  });

  it('writes one JSON object per line when not pretty', async () => {
    const { log, text } = capture(false);
    log.warn({ status: 503 }, 'billing unavailable');
    await new Promise((r) => setTimeout(r, 20));
    const line = JSON.parse(text().trim()) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 40, status: 503, msg: 'billing unavailable', service: 'billing-bridge' });
  });
});
