// Admin operations of issue #8: a subscriber's door verdict, the self-test of the public API,
// and the sync report.
import type { AddressInfo } from 'node:net';
import type { AdminHandlers } from '../../shared/admin.js';
import { BillingDataError, BillingUnavailableError, type BillingSource } from '../billing/source.js';
import type { ExplainService } from '../explain/explain.js';
import { runSelfTest } from '../selftest/run.js';
import { sampleUserIds } from '../selftest/sample.js';
import type { Settings } from '../../shared/settings.js';
import type { Fingerprints } from '../state/index.js';
import { AdminOpError } from './errors.js';

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

/** The billing failing is the billing's fault, not a bug: say so with the status the API uses. */
async function billingAnswer<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof BillingUnavailableError) throw new AdminOpError(503, `the billing cannot be read right now: ${err.message}`);
    if (err instanceof BillingDataError) throw new AdminOpError(502, `the billing answered data that cannot be mapped: ${err.message}`);
    throw err;
  }
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
    'subscriber.explain': ({ query, userId }) => billingAnswer(() => ctx().explain.lookup(query, userId)),
    'sync.report': async () => ctx().explain.report(),
    'selftest.run': async ({ sample }) => {
      const c = ctx();
      const api = c.api();
      const { inboundAuth, inboundLogin } = c.settings().server;
      const secret = inboundAuth === 'none' ? null : await c.secrets.get('api-token').catch(() => null);
      const authorization = secret === null ? undefined
        : inboundAuth === 'bearer' ? `Bearer ${secret}` : `Basic ${Buffer.from(`${inboundLogin}:${secret}`).toString('base64')}`;
      const userIds = await billingAnswer(() => sampleUserIds(c.fingerprints, c.billing(), sample));
      return runSelfTest({ ...selfTestTarget(api.url, api.address), authorization, tlsFingerprint: c.tlsFingerprint, userIds });
    },
  };
}
