// The admin contract: every operation the dashboard, the tray and the CLI can ask of a running
// agent, with its input and output schema. Electron IPC and the loopback admin HTTP API both serve
// exactly these operations; nothing else reaches the core.
import { z } from 'zod';

export const CheckItem = z.object({ name: z.string(), ok: z.boolean(), detail: z.string() });

export const AgentInfo = z.object({
  version: z.string(),
  startedAt: z.string(),
  dataDir: z.string(),
  api: z.object({ url: z.string(), tlsFingerprint: z.string().nullable() }),
  /** The loopback admin API (and dashboard) address. */
  adminUrl: z.string(),
  billing: z.object({ kind: z.string() }),
});

const NoInput = z.strictObject({});

// ---- sync: change detection, the callback outbox, deliveries (issue #5) ----
// Dates are ISO 8601 strings, amounts and counts plain numbers, reasons sentences a person can act on.

const IsoDate = z.string();
const Id = z.string().trim().min(1).max(128);

export const CallbackKind = z.enum(['contract', 'charge']);

export const ScanChanges = z.object({
  /** Everything below added up. */
  total: z.number(),
  /** Users whose own record or set of contracts changed. */
  users: z.number(),
  /** Single contracts whose data changed. */
  contracts: z.number(),
  /** Users whose newest charges changed. */
  charges: z.number(),
  added: z.number(),
  removed: z.number(),
});

export const ScanReport = z.object({
  /** baseline: the first scan only records what core is assumed to know and sends nothing. */
  kind: z.enum(['baseline', 'scan', 'resend-all']),
  ok: z.boolean(),
  startedAt: IsoDate,
  finishedAt: IsoDate,
  durationMs: z.number(),
  /** Subscribers read (when it failed: read before the failure). */
  subscribers: z.number(),
  changes: ScanChanges,
  /** Callbacks queued for core. */
  callbacks: z.number(),
  error: z.string().nullable(),
  /** One sentence for people. */
  message: z.string(),
});

export const CallbackCounters = z.object({
  /** Accepted by core (2xx). */
  sent: z.number(),
  /** Attempts that failed (each retry counts). */
  failed: z.number(),
  /** Given up on and moved to the dead letters. */
  deadLettered: z.number(),
});

export const DeliveryProblem = z.object({
  at: IsoDate,
  kind: CallbackKind,
  /** "contract 12331231", "all contracts of user 58208891", "charges of user 58208891". */
  target: z.string(),
  httpStatus: z.number().nullable(),
  reason: z.string(),
});

export const SyncStatus = z.object({
  /** false while paused (sync.enabled in the settings). */
  enabled: z.boolean(),
  billing: z.object({ kind: z.string() }),
  intervalSeconds: z.number(),
  retryHorizonHours: z.number(),
  /** When the first scan recorded what core is assumed to know; null until then. */
  baselineAt: IsoDate.nullable(),
  scan: z.object({
    running: z.boolean(),
    runningSince: IsoDate.nullable(),
    /** Subscribers read so far by the running scan. */
    progress: z.number().nullable(),
    nextAt: IsoDate.nullable(),
    consecutiveFailures: z.number(),
    lastSuccessAt: IsoDate.nullable(),
    last: ScanReport.nullable(),
  }),
  core: z.object({
    configured: z.boolean(),
    baseUrl: z.string(),
    login: z.string(),
    /** Whether a core password is set (never the password). */
    passwordSet: z.boolean(),
  }),
  delivery: z.object({
    state: z.enum(['idle', 'delivering', 'retrying', 'refused', 'paused', 'not-configured']),
    message: z.string(),
    inFlight: z.number(),
    /** Deliveries wait until then after a failure. */
    retryAt: IsoDate.nullable(),
    consecutiveFailures: z.number(),
    /** Core refuses us for a reason only configuration fixes (credentials, address). */
    configProblem: z.string().nullable(),
    lastError: DeliveryProblem.nullable(),
    lastDeliveredAt: IsoDate.nullable(),
  }),
  outbox: z.object({
    pending: z.number(),
    /** Pending and due now (not waiting out a retry delay). */
    due: z.number(),
    oldestPendingAt: IsoDate.nullable(),
    oldestPendingAgeSeconds: z.number().nullable(),
    deadLetters: z.number(),
  }),
  counters: z.object({ contract: CallbackCounters, charge: CallbackCounters }),
  /** Everything that needs a person's attention, in plain words; empty when all is well. */
  problems: z.array(z.string()),
});

