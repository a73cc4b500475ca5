// Prometheus metrics of one agent (served on the loopback admin port at /metrics). Names follow
// Prometheus' rules (base units, counters end in _total) and the default process and Node.js
// metrics keep their standard names, so stock dashboards and packaging/grafana-dashboard.json work.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SyncStatus } from '../shared/admin.js';
import { CALL_PURPOSES, type CallCounts } from './billing/calls.js';
import { VERSION } from './version.js';

export interface Metrics {
  registry: Registry;
  requests: Counter<'route' | 'code'>;
  requestSeconds: Histogram<'route'>;
  billingSeconds: Histogram<'call' | 'outcome'>;
  outboxDepth: Gauge;
  /** One API request (label children are cached: this runs for every request). */
  countRequest(route: string, code: number, seconds: number): void;
  /** One billing call. */
  countBillingCall(call: string, outcome: string, seconds: number): void;
  /** Where /metrics reads the sync figures when scraped (set once sync runs). */
  readSyncStatus(source: () => Promise<SyncStatus>): void;
  /** Where /metrics reads the calls made to the billing server, by purpose. */
  readBillingCalls(source: () => CallCounts): void;
}

/** The states of SyncStatus.delivery.state, one series each (1 for the current one). */
const DELIVERY_STATES = ['idle', 'delivering', 'retrying', 'refused', 'paused', 'not-configured'] as const;
const CALLBACK_KINDS = ['contract', 'charge'] as const;

/**
 * Gauges that prom-client's defaults name with `_total`, which Prometheus reserves for counters
 * (promtool refuses them); the same figure is `sum(nodejs_active_handles)` and so on.
 */
