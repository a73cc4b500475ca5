// Sync measurements in their own process, so memory and event-loop figures are the scan's own.
// argv: scan <subscribers> | deliver <count> <core url>. Prints one JSON line of figures.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DemoBilling } from '../main/billing/demo/index.js';
import { openState } from '../main/state/index.js';
import { silentLogger } from '../main/logging/logger.js';
import { defaultSettings } from '../shared/settings.js';
import { createSyncService } from '../main/sync/service.js';
import { callbackFor } from '../main/sync/targets.js';

const [mode = 'scan', countArg = '100000', coreUrl = ''] = process.argv.slice(2);
const count = Number(countArg);
const dir = mkdtempSync(path.join(tmpdir(), 'bb-bench-sync-'));
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const out: Record<string, number> = {};

try {
  const settings = defaultSettings();
  settings.core.baseUrl = coreUrl;
  settings.core.login = 'bench';
  const t0 = performance.now();
  const billing = new DemoBilling({ synthetic: mode === 'scan' ? count : 0 });
  out.buildMs = Math.round(performance.now() - t0);
  const state = openState(path.join(dir, 'state.db'));
  const sync = createSyncService({
    state, billing: () => billing, settings: () => settings, saveEnabled: () => undefined,
    secrets: { get: async () => 'bench' }, log: silentLogger(),
  });

  if (mode === 'scan') {
    out.subscribers = billing.subscriberCount;
    global.gc?.();
    out.rssBeforeScanMb = mb(process.memoryUsage().rss);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
      const t = performance.now();
      const result = await run();
      out[name] = Math.round(performance.now() - t);
      return result;
    };
    const peak = () => Math.round(process.resourceUsage().maxRSS / 1024);
    await timed('baselineScanMs', () => sync.scanNow());
    out.peakRssAfterBaselineMb = peak();
    await timed('rescanMs', () => sync.scanNow());
    out.peakRssAfterRescanMb = peak();
    for (let i = 0; i < 1000; i++) billing.pay(String(90_000_001 + i * 7), 100);
    const changed = await timed('changedScanMs', () => sync.scanNow());
    out.changedCallbacks = changed.callbacks;
    loop.disable();
    out.scanMaxEventLoopBlockMs = Math.round(loop.max / 1e6);
    out.peakRssMb = peak();
    const resend = await timed('resendAllMs', () => sync.resendAll());
    out.resendAllCallbacks = resend.callbacks;
    out.peakRssAfterResendAllMb = peak();
  } else {
    const t = performance.now();
    const backlog = Array.from({ length: count }, (_, i) => callbackFor(i % 2 === 0 ? 'contract' : 'charge', String(1_000_000 + i)));
    state.outbox.enqueueMany(backlog, 'scan', Date.now());
    out.enqueueMs = Math.round(performance.now() - t);
    settings.sync.enabled = true;
    const started = performance.now();
    sync.start();
    for (;;) {
      const status = await sync.status();
      if (status.outbox.pending === 0) {
        out.delivered = status.counters.contract.sent + status.counters.charge.sent;
        out.failed = status.counters.contract.failed + status.counters.charge.failed;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    out.deliveryMs = Math.round(performance.now() - started);
    out.deliveriesPerSec = Math.round((count / out.deliveryMs) * 1000);
  }
  await sync.stop();
  state.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify(out)}\n`);
