// The public API under load against a bare Koa "hello" server measured in the same run. Both
// servers run side by side and are loaded in short turns, in pairs: a slow spell on this shared
// machine then hits both halves of a pair, and the figures are the medians of the pairs.
import type autocannon from 'autocannon';
import { load, loadChild, startChild, type LoadResult } from './lib.js';
import { SYNTHETIC_FIRST_USER_ID } from '../main/billing/demo/generate.js';

type Measured = LoadResult & { serverCpuUsPerRequest: number | null };

export interface ApiBench {
  subscribers: number;
  rounds: number;
  baseline: Measured;
  contracts: Measured;
  /** The API's requests/s over the baseline's: the median of the rounds' ratios. */
  ratio: number;
  roundRatios: number[];
  /** Server CPU per request, the API's over the baseline's (lower is better). */
  cpuRatio: number | null;
  /** The slowest round's p99, shown beside the median so a slow spell is not hidden. */
  worstRoundP99Ms: number;
  targets: { ratioAtLeast: number; p99MsUnder: number; met: boolean };
}

/** Every request asks for a different subscriber, spread over all of them; the baseline's client builds the same paths. */
function spreadRequests(pathname: string, subscribers: number): autocannon.Request[] {
  let n = 0;
  return [{
    method: 'GET',
    setupRequest: (req) => {
      n = (n * 7919 + 104_729) % subscribers;
      return { ...req, path: `${pathname}?user_id=${SYNTHETIC_FIRST_USER_ID + n}` };
    },
  }];
}

export async function benchApi(subscribers = 100_000, rounds = 9, roundSec = 2): Promise<ApiBench> {
  const hello = await startChild('bench/server-child.ts', ['hello']);
  const api = await startChild('bench/server-child.ts', ['api', String(subscribers)]).catch(async (err: unknown) => {
    await hello.stop();
    throw err;
  });
  const helloRequests = spreadRequests('/hello', subscribers);
  const apiRequests = spreadRequests('/api/contracts', subscribers);
  const baselines: Measured[] = [];
  const results: Measured[] = [];
  try {
    await load({ url: hello.url, duration: 1, requests: helloRequests }); // warm-up
    await load({ url: api.url, duration: 1, requests: apiRequests });
    for (let r = 0; r < rounds; r++) {
      // Which server goes first alternates, so a slow spell does not always fall on the same one.
      const runHello = () => loadChild(hello, { url: hello.url, duration: roundSec, requests: helloRequests });
      const runApi = () => loadChild(api, { url: api.url, duration: roundSec, requests: apiRequests });
      if (r % 2 === 0) {
        baselines.push(await runHello());
        results.push(await runApi());
      } else {
        results.push(await runApi());
        baselines.push(await runHello());
      }
    }
  } finally {
    await Promise.all([hello.stop(), api.stop()]);
  }
  const roundRatios = results.map((m, i) => round(m.requestsPerSec / baselines[i]!.requestsPerSec, 3));
  const ratio = median(roundRatios);
  const baseline = medianRun(baselines);
  const contracts = medianRun(results);
  return {
    subscribers,
    rounds,
    baseline,
    contracts,
    ratio,
    roundRatios,
    cpuRatio: contracts.serverCpuUsPerRequest && baseline.serverCpuUsPerRequest
      ? round(contracts.serverCpuUsPerRequest / baseline.serverCpuUsPerRequest, 2) : null,
    worstRoundP99Ms: Math.max(...results.map((m) => m.p99Ms)),
    targets: {
      ratioAtLeast: 0.5,
      p99MsUnder: 10,
      met: ratio >= 0.5 && contracts.p99Ms < 10 && contracts.non2xx === 0 && contracts.errors === 0,
    },
  };
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Each figure's median over the rounds; errors and non-2xx answers are summed, so none is hidden. */
function medianRun(runs: Measured[]): Measured {
  const cpu = runs.map((m) => m.serverCpuUsPerRequest).filter((v): v is number => v !== null);
  return {
    requestsPerSec: median(runs.map((m) => m.requestsPerSec)),
    p50Ms: median(runs.map((m) => m.p50Ms)),
    p99Ms: median(runs.map((m) => m.p99Ms)),
    errors: runs.reduce((n, m) => n + m.errors, 0),
    non2xx: runs.reduce((n, m) => n + m.non2xx, 0),
    total: runs.reduce((n, m) => n + m.total, 0),
    serverCpuUsPerRequest: cpu.length === runs.length ? median(cpu) : null,
  };
}
