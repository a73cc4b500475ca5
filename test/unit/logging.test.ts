import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LogRing, createLogger } from '../../main/logging/logger.js';

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
      deep: { a: { b: { c: { d: [{ Authorization: 'Bearer deep-secret' }] } } } },
    }, 'something happened');
    log.flush?.();
    await new Promise((r) => setTimeout(r, 50));
    const out = text();
    expect(out).toContain('something happened');
    expect(out).toContain('1595');
    for (const secret of ['hunter2', 'Zh4nna-1595', 'Y29yZTpzM2NyM3Q=', 'carbon-pass', 'sysapi-pass', 'tok-123', 'deep-secret']) {
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

describe('the in-memory ring of recent lines', () => {
  it('keeps the newest lines, censored, filterable by level', async () => {
    const ring = new LogRing(3);
    const sink = new PassThrough();
    sink.resume();
    const log = createLogger({ pretty: false, destination: sink, ring, level: 'debug' });
    log.debug('one');
    log.info({ pswd: 'Zh4nna-1595', path: '/api/auth' }, 'two');
    log.warn('three');
    log.error({ status: 503 }, 'four');
    await new Promise((r) => setTimeout(r, 20));
    expect(ring.recent().map((e) => e.msg)).toEqual(['two', 'three', 'four']);
    expect(ring.recent(10, 'warn').map((e) => e.level)).toEqual(['warn', 'error']);
    const two = ring.recent()[0]!;
    expect(two.fields).toEqual({ pswd: '[redacted]', path: '/api/auth' });
    expect(JSON.stringify(ring.recent())).not.toContain('Zh4nna-1595');
  });

  it('splits a chunk of several lines, keeps the newest after wrapping round, and skips non-JSON', () => {
    const ring = new LogRing(4);
    const line = (n: number) => JSON.stringify({ level: 30, time: 0, msg: `m${n}` });
    ring.write(`${line(1)}\n${line(2)}\nnot json\n`);
    ring.write(Buffer.from(`${line(3)}\n${line(4)}\n${line(5)}\n`));
    ring.write(line(6));
    // Six JSON lines and one other went into a ring of four: m3..m6 remain, oldest first.
    expect(ring.recent().map((e) => e.msg)).toEqual(['m3', 'm4', 'm5', 'm6']);
    expect(ring.recent(2).map((e) => e.msg)).toEqual(['m5', 'm6']);
  });
});
