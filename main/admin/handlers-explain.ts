// Admin operations of the subscriber page: a subscriber's door verdict, the self-test of the
// public API, and the sync report. A billing that fails answers like the public API (503, 502).
import type { AddressInfo } from 'node:net';
import type { AdminHandlers } from '../../shared/admin.js';
import type { BillingSource } from '../billing/source.js';
import type { ExplainService } from '../explain/explain.js';
import { runSelfTest } from '../selftest/run.js';
import { sampleUserIds } from '../selftest/sample.js';
import type { Settings } from '../../shared/settings.js';
import type { Fingerprints } from '../state/index.js';

type ExplainOps = 'subscriber.explain' | 'selftest.run' | 'sync.report';

export interface ExplainContext {
  explain: ExplainService;
  fingerprints: Fingerprints;
  billing: () => BillingSource;
  settings: () => Settings;
  secrets: { get(name: 'api-token'): Promise<string | null> };
  /** Where the public API listens: its URL and the socket's address. */
  api: () => { url: string; address: AddressInfo | string | null };
  tlsFingerprint: string | null;
}

/** Where core's requests are imitated from and to: loopback when the API listens on every interface. */
export function selfTestTarget(url: string, address: AddressInfo | string | null): { baseUrl: string; localAddress?: string } {
  const parsed = new URL(url);
  if (address !== null && typeof address === 'object') {
    if (address.address === '::' || address.address === '0.0.0.0') {
      return { baseUrl: `${parsed.protocol}//127.0.0.1:${address.port}`, localAddress: '127.0.0.1' };
    }
    if (address.address === '127.0.0.1' || address.address === '::1') return { baseUrl: url, localAddress: address.address };
  }
  return { baseUrl: url };
}

export function createExplainHandlers(ctx: () => ExplainContext): Pick<AdminHandlers, ExplainOps> {
  return {
    'subscriber.explain': ({ query, userId }) => ctx().explain.lookup(query, userId),
    'sync.report': async () => ctx().explain.report(),
    'selftest.run': async ({ sample }) => {
      const c = ctx();
      const api = c.api();
      const { inboundAuth, inboundLogin } = c.settings().server;
      const secret = inboundAuth === 'none' ? null : await c.secrets.get('api-token').catch(() => null);
      const authorization = secret === null ? undefined
        : inboundAuth === 'bearer' ? `Bearer ${secret}` : `Basic ${Buffer.from(`${inboundLogin}:${secret}`).toString('base64')}`;
      const userIds = await sampleUserIds(c.fingerprints, c.billing(), sample);
      return runSelfTest({ ...selfTestTarget(api.url, api.address), authorization, tlsFingerprint: c.tlsFingerprint, userIds });
    },
  };
}
