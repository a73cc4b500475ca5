// "Why can't this subscriber open the door?": find the subscriber through the lookup index (keyed
// hashes → ids), read them live through the same billing the API serves from, and apply the
// platform's rules. Nothing personal is stored: the billing is asked every time.
import type { SubscriberExplanation, SubscriberLookup } from '../../shared/admin.js';
import { MAX_CHARGES, type Contract, type Service, type Tariff } from '../../shared/data-provider.js';
import type { BillingSource } from '../billing/source.js';
import type { Settings } from '../../shared/settings.js';
import type { State } from '../state/index.js';
import type { ScanObserver } from '../sync/scanner.js';
import { iso } from '../sync/clock.js';
import { createDeliveryLookup } from './delivery.js';
import { loadOrCreateLookupKey } from './lookup-key.js';
import { createKeyer, createLookupStore, type IndexHit } from './lookup-index.js';
import { normalizeAccount, normalizeLogin, phoneForms } from './normalize.js';
import { servicePermissions } from './permissions.js';
import { createScanObserver } from './scan-observer.js';
import { createSyncReports } from './sync-report.js';
import { verdictFor } from './verdict.js';

/** Charges shown with an explanation (newest first); the total is given besides. */
export const CHARGES_SHOWN = 24;

type LookupKind = SubscriberLookup['matches'][number]['by'][number];
type Match = SubscriberLookup['matches'][number];

export interface ExplainServiceOptions {
  state: State;
  dataDir: string;
  settings: () => Settings;
  billing: () => BillingSource;
  now?: () => number;
  /** Test hook, see scan-observer.ts. */
  inlineRows?: number;
}

export interface ExplainService {
  /** Hand to the sync service: keeps the index and the report in step with the scans. */
  observer: ScanObserver;
  lookup(query: string, userId?: string): Promise<SubscriberLookup>;
  explain(userId: string): Promise<SubscriberExplanation | null>;
  report: ReturnType<typeof createSyncReports>['report'];
}