const NOT_COUNTERS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of NOT_COUNTERS) registry.removeSingleMetric(name);
  }
  const registers = [registry];

  // Every collector below reads the same status; one scrape asks for it once (prom-client calls
  // all collect() functions before awaiting any).
  let source: (() => Promise<SyncStatus>) | null = null;
  let reading: Promise<SyncStatus | null> | null = null;
  const syncStatus = (): Promise<SyncStatus | null> => {
    if (!source) return Promise.resolve(null);
    reading ??= source().finally(() => {
      reading = null;
    });
    return reading;
  };
  /** A gauge whose value is read from the sync status at scrape time. */
  const statusGauge = (name: string, help: string, read: (gauge: Gauge, status: SyncStatus) => void, labelNames: string[] = []) => new Gauge({
    name, help, labelNames, registers,
    async collect() {
      const status = await syncStatus();
      if (status) read(this, status);
    },
  });

  let billingCalls: (() => CallCounts) | null = null;
  new Counter({
    name: 'billing_bridge_billing_server_calls_total',
    help: 'Exchanges with the billing server, by purpose: scan (change detection) or request (core\'s requests, the operator\'s lookups and checks)',
    labelNames: ['purpose'], registers,
    collect() {
      if (!billingCalls) return;
      const totals = billingCalls();
      // The tally is kept outside prom-client (it also feeds status); the counter shows it as read.
      this.reset();
      for (const purpose of CALL_PURPOSES) this.inc({ purpose }, totals[purpose]);
    },
  });

  new Gauge({
    name: 'billing_bridge_build_info', help: 'The agent\'s version and runtime; always 1', labelNames: ['version', 'nodejs'], registers,
  }).set({ version: VERSION, nodejs: process.versions.node }, 1);

  const cached = <K, T>(cache: Map<K, T>, key: K, make: () => T): T => {
    let child = cache.get(key);
    if (!child) cache.set(key, (child = make()));
    return child;
  };
  // Request counts are plain numbers until /metrics is read: a prom-client counter increment costs
  // several times more, on every API request.
  const requestCounts = new Map<string, Map<number, { route: string; code: string; count: number }>>();
  const requestTimers = new Map<string, { observe(v: number): void }>();
  const billingTimers = new Map<string, { observe(v: number): void }>();

  const callbackCounter = (name: string, help: string, pick: (c: SyncStatus['counters']['contract']) => number) => new Counter({
    name, help, labelNames: ['kind'], registers,
    async collect() {
      const status = await syncStatus();
      if (!status) return;
      // Totals kept in the database (they survive restarts): set, not added.
      this.reset();
      for (const kind of CALLBACK_KINDS) this.inc({ kind }, pick(status.counters[kind]));
    },
  });
  callbackCounter('billing_bridge_callbacks_delivered_total', 'Callbacks core accepted (2xx), by kind', (c) => c.sent);
  callbackCounter('billing_bridge_callbacks_failed_total', 'Callback attempts that failed (each retry counts), by kind', (c) => c.failed);
  callbackCounter('billing_bridge_callbacks_dead_lettered_total', 'Callbacks given up on and moved to the dead letters, by kind', (c) => c.deadLettered);

  statusGauge('billing_bridge_outbox_dead_letters', 'Callbacks in the dead letters (not accepted in time, or refused)',
    (gauge, status) => gauge.set(status.outbox.deadLetters));
  statusGauge('billing_bridge_outbox_oldest_pending_age_seconds', 'Age of the oldest callback waiting for core; 0 when none waits',
    (gauge, status) => gauge.set(status.outbox.oldestPendingAgeSeconds ?? 0));
  statusGauge('billing_bridge_sync_enabled', '1 while sync runs, 0 while it is paused', (gauge, status) => gauge.set(status.enabled ? 1 : 0));
  statusGauge('billing_bridge_delivery_state', 'Delivery to core: 1 for the current state, 0 for the others', (gauge, status) => {
    for (const state of DELIVERY_STATES) gauge.set({ state }, status.delivery.state === state ? 1 : 0);
  }, ['state']);
  statusGauge('billing_bridge_last_successful_scan_timestamp_seconds', 'When the last change-detection scan succeeded (Unix time); 0 before the first', (gauge, status) => {
    if (status.scan.lastSuccessAt) gauge.set(Date.parse(status.scan.lastSuccessAt) / 1000);
  });
  statusGauge('billing_bridge_scan_duration_seconds', 'Duration of the last completed change-detection scan', (gauge, status) => {
    if (status.scan.last?.ok) gauge.set(status.scan.last.durationMs / 1000);
  });
  statusGauge('billing_bridge_scan_consecutive_failures', 'Scans failed in a row (0 after a success)', (gauge, status) => gauge.set(status.scan.consecutiveFailures));

  const metrics: Metrics = {
    registry,
    requests: new Counter({
      name: 'billing_bridge_http_requests_total', help: 'Data Provider API requests by route and HTTP status code', labelNames: ['route', 'code'], registers,
      collect() {
        this.reset();
        for (const byCode of requestCounts.values()) {
          for (const { route, code, count } of byCode.values()) this.inc({ route, code }, count);
        }
      },
    }),
    requestSeconds: new Histogram({
      name: 'billing_bridge_http_request_duration_seconds', help: 'Data Provider API request duration by route', labelNames: ['route'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5], registers,
    }),
    billingSeconds: new Histogram({
      name: 'billing_bridge_billing_call_duration_seconds', help: 'Billing calls by adapter method and outcome (ok, error, unavailable)', labelNames: ['call', 'outcome'],
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers,
    }),
    outboxDepth: statusGauge('billing_bridge_outbox_depth', 'Callbacks waiting to be delivered to core', (gauge, status) => gauge.set(status.outbox.pending)),
    readSyncStatus(read) {
      source = read;
    },
    readBillingCalls(read) {
      billingCalls = read;
    },
    countRequest(route, code, seconds) {
      // Keyed by route, then code: no key string is built per request.
      cached(cached(requestCounts, route, () => new Map()), code, () => ({ route, code: String(code), count: 0 })).count += 1;
      cached(requestTimers, route, () => metrics.requestSeconds.labels({ route })).observe(seconds);
    },
    countBillingCall(call, outcome, seconds) {
      cached(billingTimers, `${call} ${outcome}`, () => metrics.billingSeconds.labels({ call, outcome })).observe(seconds);
    },
  };
  return metrics;
}
