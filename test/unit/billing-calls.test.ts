// The tally of calls at the billing server: counted under the purpose of the context that makes
// them, and the last minute as a sliding window.
import { describe, expect, it } from 'vitest';
import { asPurpose, BillingCalls } from '../../main/billing/calls.js';

describe('BillingCalls', () => {
  it('counts a call under the purpose of its async context, request when none', async () => {
    const calls = new BillingCalls();
    calls.count();
    await asPurpose('scan', async () => {
      await new Promise((r) => setTimeout(r, 1));
      calls.count();
      calls.count();
    });
    await Promise.all([asPurpose('scan', async () => calls.count()), (async () => calls.count())()]);
    expect(calls.total()).toEqual({ scan: 3, request: 2 });
    expect(calls.lastMinute()).toEqual({ scan: 3, request: 2 });
  });

  it('keeps the last 60 s: older calls leave the minute but stay in the totals', () => {
    let now = 1_000_000;
    const calls = new BillingCalls(() => now);
    calls.count();
    now += 30_000;
    asPurpose('scan', () => calls.count());
    expect(calls.lastMinute()).toEqual({ scan: 1, request: 1 });
    now += 31_000;
    expect(calls.lastMinute()).toEqual({ scan: 1, request: 0 });
    // A bucket 60 s later is the same slot of the ring: it starts again from zero.
    now += 29_000;
    calls.count();
    expect(calls.lastMinute()).toEqual({ scan: 0, request: 1 });
    expect(calls.total()).toEqual({ scan: 1, request: 2 });
  });
});
