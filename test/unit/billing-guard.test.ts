import { describe, expect, it } from 'vitest';
import { DemoBilling } from '../../main/billing/demo/index.js';
import { GuardedBilling } from '../../main/billing/guard.js';
import { BillingUnavailableError } from '../../main/billing/source.js';
import { createMetrics } from '../../main/metrics.js';

/** A demo billing whose reads wait for a gate and are counted. */
function slowBilling() {
  const demo = new DemoBilling();
  let open!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  let calls = 0;
  let running = 0;
  let maxRunning = 0;
  const billing = Object.create(demo) as DemoBilling;
  billing.getUser = async (id) => {
    calls++;
    running++;
    maxRunning = Math.max(maxRunning, running);
    await gate;
    running--;
    return demo.getUser(id);
  };
  billing.authenticate = async (l, p) => {
    calls++;
    await gate;
    return demo.authenticate(l, p);
  };
  return { billing, open, stats: () => ({ calls, maxRunning }) };
}

describe('GuardedBilling', () => {
  it('answers identical concurrent reads with one billing call', async () => {
    const { billing, open, stats } = slowBilling();
    const guarded = new GuardedBilling(billing);
    const answers = Array.from({ length: 20 }, () => guarded.getUser('58208891'));
    open();
    const users = await Promise.all(answers);
    expect(stats().calls).toBe(1);
    expect(new Set(users.map((u) => u!.ext_user_id))).toEqual(new Set(['58208891']));
    // Once answered, the next read is a new call (no stale cache).
    await guarded.getUser('58208891');
    expect(stats().calls).toBe(2);
  });

  it('never shares password checks between callers', async () => {
    const { billing, open, stats } = slowBilling();
    const guarded = new GuardedBilling(billing);
    const checks = [guarded.authenticate('1595', 'Zh4nna-1595'), guarded.authenticate('1595', 'Zh4nna-1595')];
    open();
    expect(await Promise.all(checks)).toEqual(['58208891', '58208891']);
    expect(stats().calls).toBe(2);
  });

  it('keeps at most `concurrency` calls at the billing', async () => {
    const { billing, open, stats } = slowBilling();
    const guarded = new GuardedBilling(billing, { concurrency: 3 });
    const reads = Array.from({ length: 10 }, (_, i) => guarded.getUser(String(58208891 + (i % 9))));
    await new Promise((r) => setTimeout(r, 20));
    expect(guarded.pending).toBe(9);
    open();
    await Promise.all(reads);
    expect(stats().maxRunning).toBe(3);
  });

  it('a stalled billing becomes a 503-type error within the time limit, and metrics record it', async () => {
    const { billing, open } = slowBilling();
    const metrics = createMetrics({ defaults: false });
    const guarded = new GuardedBilling(billing, { timeoutMs: 100, metrics });
    const started = Date.now();
    await expect(guarded.getUser('58208891')).rejects.toBeInstanceOf(BillingUnavailableError);
    expect(Date.now() - started).toBeLessThan(1_000);
    open();
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/billing_bridge_billing_call_duration_seconds_count\{call="getUser",outcome="unavailable"\} 1/);
  });

  it('calls that run out of time while waiting for a slot fail and are never made; the slots stay usable', async () => {
    const { billing, open, stats } = slowBilling();
    const guarded = new GuardedBilling(billing, { concurrency: 1, timeoutMs: 100 });
    const reads = ['58208891', '58208892', '58208893'].map((id) => guarded.getUser(id));
    const outcomes = await Promise.allSettled(reads);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(stats().calls).toBe(1); // only the first reached the billing
    open();
    await new Promise((r) => setTimeout(r, 10));
    expect(guarded.pending).toBe(0);
    // The slot the stalled call held is free again once the billing answered.
    await expect(guarded.getUser('58208894')).resolves.toMatchObject({ ext_user_id: '58208894' });
    expect(stats().calls).toBe(2);
  });
});
