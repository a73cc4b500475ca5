import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../main/metrics.js';
import { VERSION } from '../../main/version.js';
import { namingProblems, parseExposition, promtoolCheck } from '../helpers/prometheus.js';
import { syncStatus } from '../shell/fixtures.js';

describe('request metrics', () => {
  it('count requests by route and status code, and read the same totals on every scrape', async () => {
    const metrics = createMetrics({ defaults: false });
    for (let i = 0; i < 3; i++) metrics.countRequest('/api/users', 200, 0.002);
    metrics.countRequest('/api/users', 404, 0.001);
    metrics.countRequest('unmatched', 404, 0.0005);
    const first = await metrics.registry.metrics();
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",code="200"\} 3\n/);
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",code="404"\} 1\n/);
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="unmatched",code="404"\} 1\n/);
    expect(first).toMatch(/billing_bridge_http_request_duration_seconds_count\{route="\/api\/users"\} 4\n/);
    metrics.countRequest('/api/users', 200, 0.002);
    const second = await metrics.registry.metrics();
    // Not added twice: the scrape reports totals.
    expect(second).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",code="200"\} 4\n/);
    expect(second).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",code="404"\} 1\n/);
  });
});

describe('sync metrics', () => {
  const status = syncStatus({
    enabled: true,
    scan: { lastSuccessAt: '2026-11-23T12:00:00.000Z', consecutiveFailures: 2, last: { kind: 'scan', ok: true, startedAt: '2026-11-23T11:59:58.500Z', finishedAt: '2026-11-23T12:00:00.000Z', durationMs: 1500, subscribers: 9, changes: { total: 0, users: 0, contracts: 0, charges: 0, added: 0, removed: 0 }, callbacks: 0, error: null, message: 'ok' } },
    delivery: { state: 'refused' },
    outbox: { pending: 7, due: 2, oldestPendingAt: '2026-11-23T11:00:00.000Z', oldestPendingAgeSeconds: 3600, deadLetters: 4 },
    counters: { contract: { sent: 120, failed: 9, deadLettered: 3 }, charge: { sent: 40, failed: 1, deadLettered: 1 } },
  });

  it('are read from the sync status when scraped: callbacks, outbox, scans, delivery state', async () => {
    const metrics = createMetrics({ defaults: false });
    let reads = 0;
    metrics.readSyncStatus(async () => {
      reads++;
      return status;
    });
    const text = await metrics.registry.metrics();
    // Every figure of one scrape comes from one reading of the status.
    expect(reads).toBe(1);
    const lines = text.split('\n');
    for (const line of [
      'billing_bridge_callbacks_delivered_total{kind="contract"} 120',
      'billing_bridge_callbacks_delivered_total{kind="charge"} 40',
      'billing_bridge_callbacks_failed_total{kind="contract"} 9',
      'billing_bridge_callbacks_failed_total{kind="charge"} 1',
      'billing_bridge_callbacks_dead_lettered_total{kind="contract"} 3',
      'billing_bridge_callbacks_dead_lettered_total{kind="charge"} 1',
      'billing_bridge_outbox_depth 7',
      'billing_bridge_outbox_dead_letters 4',
      'billing_bridge_outbox_oldest_pending_age_seconds 3600',
      `billing_bridge_last_successful_scan_timestamp_seconds ${Date.parse('2026-11-23T12:00:00Z') / 1000}`,
      'billing_bridge_scan_duration_seconds 1.5',
      'billing_bridge_scan_consecutive_failures 2',
      'billing_bridge_sync_enabled 1',
      'billing_bridge_delivery_state{state="refused"} 1',
      'billing_bridge_delivery_state{state="idle"} 0',
      `billing_bridge_build_info{version="${VERSION}",nodejs="${process.versions.node}"} 1`,
    ]) expect(lines).toContain(line);

    // Counters are the database's totals: a second scrape does not add them again.
    const again = (await metrics.registry.metrics()).split('\n');
    expect(reads).toBe(2);
    expect(again).toContain('billing_bridge_callbacks_delivered_total{kind="contract"} 120');
  });

  it('follow the status as it changes: paused, nothing waiting', async () => {
    const metrics = createMetrics({ defaults: false });
    let current = status;
    metrics.readSyncStatus(async () => current);
    await metrics.registry.metrics();
    current = syncStatus({ enabled: false, delivery: { state: 'paused' }, counters: { contract: { sent: 121, failed: 9, deadLettered: 3 }, charge: { sent: 40, failed: 1, deadLettered: 1 } } });
    const lines = (await metrics.registry.metrics()).split('\n');
    expect(lines).toEqual(expect.arrayContaining([
      'billing_bridge_sync_enabled 0',
      'billing_bridge_delivery_state{state="paused"} 1',
      'billing_bridge_delivery_state{state="refused"} 0',
      'billing_bridge_outbox_depth 0',
      'billing_bridge_outbox_oldest_pending_age_seconds 0',
      'billing_bridge_callbacks_delivered_total{kind="contract"} 121',
    ]));
  });

  it('a failing status read fails the scrape instead of showing stale or zero figures', async () => {
    const metrics = createMetrics({ defaults: false });
    metrics.readSyncStatus(async () => {
      throw new Error('database is locked');
    });
    await expect(metrics.registry.metrics()).rejects.toThrow('database is locked');
  });
});