export const CallbackTarget = z.enum(['contract', 'user', 'charge']);

export const CallbackRequest = z.strictObject({
  /** contract: one contract by ext_id; user: all contracts of a user; charge: a user's charges. */
  target: CallbackTarget,
  id: Id,
  /** How long to wait for core's answer before reporting (the callback stays queued either way). */
  waitSeconds: z.number().min(0).max(60).default(5),
});

export const CallbackResult = z.object({
  outboxId: z.number(),
  kind: CallbackKind,
  target: z.string(),
  path: z.string(),
  body: z.record(z.string(), z.string()),
  /** delivered: core answered 2xx. failed: core refused or could not be reached. queued: not tried
   *  (paused, or core not configured). pending: no answer within the wait. */
  outcome: z.enum(['delivered', 'failed', 'queued', 'pending']),
  httpStatus: z.number().nullable(),
  reason: z.string().nullable(),
  nextAttemptAt: IsoDate.nullable(),
  deadLettered: z.boolean(),
  message: z.string(),
  /** A warning, e.g. the billing does not know this id. */
  note: z.string().nullable(),
});

export const DeadLetter = z.object({
  id: z.number(),
  kind: CallbackKind,
  target: z.string(),
  path: z.string(),
  body: z.record(z.string(), z.string()),
  createdAt: IsoDate,
  deadAt: IsoDate,
  attempts: z.number(),
  lastHttpStatus: z.number().nullable(),
  reason: z.string(),
});

export const DeadLetters = z.object({ total: z.number(), items: z.array(DeadLetter) });

export const ResendRequest = z.strictObject({
  ids: z.array(z.number().int().positive()).min(1).max(10_000).optional(),
  all: z.boolean().optional(),
}).refine((r) => (r.ids !== undefined) !== (r.all === true), 'give either ids or "all": true');

export const ResendResult = z.object({ requeued: z.number(), message: z.string() });

