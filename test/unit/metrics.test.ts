import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../main/metrics.js';

describe('request metrics', () => {
  it('count requests by route and status, and read the same totals on every scrape', async () => {
    const metrics = createMetrics({ defaults: false });
    for (let i = 0; i < 3; i++) metrics.countRequest('/api/users', 200, 0.002);
    metrics.countRequest('/api/users', 404, 0.001);
    metrics.countRequest('unmatched', 404, 0.0005);
    const first = await metrics.registry.metrics();
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",status="200"\} 3\n/);
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",status="404"\} 1\n/);
    expect(first).toMatch(/billing_bridge_http_requests_total\{route="unmatched",status="404"\} 1\n/);
    expect(first).toMatch(/billing_bridge_http_request_duration_seconds_count\{route="\/api\/users"\} 4\n/);
    metrics.countRequest('/api/users', 200, 0.002);
    const second = await metrics.registry.metrics();
    // Not added twice: the scrape reports totals.
    expect(second).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",status="200"\} 4\n/);
    expect(second).toMatch(/billing_bridge_http_requests_total\{route="\/api\/users",status="404"\} 1\n/);
  });
});
