// The public API under load against a bare Koa "hello" server measured in the same run.
import type autocannon from 'autocannon';
import { load, loadChild, startChild, type LoadResult } from './lib.js';
import { SYNTHETIC_FIRST_USER_ID } from '../main/billing/demo/generate.js';

type Measured = LoadResult & { serverCpuUsPerRequest: number | null };

export interface ApiBench {
  subscribers: number;
  baseline: Measured;
  contracts: Measured;
  ratio: number;
  /** Server CPU per request, the API's over the baseline's (lower is better). */
  cpuRatio: number | null;
  targets: { ratioAtLeast: number; p99MsUnder: number; met: boolean };
}

export async function benchApi(subscribers = 100_000, durationSec = 8): Promise<ApiBench> {
  const hello = await startChild('bench/server-child.ts', ['hello']);
  let baseline: Measured;
  // The baseline's client builds every request the same way as the API's (a new path each time),
  // so the two runs differ only on the server side.
  let b = 0;
  const helloRequests: autocannon.Request[] = [{
    method: 'GET',
    setupRequest: (req) => {
      b = (b * 7919 + 104_729) % subscribers;
      return { ...req, path: `/hello?user_id=${SYNTHETIC_FIRST_USER_ID + b}` };
    },
  }];
  try {
    await load({ url: hello.url, duration: 1, requests: helloRequests }); // warm-up
    baseline = await loadChild(hello, { url: hello.url, duration: durationSec, requests: helloRequests });
  } finally {
    await hello.stop();
  }

  const api = await startChild('bench/server-child.ts', ['api', String(subscribers)]);
  let contracts: Measured;
  try {
    // Every request asks for a different subscriber, spread over all of them.
    let n = 0;
    const requests: autocannon.Request[] = [{
      method: 'GET',
      setupRequest: (req) => {
        n = (n * 7919 + 104_729) % subscribers;
        return { ...req, path: `/api/contracts?user_id=${SYNTHETIC_FIRST_USER_ID + n}` };
      },
    }];
    await load({ url: api.url, duration: 1, requests }); // warm-up
    contracts = await loadChild(api, { url: api.url, duration: durationSec, requests });
  } finally {
    await api.stop();
  }
  const ratio = Math.round((contracts.requestsPerSec / baseline.requestsPerSec) * 1000) / 1000;
  return {
    subscribers,
    baseline,
    contracts,
    ratio,
    cpuRatio: contracts.serverCpuUsPerRequest && baseline.serverCpuUsPerRequest
      ? Math.round((contracts.serverCpuUsPerRequest / baseline.serverCpuUsPerRequest) * 100) / 100 : null,
    targets: { ratioAtLeast: 0.5, p99MsUnder: 10, met: ratio >= 0.5 && contracts.p99Ms < 10 && contracts.non2xx === 0 && contracts.errors === 0 },
  };
}
