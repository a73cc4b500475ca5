// /metrics of a running agent after real traffic, scans and callbacks: the figures, Prometheus'
// naming rules (and promtool when installed), and the Grafana dashboard in packaging/.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAgent, type Agent } from '../../main/agent.js';
import { startFakeCore, type FakeCore } from '../../main/fake-core/index.js';
import { appRoot } from '../../main/app-root.js';
import { request } from '../helpers/http.js';
import { namingProblems, parseExposition, promtoolCheck, type Family } from '../helpers/prometheus.js';
import { until } from '../helpers/wait.js';

let dir: string;
let core: FakeCore;
let agent: Agent;
let text: string;
let families: Map<string, Family>;

beforeAll(async () => {
  core = await startFakeCore();
  dir = mkdtempSync(path.join(tmpdir(), 'bb-metrics-'));
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, secrets: { backend: 'file' }, core: { baseUrl: core.url, login: 'isp' } }));
  agent = await startAgent({ dataDir: dir, port: 0, adminPort: 0, env: { BILLING_BRIDGE_CORE_PASSWORD: 'pw' } });
  await until(async () => (await agent.sync.status()).scan.lastSuccessAt !== null, 10_000, 'the baseline scan');
  const api = agent.api.url;
  await request(api, { path: '/api/users?user_id=58208891' });
  await request(api, { path: '/api/users?user_id=1' });
  await request(api, { path: '/api/contracts' });
  // Delivered, then refused in a way retrying cannot fix: a failed attempt and a dead letter.
  expect((await agent.handlers['callback.send']({ target: 'contract', id: '12331231', waitSeconds: 5 })).outcome).toBe('delivered');
  core.set({ failWith: 400 });
  expect((await agent.handlers['callback.send']({ target: 'charge', id: '58208891', waitSeconds: 5 })).deadLettered).toBe(true);
  text = (await request(agent.admin.url, { path: '/metrics' })).text;
  families = parseExposition(text);
});
afterAll(async () => {
  await agent?.stop();
  await core?.close();
  rmSync(dir, { recursive: true, force: true });
});

const value = (name: string, labels: Record<string, string> = {}) => {
  const family = [...families.values()].find((f) => f.samples.some((s) => s.name === name));
  return family?.samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value;
};

describe('/metrics of a running agent', () => {
  it('counts requests by route and status code', () => {
    expect(value('billing_bridge_http_requests_total', { route: '/api/users', code: '200' })).toBe(1);
    expect(value('billing_bridge_http_requests_total', { route: '/api/users', code: '404' })).toBe(1);
    expect(value('billing_bridge_http_requests_total', { route: '/api/contracts', code: '400' })).toBe(1);
    expect(value('billing_bridge_http_request_duration_seconds_count', { route: '/api/users' })).toBe(2);
  });

  it('times billing calls by call and outcome', () => {
    // Two API requests, and the manual callbacks look their targets up.
    const count = value('billing_bridge_billing_call_duration_seconds_count', { call: 'getUser', outcome: 'ok' });
    expect(count).toBeGreaterThanOrEqual(2);
    expect(value('billing_bridge_billing_call_duration_seconds_bucket', { call: 'getUser', outcome: 'ok', le: '+Inf' })).toBe(count);
  });

  it('counts callbacks delivered, failed and dead-lettered, and shows the outbox', () => {
    expect(value('billing_bridge_callbacks_delivered_total', { kind: 'contract' })).toBe(1);
    expect(value('billing_bridge_callbacks_delivered_total', { kind: 'charge' })).toBe(0);
    expect(value('billing_bridge_callbacks_failed_total', { kind: 'charge' })).toBe(1);
    expect(value('billing_bridge_callbacks_dead_lettered_total', { kind: 'charge' })).toBe(1);
    expect(value('billing_bridge_outbox_dead_letters')).toBe(1);
    expect(value('billing_bridge_outbox_depth')).toBe(0);
    expect(value('billing_bridge_sync_enabled')).toBe(1);
  });

  it('gives the last successful scan as a Unix timestamp', async () => {
    const at = Date.parse((await agent.sync.status()).scan.lastSuccessAt!) / 1000;
    expect(value('billing_bridge_last_successful_scan_timestamp_seconds')).toBe(at);
    expect(Math.abs(at - Date.now() / 1000)).toBeLessThan(60);
  });

  it('says which version runs', () => {
    const version = (JSON.parse(readFileSync(path.join(appRoot(), 'package.json'), 'utf8')) as { version: string }).version;
    expect(value('billing_bridge_build_info', { version })).toBe(1);
  });

  it('follows Prometheus\' naming rules', () => {
    expect(namingProblems(families)).toEqual([]);
  });

  it('passes promtool check metrics (when promtool is installed: scripts/test-all.sh installs it)', () => {
    const result = promtoolCheck(text);
    if (result === null) return;
    expect(result).toEqual({ status: 0, output: '' });
  });
});

describe('packaging/grafana-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(path.join(appRoot(), 'packaging', 'grafana-dashboard.json'), 'utf8')) as {
    panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    templating: { list: Array<{ definition?: string }> };
  };
  const exprs = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p.title, expr: t.expr }))),
    ...dashboard.templating.list.filter((v) => v.definition).map((v) => ({ panel: 'variables', expr: v.definition! })),
  ];

  it('queries only metrics that a real /metrics answer has', () => {
    const served = new Set([...families.values()].flatMap((f) => f.samples.map((s) => s.name)));
    const missing = exprs.flatMap(({ panel, expr }) => metricNames(expr).filter((n) => !served.has(n)).map((n) => `${panel}: ${n}`));
    expect(missing).toEqual([]);
    expect(exprs.length).toBeGreaterThan(10);
  });

  it('shows every metric of the agent\'s own', () => {
    const queried = new Set(exprs.flatMap(({ expr }) => metricNames(expr)).map((n) => n.replace(/_(bucket|sum|count)$/, '')));
    const own = [...families.keys()].filter((n) => n.startsWith('billing_bridge_'));
    expect(own.filter((n) => !queried.has(n))).toEqual([]);
  });

  it('the name extraction finds metrics and skips functions, labels, keywords and ranges', () => {
    expect(metricNames('histogram_quantile(0.99, sum by (le, route) (rate(billing_bridge_x_bucket{instance=~"$instance",code=~"5.."}[$__rate_interval])))'))
      .toEqual(['billing_bridge_x_bucket']);
    expect(metricNames('time() - max(a_seconds{instance=~"$i"} > 0) / b_total offset 5m')).toEqual(['a_seconds', 'b_total']);
    expect(metricNames('label_values(billing_bridge_build_info, instance)')).toEqual(['billing_bridge_build_info']);
  });
});

const PROMQL_WORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan']);

/** The metric names a PromQL expression (or a label_values() variable query) reads. */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/\{[^}]*\}/g, ' ') // label matchers
    .replace(/\[[^\]]*\]/g, ' ') // ranges
    .replace(/\b\d+(ms|[smhdwy])\b/g, ' ') // durations (offset 5m)
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, ' ') // grouping labels
    .replace(/label_values\(([a-zA-Z_:][a-zA-Z0-9_:]*)\s*,[^)]*\)/g, '$1');
  const names: string[] = [];
  for (const m of stripped.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(\s*\()?/g)) {
    const word = m[0].replace(/\s*\($/, '');
    if (m[1] || PROMQL_WORDS.has(word.toLowerCase())) continue;
    names.push(word);
  }
  return [...new Set(names)];
}
