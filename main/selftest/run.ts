// The self-test: calls the agent's public API over HTTP the way core does, for a sample of
// subscribers, and holds every answer to the shared/ schemas and the spec's rules. Nothing it
// reads is kept or printed beyond ids: the passwords /api/users answers are used for one
// /api/auth check each and dropped.
import { randomBytes } from 'node:crypto';
import pLimit from 'p-limit';
import type { SelfTestCheck, SelfTestReport } from '../../shared/admin.js';
import {
  AuthResponse, ChargesResponse, ContractsResponse, ErrorBody, ServicesResponse, TariffsResponse, UsersResponse,
  type Charge, type Contract, type Tariff, type User,
} from '../../shared/data-provider.js';
import { firstOutOfOrder, periodOrder, sameJson, schemaProblem } from './checks.js';
import { ApiCallError, createApiCaller, type ApiAnswer, type ApiCaller, type ApiCallerOptions } from './http.js';

export interface SelfTestOptions extends ApiCallerOptions {
  userIds: string[];
  /** Users whose password check is tried (right, wrong, right again so no failure is left counted). */
  authChecks?: number;
  /** Subscribers tested at once. */
  concurrency?: number;
  now?: () => number;
}

export const CHECK = {
  reach: 'the API answers',
  services: 'services: schema',
  tariffs: 'tariffs: schema',
  tariffServices: 'tariffs: their services are listed',
  user: 'users: schema and id',
  contracts: 'contracts of a user: schema',
  contractTariffs: 'contracts: their tariffs are listed',
  roundTrip: 'contracts?id= gives the same contract',
  charges: 'charges: schema',
  sorted: 'charges: newest first',
  accounts: 'charges: accounts of the user\'s contracts',
  limit1: 'charges: limit=1 is the newest',
  authOwn: 'auth: own login and password give the user\'s id',
  authWrong: 'auth: a wrong password is 401',
  unknown: 'unknown ids: 404 JSON',
  missing: 'missing parameters: 400 JSON',
} as const;

export async function runSelfTest(o: SelfTestOptions): Promise<SelfTestReport> {
  const now = o.now ?? Date.now;
  const startedAt = now();
  const started = performance.now();
  const api = createApiCaller(o);
  const checks: SelfTestCheck[] = [];
  const check = (name: string, ok: boolean, detail: string, subject: string | null = null) => checks.push({ name, ok, detail, subject });
  const from = o.localAddress ?? 'this machine';
  let stoppedBecause: string | null = null;
  try {
    const first = await reach(api, o.baseUrl, from);
    if (typeof first === 'string') {
      stoppedBecause = first;
      check(CHECK.reach, false, first);
    } else {
      check(CHECK.reach, true, `GET /api/services answered HTTP ${first.status} to ${from}`);
      const services = catalogue(CHECK.services, ServicesResponse, first, check) as Array<{ id: string }> | null;
      const tariffs = catalogue(CHECK.tariffs, TariffsResponse, await api.call('GET', '/api/tariffs'), check) as Tariff[] | null;
      if (services && tariffs) {
        const known = new Set(services.map((s) => s.id));
        const missing = tariffs.flatMap((t) => t.services.filter((s) => !known.has(s.id)).map((s) => `${s.id} (tariff ${t.id})`));
        check(CHECK.tariffServices, missing.length === 0, missing.length === 0 ? `${tariffs.length} tariffs` : `not in /api/services: ${missing.slice(0, 5).join(', ')}`);
      }
      const tariffIds = tariffs ? new Set(tariffs.map((t) => t.id)) : null;
      const limit = pLimit(o.concurrency ?? 4);
      let authLeft = o.authChecks ?? 5;
      await Promise.all(o.userIds.map((id) => limit(async () => {
        const user = await subscriber(api, id, tariffIds, check);
        // Only a few password checks: each one reaches the billing and counts against its limits.
        if (user && user.password !== '' && authLeft > 0) {
          authLeft--;
          await passwordChecks(api, user, check);
        }
      })));
      await errorAnswers(api, check);
    }
  } catch (err) {
    // The API stopped answering part way (agent stopping, billing guard): say so, keep what was found.
    stoppedBecause = `the API stopped answering: ${(err as Error).message}`;
    check(CHECK.reach, false, stoppedBecause);
  } finally {
    api.close();
  }
  const failed = checks.filter((c) => !c.ok).length;
  const passed = checks.length - failed;
  return {
    ok: failed === 0,
    apiUrl: o.baseUrl,
    from,
    startedAt: new Date(startedAt).toISOString(),
    durationMs: Math.round(performance.now() - started),
    sampled: o.userIds,
    requests: api.requests,
    passed,
    failed,
    checks,
    stoppedBecause,
    message: stoppedBecause !== null
      ? `The self-test could not run: ${stoppedBecause}`
      : failed === 0
        ? `All ${passed} checks passed for ${o.userIds.length} subscribers (${api.requests} requests).`
        : `${failed} of ${checks.length} checks failed for ${o.userIds.length} subscribers: core would get wrong answers.`,
  };
}