export function createExplainService(o: ExplainServiceOptions): ExplainService {
  const now = o.now ?? Date.now;
  const keyer = createKeyer(loadOrCreateLookupKey(o.dataDir));
  const { fingerprints } = o.state;
  const index = createLookupStore(o.state, keyer);
  const deliveries = createDeliveryLookup(o.state);
  const reports = createSyncReports(o.state.scanSummaries);

  /** Index hits and ids the last scan recorded, grouped by user; `signsInAs`: the login the billing says the text signs in as. */
  function find(query: string, signsInAs: string | null = null): Match[] {
    const hits: Array<{ by: LookupKind; userId: string; extId: string }> = [];
    const add = (list: IndexHit[]) => hits.push(...list.map((h) => ({ by: h.kind as LookupKind, userId: h.userId, extId: h.extId })));
    add(index.find('login', normalizeLogin(query)));
    if (signsInAs !== null && signsInAs !== query) add(index.find('login', normalizeLogin(signsInAs)));
    for (const phone of phoneForms(query, o.settings().phones)) add(index.find('phone', phone));
    add(index.find('account', normalizeAccount(query)));
    // Ids are not personal data: the fingerprint tables hold them in clear.
    if (fingerprints.hasUser(query)) hits.push({ by: 'user-id', userId: query, extId: '' });
    const owner = fingerprints.ownerOf(query);
    if (owner !== null) hits.push({ by: 'contract-id', userId: owner, extId: query });
    const byUser = new Map<string, Match>();
    for (const h of hits) {
      const m = byUser.get(h.userId) ?? { userId: h.userId, by: [], contracts: [] };
      if (!m.by.includes(h.by)) m.by.push(h.by);
      if (h.extId !== '' && !m.contracts.includes(h.extId)) m.contracts.push(h.extId);
      byUser.set(h.userId, m);
    }
    return [...byUser.values()];
  }

  async function explain(userId: string): Promise<SubscriberExplanation | null> {
    const billing = o.billing();
    const [user, contracts, charges, tariffs, services] = await Promise.all([
      billing.getUser(userId),
      billing.getContractsOfUser(userId),
      billing.getCharges(userId, MAX_CHARGES),
      billing.listTariffs(),
      billing.listServices(),
    ]);
    if (!user) return null;
    const own: Contract[] = contracts ?? [];
    const delivery = deliveries.of(user, own, charges ?? []);
    const permissions = servicePermissions(o.settings(), billing.kind);
    const verdict = verdictFor(user, own, { tariffs, services, permissions }, delivery);
    const { password, ...shown } = user;
    return {
      userId,
      fetchedAt: iso(now())!,
      door: verdict.door,
      headline: { code: verdict.headline.code, params: verdict.headline.params, text: verdict.headline.text },
      userRules: verdict.userRules,
      contracts: verdict.contracts,
      notChecked: verdict.notChecked,
      core: {
        user: { ...shown, passwordSet: password !== '' },
        contracts: own,
        charges: (charges ?? []).slice(0, CHARGES_SHOWN),
        chargesTotal: (charges ?? []).length,
        tariffs: tariffViews(own, tariffs, services, permissions),
      },
      delivery,
    };
  }

  return {
    observer: createScanObserver({ state: o.state, keyer, billing: o.billing, inlineRows: o.inlineRows }),
    explain,
    report: (historyLength) => reports.report(historyLength),

    async lookup(query: string, userId?: string): Promise<SubscriberLookup> {
      const state = index.state();
      const indexedAt = iso(state.at);
      const q = query.trim();
      if (userId !== undefined) {
        const explanation = await explain(userId);
        const matches = [{ userId, by: ['user-id' as const], contracts: [] }];
        if (!explanation) return { state: 'none', message: `The billing has no user ${userId}.`, indexedAt, matches: [], explanation: null };
        return { state: 'found', message: `User ${userId}.`, indexedAt, matches, explanation };
      }
      // What the subscriber types to sign in (a contract number, where the billing allows it) finds them too.
      const resolve = o.billing().resolveLogin;
      const signsInAs = resolve ? await resolve.call(o.billing(), q).catch(() => null) : null;
      const matches = find(q, signsInAs);
      if (matches.length === 0) {
        if (!state.ready && o.state.meta.baseline.get() === null) {
          return {
            state: 'not-ready', indexedAt, matches, explanation: null,
            message: 'The first scan of the billing has not finished yet, so subscribers cannot be found by login, phone or contract number. Try again in a minute (billing-bridge status shows the scan).',
          };
        }
        if (!state.ready) {
          return {
            state: 'rebuilding', indexedAt, matches, explanation: null,
            message: 'The lookup index is being rebuilt (a new key, or many subscribers changed at once); the next scan finishes it. Until then subscribers are found by their user or contract id only.',
          };
        }
        return {
          state: 'none', indexedAt, matches, explanation: null,
          message: `No subscriber has this login, phone or contract number (as of the scan at ${indexedAt}). Someone added to the billing since is found after the next scan.`,
        };
      }
      if (matches.length > 1) {
        return {
          state: 'several', indexedAt, matches, explanation: null,
          message: `${matches.length} subscribers match: choose one by their user id.`,
        };
      }
      const match = matches[0]!;
      const explanation = await explain(match.userId);
      if (!explanation) {
        return {
          state: 'none', indexedAt, matches, explanation: null,
          message: `The last scan found user ${match.userId}, but the billing no longer has them.`,
        };
      }
      return { state: 'found', message: `Found by ${match.by.join(', ')}: user ${match.userId}.`, indexedAt, matches, explanation };
    },
  };
}

/** The tariffs a subscriber's contracts use, with their services and what those grant. */
function tariffViews(contracts: Contract[], tariffs: Tariff[], services: Service[], permissions: ReturnType<typeof servicePermissions>) {
  const byId = new Map(tariffs.map((t) => [t.id, t]));
  const names = new Map(services.map((s) => [s.id, s.name]));
  const ids = [...new Set(contracts.flatMap((c) => c.tariffs.map((t) => t.id)))];
  return ids.map((id) => {
    const tariff = byId.get(id);
    return {
      id,
      name: tariff?.name ?? null,
      services: (tariff?.services ?? []).map((s) => ({ id: s.id, name: names.get(s.id) ?? null, permissions: [...(permissions?.[s.id] ?? [])] })),
    };
  });
}
