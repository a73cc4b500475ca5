// The API through the Carbon adapter against the simulator (100,000 subscribers), each in its own
// process: requests/s, p99 and Carbon calls per request, with a bare Koa baseline from the same run.
import { fork } from 'node:child_process';
import type autocannon from 'autocannon';
import { built, load, startChild, type LoadResult } from './lib.js';

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

export interface CarbonBench {
  subscribers: number;
  baseline: LoadResult;
  contracts: LoadResult & { carbonCallsPerRequest: number; ratio: number };
  auth: LoadResult & { carbonCallsPerRequest: number; ratio: number };
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
    const per = (calls: number, r: LoadResult) => Math.round((calls / Math.max(1, r.total)) * 100) / 100;
    const ratio = (r: LoadResult) => Math.round((r.requestsPerSec / baseline.requestsPerSec) * 1000) / 1000;
    return {
      subscribers,
      baseline,
      contracts: { ...c, carbonCallsPerRequest: per(cCalls, c), ratio: ratio(c) },
      auth: { ...a, carbonCallsPerRequest: per(aCalls, a), ratio: ratio(a) },
    };
  } finally {
    await api.stop();
    await sim.stop();
  }
}