type Check = (name: string, ok: boolean, detail: string, subject?: string | null) => void;

/** The first call, or why the API cannot be tested at all. */
async function reach(api: ApiCaller, url: string, from: string): Promise<ApiAnswer | string> {
  let answer: ApiAnswer;
  try {
    answer = await api.call('GET', '/api/services');
  } catch (err) {
    const code = err instanceof ApiCallError ? err.code : undefined;
    if (code === 'ECONNREFUSED') return `nothing answers at ${url} (connection refused): is the API listening there?`;
    return `${url} cannot be reached from ${from}: ${(err as Error).message}`;
  }
  if (answer.status === 403) {
    return `the allowlist refuses ${from} (HTTP 403), so the API cannot be called from this machine the way core calls it. `
      + `Add ${from} to server.allowlist to run the self-test (the dashboard's Access page), or test from core's side.`;
  }
  if (answer.status === 401) return 'the API asks for core\'s credential (server.inboundAuth) and the api-token secret is not set or not accepted';
  if (answer.status === 429 || answer.status === 503) return `the API is busy or the billing is unavailable (HTTP ${answer.status}); try again shortly`;
  return answer;
}

function isJson(a: ApiAnswer): boolean {
  return a.contentType.startsWith('application/json') && a.json !== undefined;
}

function catalogue(name: string, schema: typeof ServicesResponse | typeof TariffsResponse, a: ApiAnswer, check: Check): unknown[] | null {
  if (a.status !== 200 || !isJson(a)) {
    check(name, false, `HTTP ${a.status} (${a.contentType || 'no content type'}), expected 200 JSON`);
    return null;
  }
  const problem = schemaProblem(schema, a.json);
  check(name, problem === null, problem ?? `${(a.json as unknown[]).length} entries`);
  return problem === null ? (a.json as unknown[]) : null;
}

/** users, contracts (both ways), charges (with limit=1) for one subscriber; returns the user for the auth checks. */
async function subscriber(api: ApiCaller, id: string, tariffIds: Set<string> | null, check: Check): Promise<User | null> {
  const who = `user ${id}`;
  const q = encodeURIComponent(id);
  const u = await api.call('GET', `/api/users?user_id=${q}`);
  let user: User | null = null;
  if (u.status !== 200 || !isJson(u)) {
    check(CHECK.user, false, `HTTP ${u.status}, expected 200 JSON`, who);
  } else {
    const problem = schemaProblem(UsersResponse, u.json);
    const answered = problem === null ? (u.json as User[])[0]!.ext_user_id : null;
    const ok = problem === null && answered === id;
    check(CHECK.user, ok, problem ?? (ok ? 'one user, the one asked for' : `answered user ${answered}`), who);
    if (ok) user = (u.json as User[])[0]!;
  }

  const c = await api.call('GET', `/api/contracts?user_id=${q}`);
  let contracts: Contract[] = [];
  if (c.status === 404 && isJson(c) && schemaProblem(ErrorBody, c.json) === null) {
    check(CHECK.contracts, true, 'no contracts (404, as the spec says for none)', who);
  } else if (c.status !== 200 || !isJson(c)) {
    check(CHECK.contracts, false, `HTTP ${c.status}, expected 200 JSON`, who);
  } else {
    const problem = schemaProblem(ContractsResponse, c.json);
    check(CHECK.contracts, problem === null, problem ?? `${(c.json as unknown[]).length} contracts`, who);
    if (problem === null) contracts = c.json as Contract[];
  }
  if (tariffIds && contracts.length > 0) {
    const unknown = contracts.flatMap((x) => x.tariffs.filter((t) => !tariffIds.has(t.id)).map((t) => `${t.id} (contract ${x.ext_id})`));
    check(CHECK.contractTariffs, unknown.length === 0, unknown.length === 0 ? 'every tariff is in /api/tariffs' : `not in /api/tariffs: ${unknown.join(', ')}`, who);
  }
  for (const contract of contracts) {
    const one = await api.call('GET', `/api/contracts?id=${encodeURIComponent(contract.ext_id)}`);
    const list = one.json as Contract[];
    const ok = one.status === 200 && isJson(one) && Array.isArray(list) && list.length === 1 && sameJson(list[0], contract);
    check(CHECK.roundTrip, ok, ok ? 'the same contract' : one.status !== 200 ? `HTTP ${one.status}` : 'differs from the one in the user\'s list', `contract ${contract.ext_id}`);
  }

  const all = await api.call('GET', `/api/charges?user_id=${q}`);
  if (all.status !== 200 || !isJson(all)) {
    check(CHECK.charges, false, `HTTP ${all.status}, expected 200 JSON`, who);
    return user;
  }
  const problem = schemaProblem(ChargesResponse, all.json);
  check(CHECK.charges, problem === null, problem ?? `${(all.json as unknown[]).length} charges`, who);
  if (problem !== null) return user;
  const charges = all.json as Charge[];
  const wrong = firstOutOfOrder(charges);
  check(CHECK.sorted, wrong < 0, wrong < 0 ? 'sorted by period, newest first' : `charge ${wrong} (${charges[wrong]!.period}) is newer than the one before it (${charges[wrong - 1]!.period})`, who);
  if (contracts.length > 0) {
    const accounts = new Set(contracts.map((x) => x.account));
    const strange = [...new Set(charges.map((x) => x.account).filter((a) => !accounts.has(a)))];
    check(CHECK.accounts, strange.length === 0, strange.length === 0 ? 'every charge names one of the user\'s contracts' : `accounts not among the user's contracts: ${strange.join(', ')}`, who);
  }
  // Compared with the newest by period, so an unsorted full list does not hide a wrong answer.
  const top = Math.max(...charges.map((x) => periodOrder(x.period)));
  const newest = await api.call('GET', `/api/charges?user_id=${q}&limit=1`);
  const one = newest.json as Charge[];
  const ok = newest.status === 200 && Array.isArray(one) && one.length === Math.min(1, charges.length)
    && (charges.length === 0 || (periodOrder(one[0]!.period) === top && charges.some((x) => sameJson(x, one[0]))));
  const wrongAnswer = () => (!Array.isArray(one) ? 'not a list' : one.length !== Math.min(1, charges.length) ? `${one.length} charges` : `a charge of ${one[0]!.period}, not the newest`);
  check(CHECK.limit1, ok, ok ? (charges.length === 0 ? 'no charges' : 'one charge, the newest') : newest.status !== 200 ? `HTTP ${newest.status}` : `answered ${wrongAnswer()}`, who);
  return user;
}

