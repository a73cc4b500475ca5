// toWire: what every caller (public API, admin API, IPC, in-process) is told about a failure.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { AdminOpError } from '../../main/admin/errors.js';
import { BillingDataError, BillingUnavailableError } from '../../main/billing/source.js';
import { toWire } from '../../main/errors.js';
import { createLogger } from '../../main/logging/logger.js';
import { SecretWriteRefused } from '../../main/secrets/store.js';
import { SettingsError, SettingsFileError } from '../../main/settings/store.js';
import { SyncPausedError } from '../../main/sync/service.js';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new PassThrough();
  sink.on('data', (chunk: Buffer) => lines.push(...chunk.toString().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>)));
  return { log: createLogger({ pretty: false, destination: sink }), lines };
}

/** What Koa's ctx.throw(status, message, props) throws. */
const createError = (status: number, message: string, props: object = {}) => Object.assign(new Error(message), { status, expose: status < 500, ...props });

/** A distinct outage cause, as an adapter may define one. */
class CarbonRefusedUs extends BillingUnavailableError {
  override name = 'CarbonRefusedUs';
}

describe('toWire', () => {
  it('answers every billing outage alike, subclasses included, without its details', () => {
    for (const err of [new BillingUnavailableError('connect ECONNREFUSED 10.0.0.5:8082'), new CarbonRefusedUs('Carbon allow-list refused 10.0.0.9')]) {
      const wire = toWire(err);
      expect(wire).toEqual({
        status: 503,
        body: { error: 'billing_unavailable', message: 'The billing system cannot be reached right now; try again later.' },
        headers: { 'Retry-After': '30' },
      });
    }
  });

  it('logs outages and unmappable data with their details and the context', async () => {
    const { log, lines } = capture();
    toWire(new BillingDataError('balance "12,3,4" of contract 7 is not an amount'), log, { path: '/api/contracts' });
    expect(toWire(new BillingDataError('x')).body).toEqual({ error: 'billing_data_error', message: expect.stringContaining('cannot be served') });
    toWire(new CarbonRefusedUs('refused'), log, { op: 'subscriber.explain' });
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toMatchObject([
      { level: 50, msg: 'billing data cannot be mapped', err: 'balance "12,3,4" of contract 7 is not an amount', path: '/api/contracts' },
      { level: 40, msg: 'billing unavailable', err: 'refused', op: 'subscriber.explain' },
    ]);
  });

  it('gives refusals meant for the caller their status, code and words', () => {
    expect(toWire(new SyncPausedError('scan'))).toMatchObject({ status: 409, body: { error: 'conflict', message: expect.stringContaining('resume it first') } });
    expect(toWire(new SecretWriteRefused('there is no keychain here'))).toMatchObject({ status: 409, body: { error: 'conflict', message: 'there is no keychain here' } });
    expect(toWire(new AdminOpError(404, 'no such thing'))).toMatchObject({ status: 404, body: { error: 'not_found', message: 'no such thing' } });
    expect(toWire(new SettingsError('/x/settings.json', ['server.port: too big', 'sync.enabled: not a boolean']))).toMatchObject({
      status: 400, body: { error: 'bad_request', message: 'server.port: too big; sync.enabled: not a boolean' },
    });
    expect(toWire(new SettingsFileError('/x/settings.json', ['not valid JSON at line 3, column 1']))).toMatchObject({
      status: 409, body: { error: 'conflict', message: 'the settings file has errors; fix it first: not valid JSON at line 3, column 1' },
    });
  });

  it('answers Koa\'s errors by their status', () => {
    expect(toWire(createError(405, 'accepts GET only', { headers: { Allow: 'GET' } }))).toEqual({
      status: 405, body: { error: 'method_not_allowed', message: 'accepts GET only' }, headers: { Allow: 'GET' },
    });
    expect(toWire(createError(501, 'the PATCH method is not supported', { expose: true }))).toMatchObject({ status: 501, body: { error: 'not_implemented' } });
  });

  it('keeps anything unexpected inside, and logs it', async () => {
    const { log, lines } = capture();
    const wire = toWire(new Error('SQLITE_CORRUPT at /secret/path'), log, { op: 'sync.status' });
    expect(wire).toEqual({ status: 500, body: { error: 'internal_error', message: 'The agent failed to answer; its log has the details.' } });
    expect(toWire(createError(500, 'database locked')).body.error).toBe('internal_error');
    await new Promise((r) => setTimeout(r, 100));
    expect(lines).toMatchObject([{ level: 50, msg: 'request failed', op: 'sync.status' }]);
  });
});
