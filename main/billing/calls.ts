// What the agent costs the billing: every exchange with the billing server is counted by why it
// was made, so status and /metrics can show the load of the scan apart from core's requests.
// The purpose travels with the async context (the scan runs inside asPurpose('scan')), so the
// adapters need not pass it through every call.
import { AsyncLocalStorage } from 'node:async_hooks';

/** scan: change detection (full scans, "send everything"); request: Data Provider requests and the operator's lookups and checks. */
export const CALL_PURPOSES = ['scan', 'request'] as const;
export type CallPurpose = (typeof CALL_PURPOSES)[number];
export type CallCounts = Record<CallPurpose, number>;

const purpose = new AsyncLocalStorage<CallPurpose>();

/** Runs fn with every billing call it makes counted under `p`. */
export function asPurpose<T>(p: CallPurpose, fn: () => T): T {
  return purpose.run(p, fn);
}

const WINDOW_S = 60;

/** Counts billing calls by purpose: totals for /metrics, and a sliding minute for status. */
export class BillingCalls {
  private readonly totals: CallCounts = { scan: 0, request: 0 };
  /** One bucket a second over the last minute; a bucket whose second has passed is reused. */
  private readonly seconds = Array.from({ length: WINDOW_S }, () => ({ at: -1, scan: 0, request: 0 }));

  constructor(private readonly now: () => number = Date.now) {}

  /** One exchange with the billing, counted under the purpose of the context it runs in. */
  count(): void {
    const p = purpose.getStore() ?? 'request';
    this.totals[p] += 1;
    const second = Math.floor(this.now() / 1000);
    const bucket = this.seconds[second % WINDOW_S]!;
    if (bucket.at !== second) Object.assign(bucket, { at: second, scan: 0, request: 0 });
    bucket[p] += 1;
  }

  /** Calls since the agent started. */
  total(): CallCounts {
    return { ...this.totals };
  }

  /** Calls in the last 60 s: the billing's load per minute. */
  lastMinute(): CallCounts {
    const second = Math.floor(this.now() / 1000);
    const sum: CallCounts = { scan: 0, request: 0 };
    for (const b of this.seconds) {
      if (b.at > second - WINDOW_S && b.at <= second) {
        sum.scan += b.scan;
        sum.request += b.request;
      }
    }
    return sum;
  }
}