async function passwordChecks(api: ApiCaller, user: User, check: Check): Promise<void> {
  const who = `user ${user.ext_user_id}`;
  const right = await api.call('POST', '/api/auth', { login: user.login, pswd: user.password });
  if (right.status === 200 && schemaProblem(AuthResponse, right.json) === null) {
    const id = (right.json as { ext_user_id: string }).ext_user_id;
    check(CHECK.authOwn, id === user.ext_user_id, id === user.ext_user_id ? 'HTTP 200 with the user\'s id' : `answered user ${id}: another user has the same login`, who);
  } else {
    check(CHECK.authOwn, false, right.status === 429
      ? 'HTTP 429: too many password checks this minute (security.passwordChecksPerMinute); try again in a minute'
      : `HTTP ${right.status}${right.status === 401 ? ': refused (or the login is locked after wrong passwords: billing-bridge security status)' : ''}`, who);
    return;
  }
  const wrong = await api.call('POST', '/api/auth', { login: user.login, pswd: `${user.password}-not-${randomBytes(3).toString('hex')}` });
  const ok = wrong.status === 401 && isJson(wrong) && schemaProblem(ErrorBody, wrong.json) === null;
  check(CHECK.authWrong, ok, ok ? 'HTTP 401 with a JSON error' : `HTTP ${wrong.status}`, who);
  // A right password again, so the wrong one is not left counting towards a lockout.
  await api.call('POST', '/api/auth', { login: user.login, pswd: user.password });
}

async function errorAnswers(api: ApiCaller, check: Check): Promise<void> {
  const unknown = `selftest-${randomBytes(4).toString('hex')}`;
  const numeric = `9${String(Date.now()).slice(-8)}${Math.floor(Math.random() * 1e6)}`;
  for (const path of [
    `/api/users?user_id=${unknown}`, `/api/users?user_id=${numeric}`, `/api/contracts?id=${unknown}`,
    `/api/contracts?user_id=${unknown}`, `/api/charges?user_id=${unknown}`,
  ]) {
    const a = await api.call('GET', path);
    const ok = a.status === 404 && isJson(a) && schemaProblem(ErrorBody, a.json) === null;
    check(CHECK.unknown, ok, ok ? 'HTTP 404 with a JSON error' : `HTTP ${a.status}${isJson(a) ? '' : ', not JSON'}, expected 404 JSON`, `GET ${path.replace(/=.*/, '=<unknown>')}`);
  }
  const missing: Array<[('GET' | 'POST'), string, unknown]> = [
    ['GET', '/api/users', undefined], ['GET', '/api/contracts', undefined], ['GET', '/api/charges', undefined], ['POST', '/api/auth', {}],
  ];
  for (const [method, path, body] of missing) {
    const a = await api.call(method, path, body);
    const ok = a.status === 400 && isJson(a) && schemaProblem(ErrorBody, a.json) === null;
    check(CHECK.missing, ok, ok ? 'HTTP 400 with a JSON error' : `HTTP ${a.status}${isJson(a) ? '' : ', not JSON'}, expected 400 JSON`, `${method} ${path}`);
  }
}
