// Every answer of every endpoint, for every demo subscriber, and every error the API gives, checked
// against the OpenAPI document (docs/openapi.json as generated): the status must be declared for
// the operation, the body must validate against its schema, documented headers must be there.
// At the end every status the document declares must have been answered at least once.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { CONTRACTS, USERS } from '../../main/billing/demo/fixtures.js';
import { BillingDataError } from '../../main/billing/source.js';
import { openState, type State } from '../../main/state/index.js';
import { failingBilling, rawRequest } from '../../tools/openapi/examples.js';
import { generateOpenApiJson } from '../../tools/openapi/index.js';
import { PasswordGuard } from '../../main/security/password-guard.js';
import { request, type TestRequest, type TestResponse } from '../helpers/http.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { ResponseChecker } from '../helpers/openapi.js';

const NOW = new Date('2026-11-23T12:00:00Z');
let checker: ResponseChecker;
const apis: Record<string, TestApi> = {};
let guardState: State;
let guard: PasswordGuard;

const failing = (error: () => Error) => failingBilling(new DemoBilling(), error);
const raw = (api: string, payload: string) => rawRequest(apis[api]!.url, payload);

beforeAll(async () => {
  checker = new ResponseChecker(JSON.parse(await generateOpenApiJson()) as Record<string, unknown>);
  const outage = new DemoBilling({ now: () => NOW });
  outage.outage = true;
  guardState = openState(':memory:');
  guard = new PasswordGuard(guardState.lockouts, () => ({ maxFailures: 5, windowMinutes: 15, lockMinutes: 15, checksPerMinute: 1 }), { now: () => NOW.getTime() });
  const made = await Promise.all([
    ['plain', startTestApi({ billing: new DemoBilling({ now: () => NOW }) })],
    ['credentials', startTestApi({ inboundAuth: { mode: 'bearer', login: '', secret: 'core-token' } })],
    ['refusing', startTestApi({ access: { allowlist: ['10.0.0.0/8'] } })],
    ['busy', startTestApi({ maxConcurrent: 0 })],
    ['outage', startTestApi({ billing: outage })],
    ['bad-data', startTestApi({ billing: failing(() => new BillingDataError('balance "12,5O" is not an amount')) })],
    ['failing', startTestApi({ billing: failing(() => new TypeError('x is undefined')) })],
    ['capped', startTestApi({ passwordGuard: guard })],
    ['slow', startTestApi({ headersTimeoutMs: 100 })],
  ].map(async ([name, api]) => [name, await api] as const));
  for (const [name, api] of made) apis[name as string] = api as TestApi;
});
afterAll(async () => {
  await Promise.all(Object.values(apis).map((a) => a.close()));
  guard.close();
  guardState.close();
});

/** Sends the request to the named API and expects the status and an answer the document allows. */
async function expectAnswer(api: string, req: TestRequest, status: number): Promise<TestResponse> {
  const res = await request(apis[api]!.url, req);
  const method = req.method ?? 'GET';
  expect({ request: `${method} ${req.path}`, status: res.status }).toEqual({ request: `${method} ${req.path}`, status });
  expect(checker.check(method, req.path, res)).toEqual([]);
  return res;
}

const json = { 'content-type': 'application/json' };

describe('every demo subscriber, at every endpoint', () => {
  it.each(USERS.map((u) => [u.login, u] as const))('subscriber %s', async (_login, u) => {
    await expectAnswer('plain', { method: 'POST', path: '/api/auth', body: { login: u.login, pswd: u.password } }, 200);
    await expectAnswer('plain', { method: 'POST', path: '/api/auth', body: { login: u.login, pswd: `${u.password}-wrong` } }, 401);
    await expectAnswer('plain', { path: `/api/users?user_id=${u.id}` }, 200);
    await expectAnswer('plain', { path: `/api/contracts?user_id=${u.id}` }, 200);
    for (const c of CONTRACTS.filter((c) => c.userId === u.id)) await expectAnswer('plain', { path: `/api/contracts?id=${c.id}` }, 200);
    await expectAnswer('plain', { path: `/api/charges?user_id=${u.id}` }, 200);
    await expectAnswer('plain', { path: `/api/charges?user_id=${u.id}&limit=1` }, 200);
    await expectAnswer('plain', { path: `/api/charges?user_id=${u.id}&limit=100000` }, 200);
  });

  it('the catalogues', async () => {
    await expectAnswer('plain', { path: '/api/services' }, 200);
    await expectAnswer('plain', { path: '/api/tariffs' }, 200);
  });
});