export const DeliveryAttempt = z.object({
  at: IsoDate,
  outboxId: z.number(),
  kind: CallbackKind,
  target: z.string(),
  attempt: z.number(),
  ok: z.boolean(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
});

const Limit = (max: number, fallback: number) => z.strictObject({ limit: z.number().int().min(1).max(max).default(fallback) });

// ---- the demo billing's changes (only when billing.kind is "demo") ----

/** Rubles as a number or text: "390.67", 390.67, "12,50". */
const Rubles = z.union([z.number(), z.string()]);

export const DemoContractState = z.object({
  ext_id: z.string(),
  account: z.string(),
  /** Kopecks (negative is a debt). */
  balance: z.number(),
  state: z.number(),
  tariffs: z.array(z.string()),
  forcedBlock: z.boolean(),
  message: z.string(),
});


// ---- settings, allowlist, secrets, logs, diagnostics (the dashboard's other screens) ----

/** The settings document as stored (see main/settings/schema.ts for its shape). */
export const SettingsDoc = z.record(z.string(), z.unknown());

export const SettingsView = z.object({
  file: z.string(),
  settings: SettingsDoc,
});

export const SettingsUpdate = z.strictObject({
  /** Only the fields to change, nested like the file: {"sync": {"intervalSeconds": 120}}. */
  patch: SettingsDoc,
});

export const SettingsUpdated = SettingsView.extend({
  /** Changes that apply only after a restart (listen address, TLS, billing kind). */
  restartNeeded: z.array(z.string()),
  message: z.string(),
});

export const ClientSeen = z.object({ address: z.string(), count: z.number(), lastAt: IsoDate });

export const AllowlistView = z.object({
  entries: z.array(z.string()),
  allowAll: z.boolean(),
  trustedProxies: z.array(z.string()),
  /** Addresses refused recently, newest first: often core's new address. */
  recentRefused: z.array(ClientSeen),
  /** Addresses served recently, newest first: usually core. */
  recentClients: z.array(ClientSeen),
});

export const AllowlistProblem = z.object({ index: z.number(), entry: z.string(), message: z.string() });

export const AllowlistCheck = z.object({
  valid: z.boolean(),
  problems: z.array(AllowlistProblem),
  /** Recent clients (core) the new list would refuse. */
  wouldLockOut: z.array(z.string()),
});

export const AllowlistSet = z.strictObject({
  entries: z.array(z.string().max(100)).max(1000),
  allowAll: z.boolean().default(false),
  /** Save even though recent clients would be refused. */
  confirmLockout: z.boolean().default(false),
});

export const SecretNameSchema = z.enum(['core-password', 'billing-password', 'api-token']);

export const SecretsStatus = z.object({
  items: z.array(z.object({
    name: SecretNameSchema,
    /** Set somewhere (the value is never shown). */
    set: z.boolean(),
    /** environment, keyring or file; null when not set. */
    source: z.string().nullable(),
  })),
  keyring: z.object({ available: z.boolean(), detail: z.string() }),
  /** Where secrets.set writes; null when writes are refused. */
  writesTo: z.string().nullable(),
  /** Why secrets cannot be stored here, and what to do instead; null when they can. */
  writeRefusal: z.string().nullable(),
});

export const LogEntry = z.object({
  time: IsoDate,
  level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']),
  msg: z.string(),
  fields: z.record(z.string(), z.unknown()),
});

export const SecurityStatus = z.object({
  /** Logins answered "wrong login or password" without a billing check until lockedUntil. */
  locked: z.array(z.object({ login: z.string(), failures: z.number(), lockedUntil: IsoDate, blockedAttempts: z.number() })),
  /** Attempts refused without a billing call since the agent started. */
  blockedAttempts: z.number(),
  checksLastMinute: z.number(),
  checksPerMinute: z.number(),
});

export const SetupState = z.object({
  /** Show the first-run wizard. */
  needed: z.boolean(),
  billing: z.object({ kind: z.string(), configured: z.boolean() }),
  core: z.object({ configured: z.boolean(), passwordSet: z.boolean() }),
  /** The allowlist is still the loopback-only default (core cannot reach the API yet). */
  allowlistIsDefault: z.boolean(),
  phoneFormat: z.string(),
});

export const AdminContract = {
  /** Who and where the agent is. */
  'agent.info': { input: NoInput, output: AgentInfo },
  /** `billing-bridge check` without leaving the dashboard. */
  'billing.check': { input: NoInput, output: z.array(CheckItem) },
  /** Checks billing settings before they are saved (a new Carbon address, say), without touching the running billing. */
  'billing.test': { input: z.strictObject({ billing: z.record(z.string(), z.unknown()) }), output: z.array(CheckItem) },

  /** Scans, deliveries, outbox depth, problems: everything the sync screen shows. */
  'sync.status': { input: NoInput, output: SyncStatus },
  /** Stops scans and deliveries (kept in the settings); the API keeps serving, the queue is kept. */
  'sync.pause': { input: NoInput, output: SyncStatus },
  /** Starts them again, with a scan at once. */
  'sync.resume': { input: NoInput, output: SyncStatus },
  /** Scans the billing now and queues callbacks for what changed. */
  'sync.scanNow': { input: NoInput, output: ScanReport },
  /** Tells core to re-read everything: a contract and a charge callback for every user. */
  'sync.resendAll': { input: NoInput, output: ScanReport },
  /** Queues one callback and reports whether core accepted it. */
  'callback.send': { input: CallbackRequest, output: CallbackResult },
  /** Callbacks given up on, newest first. */
  'outbox.deadLetters': { input: Limit(1000, 100), output: DeadLetters },
  /** Puts dead letters back in the queue. */
  'outbox.resend': { input: ResendRequest, output: ResendResult },
  /** The last delivery attempts, newest first (ids only). */
  'deliveries.recent': { input: Limit(200, 50), output: z.array(DeliveryAttempt) },

  'demo.pay': { input: z.strictObject({ contractId: Id, rubles: Rubles }), output: DemoContractState },
  'demo.charge': { input: z.strictObject({ contractId: Id, rubles: Rubles, description: z.string().trim().min(1).max(200) }), output: DemoContractState },
  'demo.setTariff': { input: z.strictObject({ contractId: Id, tariffId: Id }), output: DemoContractState },
  'demo.setBlock': { input: z.strictObject({ contractId: Id, blocked: z.boolean() }), output: DemoContractState },

  /** Locked logins and refused password attempts. */
  'security.status': { input: NoInput, output: SecurityStatus },
  /** Lifts a login's lockout. */
  'security.unlock': { input: z.strictObject({ login: z.string().min(1).max(256) }), output: z.object({ unlocked: z.boolean(), status: SecurityStatus }) },
  /** The settings file's content and path. */
  'settings.get': { input: NoInput, output: SettingsView },
  /** Merges a patch, validates the whole file (400 names the bad field), saves it and applies what it can at once. */
  'settings.update': { input: SettingsUpdate, output: SettingsUpdated },
  /** What the first-run wizard needs to know. */
  'setup.state': { input: NoInput, output: SetupState },
  /** Core's address test: reachability and whether core accepts our credentials. */
  'core.test': { input: NoInput, output: z.array(CheckItem) },
  'allowlist.get': { input: NoInput, output: AllowlistView },
  /** Validates a list as it is typed and names recent clients it would lock out. */
  'allowlist.check': { input: z.strictObject({ entries: z.array(z.string().max(100)).max(1000) }), output: AllowlistCheck },
  /** Saves and applies at once; refuses (409) to lock out recent clients unless confirmLockout. */
  'allowlist.set': { input: AllowlistSet, output: AllowlistView },
  'secrets.status': { input: NoInput, output: SecretsStatus },
  /** Stores a secret (keychain, or the 0600 file when chosen); it is never shown back. */
  'secrets.set': { input: z.strictObject({ name: SecretNameSchema, value: z.string().min(1).max(1024) }), output: SecretsStatus },
  'secrets.clear': { input: z.strictObject({ name: SecretNameSchema }), output: SecretsStatus },
  /** The newest log lines (already censored), oldest first. */
  'logs.recent': { input: z.strictObject({ limit: z.number().int().min(1).max(1000).default(200), level: LogEntry.shape.level.default('info') }), output: z.array(LogEntry) },
  /** Writes a diagnostics zip into the data directory and returns its path. */
  'diagnostics.create': { input: NoInput, output: z.object({ file: z.string() }) },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type AdminOp = keyof typeof AdminContract;
export type AdminInput<K extends AdminOp> = z.input<(typeof AdminContract)[K]['input']>;
export type AdminOutput<K extends AdminOp> = z.infer<(typeof AdminContract)[K]['output']>;
export type AdminHandlers = {
  [K in AdminOp]: (input: z.infer<(typeof AdminContract)[K]['input']>) => Promise<AdminOutput<K>>;
};

export type SyncStatus = z.infer<typeof SyncStatus>;
export type ScanReport = z.infer<typeof ScanReport>;
export type CallbackResult = z.infer<typeof CallbackResult>;
export type DeadLetter = z.infer<typeof DeadLetter>;
export type DeliveryAttempt = z.infer<typeof DeliveryAttempt>;
export type DemoContractState = z.infer<typeof DemoContractState>;

export type SetupState = z.infer<typeof SetupState>;
export type SecurityStatus = z.infer<typeof SecurityStatus>;
export type AllowlistView = z.infer<typeof AllowlistView>;
export type SecretsStatus = z.infer<typeof SecretsStatus>;
export type LogEntry = z.infer<typeof LogEntry>;

export const ADMIN_OPS = Object.keys(AdminContract) as AdminOp[];
