// The API through the Carbon adapter against the simulator (100,000 subscribers), each in its own
// process: requests/s, p99 and Carbon calls per request, with a bare Koa baseline from the same run.
import { fork, spawn } from 'node:child_process';
import type autocannon from 'autocannon';
import { GROUP_FIXTURE } from '../tools/carbon-sim/index.js';
import { built, load, ROOT, startChild, type LoadResult } from './lib.js';

interface SimChild {
  url: string;
  users: Array<{ login: string; password: string; abonent: number }>;
  calls(): Promise<number>;
  stop(): Promise<void>;
}

function startSim(subscribers: number): Promise<SimChild> {
  const child = fork(built('bench/carbon-sim-child.ts'), [String(subscribers)], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
    child.once('message', (msg) => {
      const { url, users } = msg as Pick<SimChild, 'url' | 'users'>;
      resolve({
        url,
        users,
        calls: () => new Promise((r) => {
          child.once('message', (m) => r((m as { calls: number }).calls));
          child.send('calls');
        }),
        stop: () => new Promise((r) => {
          child.removeAllListeners('exit');
          child.once('exit', () => r());
          child.kill('SIGTERM');
        }),
      });
    });
  });
}

/** Calls per request measured one request at a time, so none is cut off at the end of a load. */
interface Exact {
  carbonCallsPerRequestExact: number;
}

export interface CarbonBench {
  subscribers: number;
  baseline: LoadResult;
  contracts: LoadResult & Exact & { carbonCallsPerRequest: number; ratio: number };
  auth: LoadResult & Exact & { carbonCallsPerRequest: number; ratio: number };
  /** accounts: "group": a group's user, contracts and charges, mixed with plain subscribers' contracts. */
  groups: LoadResult & Exact & { carbonCallsPerRequest: number };
  /** The bulk scan of change detection through the adapter, in a process of its own. */
  scan: Record<string, number>;
}

/** Sends `count` requests one after another and divides the simulator's calls by them. */
async function exactCalls(sim: SimChild, base: string, request: (i: number) => { path: string; init?: RequestInit }, count = 200): Promise<number> {
  // Requests a load left in flight finish first, so their calls are not counted here.
  await new Promise((resolve) => setTimeout(resolve, 1_000));
  await sim.calls();
  for (let i = 0; i < count; i++) {
    const { path, init } = request(i);
    const res = await fetch(`${base}${path}`, init);
    await res.arrayBuffer();
  }
  return Math.round(((await sim.calls()) / count) * 100) / 100;
}

/** Runs the scan child against the simulator; its last stdout line is the figures. */
function runScan(url: string): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', built('bench/carbon-scan-child.ts'), url], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => {
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(stdout.trim().split('\n').pop() ?? '') as Record<string, number>);
      } catch (err) {
        reject(new Error(`the Carbon scan failed (${(err as Error).message}): ${stdout}`));
      }
    });
  });
}

export async function benchCarbon(subscribers = 100_000, durationSec = 8): Promise<CarbonBench> {
  const hello = await startChild('bench/server-child.ts', ['hello']);
  let baseline: LoadResult;
  try {
    await load({ url: hello.url, duration: 1 });
    baseline = await load({ url: hello.url, duration: durationSec });
  } finally {
    await hello.stop();
  }

  const sim = await startSim(subscribers);
  const api = await startChild('bench/server-child.ts', ['carbon', sim.url]);
  try {
    let n = 0;
    const next = () => sim.users[(n = (n + 1) % sim.users.length)]!;
    const contracts: autocannon.Request[] = [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/contracts?user_id=${next().abonent}` }) }];
    const auth: autocannon.Request[] = [{
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req) => {
        const u = next();
        return { ...req, path: '/api/auth', body: JSON.stringify({ login: u.login, pswd: u.password }) };
      },
    }];
    await load({ url: api.url, duration: 1, requests: contracts });
    await sim.calls();
    const c = await load({ url: api.url, duration: durationSec, requests: contracts });
    const cCalls = await sim.calls();
    const a = await load({ url: api.url, duration: durationSec, requests: auth });
    const aCalls = await sim.calls();
    const cExact = await exactCalls(sim, api.url, (i) => ({ path: `/api/contracts?user_id=${sim.users[i % sim.users.length]!.abonent}` }));
    const aExact = await exactCalls(sim, api.url, (i) => {
      const u = sim.users[i % sim.users.length]!;
      return { path: '/api/auth', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ login: u.login, pswd: u.password }) } };
    });
    const per = (calls: number, r: LoadResult) => Math.round((calls / Math.max(1, r.total)) * 100) / 100;
    const ratio = (r: LoadResult) => Math.round((r.requestsPerSec / baseline.requestsPerSec) * 1000) / 1000;

    const grouped = await startChild('bench/server-child.ts', ['carbon-group', sim.url]);
    let g: LoadResult;
    let gCalls: number;
    let gExact: number;
    try {
      const group = GROUP_FIXTURE.group.pk;
      const paths = [`/api/users?user_id=${group}`, `/api/contracts?user_id=${group}`, `/api/charges?user_id=${group}`];
      const pathOf = (k: number) => (k % 4 === 3 ? `/api/contracts?user_id=${sim.users[k % sim.users.length]!.abonent}` : paths[k % 4]!);
      let k = 0;
      const mixed: autocannon.Request[] = [{ method: 'GET', setupRequest: (req) => ({ ...req, path: pathOf(k++) }) }];
      await load({ url: grouped.url, duration: 1, requests: mixed });
      await sim.calls();
      g = await load({ url: grouped.url, duration: durationSec, requests: mixed });
      gCalls = await sim.calls();
      gExact = await exactCalls(sim, grouped.url, (i) => ({ path: pathOf(i) }));
    } finally {
      await grouped.stop();
    }
    const scan = await runScan(sim.url);
    return {
      subscribers,
      baseline,
      contracts: { ...c, carbonCallsPerRequest: per(cCalls, c), carbonCallsPerRequestExact: cExact, ratio: ratio(c) },
      auth: { ...a, carbonCallsPerRequest: per(aCalls, a), carbonCallsPerRequestExact: aExact, ratio: ratio(a) },
      groups: { ...g, carbonCallsPerRequest: per(gCalls, g), carbonCallsPerRequestExact: gExact },
      scan,
    };
  } finally {
    await api.stop();
    await sim.stop();
  }
}
