// The Carbon adapter's bulk scan against a simulator in another process: time, peak RSS and the
// event loop's longest block, as change detection runs it. argv: <simulator url>. One JSON line.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { CarbonBilling } from '../main/billing/carbon/index.js';
import { CarbonSettings } from '../shared/carbon-settings.js';

const [url = ''] = process.argv.slice(2);
const billing = new CarbonBilling({ settings: CarbonSettings.parse({ url }) });
const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const out: Record<string, number> = {};
try {
  await billing.checkFieldMap();
  global.gc?.();
  out.rssBeforeScanMb = mb(process.memoryUsage().rss);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  let users = 0;
  // Change detection keeps the 13 newest charges of every user.
  for await (const snap of billing.snapshot({ charges: 13 })) if (snap) users++;
  out.scanMs = Math.round(performance.now() - started);
  loop.disable();
  out.users = users;
  out.subscribers = billing.lastScan?.subscribers ?? 0;
  out.scanMaxEventLoopBlockMs = Math.round(loop.max / 1e6);
  out.peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
} finally {
  await billing.close();
}
process.stdout.write(`${JSON.stringify(out)}\n`);
