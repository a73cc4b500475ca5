// A valid sync.status answer (checked against the contract, so it follows the contract's changes).
import { SyncStatus } from '../../shared/admin.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? (T[K] extends unknown[] ? T[K] : DeepPartial<T[K]>) : T[K] };

export function syncStatus(overrides: DeepPartial<SyncStatus> = {}): SyncStatus {
  const base: SyncStatus = {
    enabled: true,
    billing: { kind: 'demo', callsPerMinute: { scan: 0, request: 0 } },
    intervalSeconds: 60,
    retryHorizonHours: 72,
    baselineAt: '2026-01-01T00:00:00.000Z',
    scan: { running: false, runningSince: null, progress: null, nextAt: null, consecutiveFailures: 0, lastSuccessAt: null, last: null },
    core: { configured: true, baseUrl: 'https://core.example.com', login: 'isp', passwordSet: true },
    delivery: { state: 'idle', message: 'nothing to send', inFlight: 0, retryAt: null, consecutiveFailures: 0, configProblem: null, lastError: null, lastDeliveredAt: null },
    outbox: { pending: 0, due: 0, oldestPendingAt: null, oldestPendingAgeSeconds: null, deadLetters: 0 },
    counters: { contract: { sent: 0, failed: 0, deadLettered: 0 }, charge: { sent: 0, failed: 0, deadLettered: 0 } },
    problems: [],
  };
  const merged = {
    ...base,
    ...overrides,
    scan: { ...base.scan, ...overrides.scan },
    core: { ...base.core, ...overrides.core },
    delivery: { ...base.delivery, ...overrides.delivery },
    outbox: { ...base.outbox, ...overrides.outbox },
  };
  return SyncStatus.parse(merged);
}