describe('metric names', () => {
  it('default process and Node.js metrics keep their standard names, without a prefix', async () => {
    const families = parseExposition(await createMetrics().registry.metrics());
    expect(families.get('process_cpu_seconds_total')?.type).toBe('counter');
    expect(families.get('process_resident_memory_bytes')?.type).toBe('gauge');
    expect(families.get('nodejs_heap_size_used_bytes')?.type).toBe('gauge');
    expect(families.get('nodejs_eventloop_lag_p99_seconds')?.type).toBe('gauge');
    expect([...families.keys()].filter((n) => n.includes('process_process'))).toEqual([]);
  });

  it('follow Prometheus\' naming rules, and promtool accepts them when installed', async () => {
    const metrics = createMetrics();
    metrics.readSyncStatus(async () => someStatus());
    metrics.countRequest('/api/users', 200, 0.002);
    metrics.countBillingCall('getUser', 'ok', 0.001);
    const text = await metrics.registry.metrics();
    expect(namingProblems(parseExposition(text))).toEqual([]);
    const promtool = promtoolCheck(text);
    if (promtool) expect(promtool).toEqual({ status: 0, output: '' });
  });

  it('the naming check catches what it is there to catch', () => {
    const bad = [
      '# HELP billing_bridge_process_process_cpu_seconds_total x', '# TYPE billing_bridge_process_process_cpu_seconds_total counter', 'billing_bridge_process_process_cpu_seconds_total 1',
      '# HELP billing_bridge_callbacks counted', '# TYPE billing_bridge_callbacks counter', 'billing_bridge_callbacks 1',
      '# HELP billing_bridge_handles_total x', '# TYPE billing_bridge_handles_total gauge', 'billing_bridge_handles_total 1',
      '# HELP billing_bridge_scan_duration_ms x', '# TYPE billing_bridge_scan_duration_ms gauge', 'billing_bridge_scan_duration_ms 1',
      '# HELP billing_bridge_requests_total x', '# TYPE billing_bridge_requests_total counter', 'billing_bridge_requests_total{status="200"} 1',
      '# HELP billing_bridge_last_scan_timestamp x', '# TYPE billing_bridge_last_scan_timestamp gauge', 'billing_bridge_last_scan_timestamp 1',
    ].join('\n');
    const problems = namingProblems(parseExposition(bad)).join('\n');
    for (const expected of [
      'billing_bridge_process_process_cpu_seconds_total: doubled "process"',
      'billing_bridge_callbacks: a counter must end in _total',
      'billing_bridge_handles_total: only counters end in _total',
      'billing_bridge_scan_duration_ms: "ms" is not a base unit',
      'billing_bridge_requests_total: HTTP status goes in the "code" label',
      'billing_bridge_last_scan_timestamp: a timestamp ends in _timestamp_seconds',
    ]) expect(problems).toContain(expected);
  });
});

function someStatus() {
  return syncStatus({ scan: { lastSuccessAt: '2026-11-23T12:00:00.000Z' }, counters: { contract: { sent: 1, failed: 2, deadLettered: 1 }, charge: { sent: 1, failed: 0, deadLettered: 0 } } });
}