describe('the errors of each endpoint', () => {
  it.each([
    ['missing field', { method: 'POST', path: '/api/auth', body: { login: '1595' } }, 400],
    ['wrong types', { method: 'POST', path: '/api/auth', body: { login: 1595, pswd: true } }, 400],
    ['empty body', { method: 'POST', path: '/api/auth', body: '', headers: json }, 400],
    ['broken JSON', { method: 'POST', path: '/api/auth', body: '{"login":', headers: json }, 400],
    ['a form', { method: 'POST', path: '/api/auth', body: 'login=1595&pswd=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } }, 415],
    ['compressed', { method: 'POST', path: '/api/auth', body: '{}', headers: { ...json, 'content-encoding': 'gzip' } }, 415],
    ['over 16 KiB', { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'x'.repeat(17_000) } }, 413],
    ['no user_id', { path: '/api/users' }, 400],
    ['empty user_id', { path: '/api/users?user_id=' }, 400],
    ['unknown user', { path: '/api/users?user_id=99999999' }, 404],
    ['neither id', { path: '/api/contracts' }, 400],
    ['both ids', { path: '/api/contracts?user_id=58208891&id=12331231' }, 400],
    ['unknown contract', { path: '/api/contracts?id=99999999' }, 404],
    ['contracts of an unknown user', { path: '/api/contracts?user_id=99999999' }, 404],
    ['charges without user_id', { path: '/api/charges' }, 400],
    ['limit 0', { path: '/api/charges?user_id=58208891&limit=0' }, 400],
    ['limit not a number', { path: '/api/charges?user_id=58208891&limit=ten' }, 400],
    ['charges of an unknown user', { path: '/api/charges?user_id=99999999' }, 404],
  ] as Array<[string, TestRequest, number]>)('%s', async (_name, req, status) => {
    await expectAnswer('plain', req, status);
  });

  it('too many password checks at once: 429 with Retry-After', async () => {
    await expectAnswer('capped', { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'Zh4nna-1595' } }, 200);
    const res = await expectAnswer('capped', { method: 'POST', path: '/api/auth', body: { login: '2048', pswd: 'ivanov2048' } }, 429);
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

/** One valid request for each operation of the document. */
const EACH_OPERATION: TestRequest[] = [
  { method: 'POST', path: '/api/auth', body: { login: '1595', pswd: 'Zh4nna-1595' } },
  { path: '/api/users?user_id=58208891' },
  { path: '/api/contracts?user_id=58208891' },
  { path: '/api/services' },
  { path: '/api/tariffs' },
  { path: '/api/charges?user_id=58208891&limit=3' },
];

describe('what every endpoint can answer', () => {
  it('covers each operation of the document', () => {
    expect(EACH_OPERATION.map((r) => checker.operation(r.method ?? 'GET', r.path)?.key).sort())
      .toEqual(checker.declared().map((d) => d.split(' ').slice(0, 2).join(' ')).filter((k, i, all) => all.indexOf(k) === i).sort());
  });

  it.each(EACH_OPERATION.map((r) => [`${r.method ?? 'GET'} ${r.path}`, r] as const))('%s', async (_name, req) => {
    const unauthorized = await expectAnswer('credentials', req, 401);
    expect(unauthorized.headers['www-authenticate']).toBe('Bearer');
    await expectAnswer('credentials', { ...req, headers: { authorization: 'Bearer core-token' } }, 200);
    await expectAnswer('refusing', req, 403);
    await expectAnswer('plain', { ...req, headers: { origin: 'https://example.net' } }, 403);
    await expectAnswer('plain', { ...req, headers: { host: 'rebound.example:8080' } }, 421);
    expect((await expectAnswer('busy', req, 503)).headers['retry-after']).toBe('1');
    expect((await expectAnswer('outage', req, 503)).headers['retry-after']).toBe('30');
    await expectAnswer('bad-data', req, 502);
    await expectAnswer('failing', req, 500);
    const path = req.path;
    const method = req.method ?? 'GET';
    const huge = await raw('plain', `${method} ${path} HTTP/1.1\r\nHost: agent\r\nX-Padding: ${'a'.repeat(17 * 1024)}\r\n\r\n`);
    expect(huge.status).toBe(431);
    expect(checker.check(method, path, huge)).toEqual([]);
    const slow = await raw('slow', `${method} ${path} HTTP/1.1\r\nHost: agent\r\n`);
    expect(slow.status).toBe(408);
    expect(checker.check(method, path, slow)).toEqual([]);
  });

  it('a method the document does not declare: 405 with exactly the declared methods in Allow', async () => {
    for (const pathKey of Object.keys(checker.doc.paths as object)) {
      const declared = checker.methodsOf(pathKey);
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !declared.includes(m))) {
        const res = await request(apis.plain!.url, { method, path: pathKey });
        expect({ method, pathKey, status: res.status }).toEqual({ method, pathKey, status: 405 });
        expect(String(res.headers.allow).split(', ').sort()).toEqual([...declared].sort());
        expect(checker.validate('#/components/schemas/ErrorBody', res.json)).toEqual([]);
      }
      const options = await request(apis.plain!.url, { method: 'OPTIONS', path: pathKey });
      expect(options.status).toBe(200);
      expect(String(options.headers.allow).split(', ').sort()).toEqual([...declared].sort());
    }
  });

  it('a path the document does not have: 404 with the error body', async () => {
    const res = await request(apis.plain!.url, { path: '/api/subscribers' });
    expect(res.status).toBe(404);
    expect(checker.validate('#/components/schemas/ErrorBody', res.json)).toEqual([]);
  });
});

describe('random requests to the documented operations', () => {
  it('get only answers the document declares, in its shapes', async () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('58208891', '58208893', '12331231', '12331260', '0', '-1', '1e3', '', ' ', '9'.repeat(200)));
    const query = fc.array(fc.tuple(fc.constantFrom('user_id', 'id', 'limit', 'x'), value), { maxLength: 3 })
      .map((pairs) => pairs.map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('&'));
    const body = fc.oneof(
      fc.constant(undefined),
      fc.json({ maxDepth: 2 }),
      fc.record({ login: fc.oneof(fc.string(), fc.integer(), fc.constantFrom('1595', '3112')), pswd: fc.oneof(fc.string(), fc.constantFrom('Zh4nna-1595', 'Anna.3112')) }).map((o) => JSON.stringify(o)),
    );
    const target = fc.constantFrom(...EACH_OPERATION.map((r) => ({ method: r.method ?? 'GET', path: r.path.split('?')[0]! })));
    const casing = fc.constantFrom((p: string) => p, (p: string) => p.toUpperCase(), (p: string) => `${p}/`);
    await fc.assert(
      fc.asyncProperty(target, casing, query, body, fc.constantFrom(undefined, 'application/json', 'text/plain'), async (t, shape, q, b, type) => {
        const path = `${shape(t.path)}${q ? `?${q}` : ''}`;
        const res = await request(apis.plain!.url, { method: t.method, path, body: t.method === 'POST' ? b : undefined, headers: type ? { 'content-type': type } : {} });
        expect(checker.check(t.method, path, res)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('the document against the answers', () => {
  it('every status it declares for an operation was answered above', () => {
    expect(checker.declared().filter((d) => !checker.seen.has(d))).toEqual([]);
  });
});
