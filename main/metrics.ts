// Prometheus metrics of one agent (served on the loopback admin port at /metrics).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SyncStatus } from '../shared/admin.js';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'status'>;
  requestSeconds: Histogram<'route'>;
  billingSeconds: Histogram<'call' | 'outcome'>;
  outboxDepth: Gauge;
  scanSeconds: Gauge;
  /** One API request (label children are cached: this runs for every request). */
  countRequest(route: string, status: number, seconds: number): void;
  /** One billing call. */
  countBillingCall(call: string, outcome: string, seconds: number): void;
  /** Where /metrics reads outbox depth and scan duration when scraped (set once sync runs). */
  readSyncStatus(source: () => Promise<SyncStatus>): void;
}

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  let status: (() => Promise<SyncStatus>) | null = null;
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'billing_bridge_process_' });
  const cached = <K, T>(cache: Map<K, T>, key: K, make: () => T): T => {
    let child = cache.get(key);
    if (!child) cache.set(key, (child = make()));
    return child;
  };
  // Request counts are plain numbers until /metrics is read: a prom-client counter increment costs
  // several times more, on every API request.
  const requestCounts = new Map<string, Map<number, { route: string; status: string; count: number }>>();
  const requestTimers = new Map<string, { observe(v: number): void }>();
  const billingTimers = new Map<string, { observe(v: number): void }>();
  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: 'billing_bridge_http_requests_total', help: 'Data Provider API requests by route and status', labelNames: ['route', 'status'], registers: [registry],
      collect() {
        this.reset();
        for (const byStatus of requestCounts.values()) {
          for (const { route, status, count } of byStatus.values()) this.inc({ route, status }, count);
        }
      },
    }),
    requestSeconds: new Histogram({
      name: 'billing_bridge_http_request_duration_seconds', help: 'Data Provider API request duration', labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers: [registry],
    }),
    billingSeconds: new Histogram({
      name: 'billing_bridge_billing_call_duration_seconds', help: 'Billing calls by adapter method and outcome', labelNames: ['call', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [registry],
    }),
    outboxDepth: new Gauge({
      name: 'billing_bridge_outbox_depth', help: 'Callbacks waiting to be delivered to core', registers: [registry],
      async collect() {
        if (status) this.set((await status()).outbox.pending);
      },
    }),
    scanSeconds: new Gauge({
      name: 'billing_bridge_scan_duration_seconds', help: 'Duration of the last completed change-detection scan', registers: [registry],
      async collect() {
        const last = status ? (await status()).scan.last : null;
        if (last?.ok) this.set(last.durationMs / 1000);
      },
    }),
    readSyncStatus(source) {
      status = source;
    },
    countRequest(route, code, seconds) {
      // Keyed by route, then status: no key string is built per request.
      cached(cached(requestCounts, route, () => new Map()), code, () => ({ route, status: String(code), count: 0 })).count += 1;
      cached(requestTimers, route, () => metrics.requestSeconds.labels({ route })).observe(seconds);
    },
    countBillingCall(call, outcome, seconds) {
      cached(billingTimers, `${call} ${outcome}`, () => metrics.billingSeconds.labels({ call, outcome })).observe(seconds);
    },
  };
  return metrics;
}
