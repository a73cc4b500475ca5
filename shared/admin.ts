// The admin contract: every operation the dashboard, the tray and the CLI can ask of a running
// agent, with its input and output schema. Electron IPC and the loopback admin HTTP API both serve
// exactly these operations; nothing else reaches the core.
import { z } from 'zod';
import { Charge, Contract } from './data-provider.js';
import { BillingPatch, Settings, SettingsPatch } from './settings.js';

/** One check of `billing-bridge check`, the dashboard's test buttons and the readiness probe. */
export const CheckItem = z.object({
  name: z.string(),
  ok: z.boolean(),
  detail: z.string(),
  /** A failure that does not stop serving (a field left out of the answers). */
  warnOnly: z.boolean().optional(),
});
export type CheckItem = z.infer<typeof CheckItem>;

/** The billing's field map against the live billing (Carbon): each field, and the patch that fixes the map. */
export const FieldMapReport = z.object({
  /** Where the billing's own field names were read from. */
  source: z.string(),
  /** false: the billing could not tell its names, so the map is taken on trust. */
  checked: z.boolean(),
  fields: z.array(z.object({
    model: z.string(),
    path: z.string(),
    /** The setting that names it ("billing.carbon.fields.balance"); null for names that are not settings. */
    setting: z.string().nullable(),
    /** required: answers cannot be right without it; optional: left out; if-present: read only where it exists. */
    need: z.enum(['required', 'optional', 'if-present']),
    purpose: z.string(),
    status: z.enum(['present', 'missing', 'unknown']),
    /** For a missing field: what to write instead ('' switches it off); null when nothing fits. */
    replacement: z.string().nullable(),
    because: z.string().nullable(),
  })),
  /** Missing required fields, in plain words. */
  problems: z.array(z.string()),
  /** Optional fields left out of the answers. */
  warnings: z.array(z.string()),
  /** The settings patch that writes a working map; null when there is nothing to fix. */
  fix: z.object({
    patch: SettingsPatch,
    changes: z.array(z.object({ setting: z.string(), from: z.string(), to: z.string(), because: z.string() })),
  }).nullable(),
});

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

// ---- sync: change detection, the callback outbox, deliveries ----
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
  billing: z.object({
    kind: z.string(),
    /** Calls at the billing server in the last 60 s: change detection's, and those of core's requests and the operator's lookups. */
    callsPerMinute: z.object({ scan: z.number(), request: z.number() }),
  }),
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

export const SettingsView = z.object({
  file: z.string(),
  /** The settings the agent runs with, every default filled in. */
  settings: Settings,
  /** What is wrong with the file when it was edited into something that does not validate (the
   *  running settings are then the last good ones); empty when nothing is. */
  problems: z.array(z.string()).default([]),
});

export const SettingsUpdate = z.strictObject({
  /** Only the fields to change, nested like the file: {"sync": {"intervalSeconds": 120}}. */
  patch: SettingsPatch,
});

export const SettingsUpdated = SettingsView.extend({
  /** Changes that apply only after a restart (listen addresses, TLS, log level). */
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

/** The secrets the agent knows: core's callback password, the billing's password, the token core may present. */
export const SECRET_NAMES = ['core-password', 'billing-password', 'api-token'] as const;
export const SecretNameSchema = z.enum(SECRET_NAMES);
export type SecretName = z.infer<typeof SecretNameSchema>;

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
  /**
   * Logins answered "wrong login or password" without a billing check until lockedUntil. The agent
   * keeps no login as typed: a row is named by `ref` (the start of its keyed hash), by the
   * subscriber the last scan knew by that login, and by the login the billing has for that
   * subscriber, read when asked (null for a login nobody has, or when the billing cannot say).
   */
  locked: z.array(z.object({
    ref: z.string(),
    userId: z.string().nullable(),
    login: z.string().nullable(),
    failures: z.number(),
    lockedUntil: IsoDate,
    blockedAttempts: z.number(),
  })),
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

// ---- "why can't this subscriber open the door?": lookup and verdict, self-test, sync report ----
// Reasons come as a code with parameters, so the dashboard can word them in Russian or English,
// and as an English sentence for the CLI. Passwords never appear; problem lists carry ids only.

const Param = z.union([z.string(), z.number()]);

export const Reason = z.object({
  code: z.string(),
  params: z.record(z.string(), Param),
  text: z.string(),
});

/** ok: fine; warn: may stop the app; fail: stops it; unknown: cannot be told from here. */
export const RuleStatus = z.enum(['ok', 'warn', 'fail', 'unknown']);

export const VerdictRule = Reason.extend({
  rule: z.enum(['user-blocked', 'password', 'phone', 'delivery', 'balance', 'forced-block', 'tariff', 'state']),
  status: RuleStatus,
});

/** maybe: nothing in the billing stops it, but something may (core's copy, the permission map). */
export const DoorVerdict = z.enum(['yes', 'no', 'maybe']);

export const ContractVerdict = z.object({
  extId: z.string(),
  account: z.string(),
  door: DoorVerdict,
  /** What its tariffs' services grant in the app (empty when not known). */
  permissions: z.array(z.string()),
  rules: z.array(VerdictRule),
});

export const TariffView = z.object({
  id: z.string(),
  /** null: the tariff is not in /api/tariffs. */
  name: z.string().nullable(),
  services: z.array(z.object({ id: z.string(), name: z.string().nullable(), permissions: z.array(z.string()) })),
});

export const SubscriberDelivery = z.object({
  /** How what the billing answers now compares with what the last scan recorded (and core was told). */
  sinceLastScan: z.enum(['same', 'changed', 'new', 'not-scanned']),
  /** "user record", "contract 12331231", "charges" when changed. */
  changed: z.array(z.string()),
  lastScanAt: IsoDate.nullable(),
  /** The newest delivery attempt of a callback about this subscriber (the last 200 are kept). */
  lastAttempt: z.object({
    at: IsoDate, target: z.string(), attempt: z.number(), ok: z.boolean(), httpStatus: z.number().nullable(), error: z.string().nullable(),
  }).nullable(),
  waiting: z.array(z.object({ outboxId: z.number(), target: z.string(), since: IsoDate, attempts: z.number(), lastError: z.string().nullable(), nextAt: IsoDate })),
  deadLetters: z.array(z.object({ outboxId: z.number(), target: z.string(), deadAt: IsoDate, reason: z.string() })),
});

export const SubscriberExplanation = z.object({
  userId: z.string(),
  fetchedAt: IsoDate,
  door: DoorVerdict,
  /** The verdict in one sentence: the first thing that stops the door, or that nothing does. */
  headline: Reason,
  userRules: z.array(VerdictRule),
  contracts: z.array(ContractVerdict),
  /** Conditions only the platform knows (access to the entrance). */
  notChecked: z.array(Reason),
  /** What core gets from the API for this subscriber, fetched now through the same billing. */
  core: z.object({
    user: z.object({
      ext_user_id: z.string(), login: z.string(), is_blocked: z.boolean(), full_name: z.string(),
      phones: z.array(z.object({ number: z.string(), confirmed: z.boolean() })),
      /** Core receives the password in clear text; it is never shown here. */
      passwordSet: z.boolean(),
    }),
    contracts: z.array(Contract),
    /** Newest first, the first CHARGES_SHOWN of them. */
    charges: z.array(Charge),
    chargesTotal: z.number(),
    tariffs: z.array(TariffView),
  }),
  delivery: SubscriberDelivery,
});

export const LookupKind = z.enum(['login', 'phone', 'account', 'user-id', 'contract-id']);

export const SubscriberLookup = z.object({
  /** found: explanation is set; several: pick one of matches (ask again with its userId);
   *  not-ready: no scan finished yet; rebuilding: the next scan completes the index again. */
  state: z.enum(['found', 'several', 'none', 'not-ready', 'rebuilding']),
  message: z.string(),
  /** When the lookup index was last brought up to date (the last successful scan). */
  indexedAt: IsoDate.nullable(),
  matches: z.array(z.object({ userId: z.string(), by: z.array(LookupKind), contracts: z.array(z.string()) })),
  explanation: SubscriberExplanation.nullable(),
});

export const SelfTestCheck = z.object({
  name: z.string(),
  ok: z.boolean(),
  /** "user 58208891", "contract 12331231"; null for checks of the API as a whole. */
  subject: z.string().nullable(),
  detail: z.string(),
});

export const SelfTestReport = z.object({
  ok: z.boolean(),
  apiUrl: z.string(),
  /** The address the requests came from, as the allowlist sees it. */
  from: z.string(),
  startedAt: IsoDate,
  durationMs: z.number(),
  sampled: z.array(z.string()),
  requests: z.number(),
  passed: z.number(),
  failed: z.number(),
  checks: z.array(SelfTestCheck),
  /** Why the test could not run at all (the allowlist refuses loopback, nothing listens); null when it ran. */
  stoppedBecause: z.string().nullable(),
  message: z.string(),
});

export const ScanCounts = z.object({
  at: IsoDate,
  subscribers: z.number(),
  contracts: z.number(),
  /** null: the catalogue could not be read during that scan. */
  tariffs: z.number().nullable(),
  services: z.number().nullable(),
  problems: z.number(),
});

export const SyncReport = z.object({
  message: z.string(),
  last: ScanCounts.nullable(),
  previous: ScanCounts.nullable(),
  /** last minus previous; null for a value either scan lacks. */
  differences: z.object({ subscribers: z.number(), contracts: z.number(), tariffs: z.number().nullable(), services: z.number().nullable(), problems: z.number() }).nullable(),
  /** Subscribers core cannot be served well, by kind: no-phone, unparseable-phone, no-tariff, unknown-tariff, duplicate-login. */
  problems: z.array(z.object({
    kind: z.string(),
    count: z.number(),
    /** At most 100 per kind. */
    items: z.array(z.object({ userId: z.string(), contractId: z.string().nullable() })),
  })),
  /** Counts of the scans before, newest first. */
  history: z.array(ScanCounts),
});

export const AdminContract = {
  /** Who and where the agent is. */
  'agent.info': { input: NoInput, output: AgentInfo },
  /** A one-time code (single use, valid for a minute) that the browser dashboard trades for the token at POST /token. */
  'dashboard.code': { input: NoInput, output: z.object({ code: z.string(), expiresAt: z.string() }) },
  /** `billing-bridge check` without leaving the dashboard. */
  'billing.check': { input: NoInput, output: z.array(CheckItem) },
  /** Checks billing settings before they are saved (a new Carbon address, say), without touching the running billing. */
  'billing.test': { input: z.strictObject({ billing: BillingPatch }), output: z.array(CheckItem) },
  /** The field map against the live billing's own field list: present, missing, the likely replacement. */
  'billing.fieldMap': { input: NoInput, output: FieldMapReport },
  /** Writes the field map `billing.fieldMap` proposes into the settings; the billing is rebuilt with it at once. */
  'billing.fixFieldMap': { input: NoInput, output: z.object({ report: FieldMapReport, changed: z.array(z.string()), restartNeeded: z.array(z.string()), message: z.string() }) },

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
  /** Lifts a login's lockout: `login` as the subscriber types it, or the row's ref. */
  'security.unlock': { input: z.strictObject({ login: z.string().min(1).max(256) }), output: z.object({ unlocked: z.boolean(), status: SecurityStatus }) },
  /** The running settings, the file's path and what is wrong with the file, if anything. */
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

  /** Finds a subscriber by login, phone, contract number or id and says why the door opens or not. */
  'subscriber.explain': { input: z.strictObject({ query: z.string().trim().min(1).max(200), userId: Id.optional() }), output: SubscriberLookup },
  /** Calls the agent's own API the way core does for a sample of subscribers and checks every answer. */
  'selftest.run': { input: z.strictObject({ sample: z.number().int().min(1).max(100).default(20) }), output: SelfTestReport },
  /** Counts of the last scans and the subscribers core cannot be served well. */
  'sync.report': { input: NoInput, output: SyncReport },
} as const satisfies Record<string, { input: z.ZodType; output: z.ZodType }>;

export type AdminOp = keyof typeof AdminContract;
export type AdminInput<K extends AdminOp> = z.input<(typeof AdminContract)[K]['input']>;
export type AdminOutput<K extends AdminOp> = z.infer<(typeof AdminContract)[K]['output']>;
export type AdminHandlers = {
  [K in AdminOp]: (input: z.infer<(typeof AdminContract)[K]['input']>) => Promise<AdminOutput<K>>;
};

export type SyncStatus = z.infer<typeof SyncStatus>;
export type FieldMapReport = z.infer<typeof FieldMapReport>;
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

export type SubscriberLookup = z.infer<typeof SubscriberLookup>;
export type SubscriberExplanation = z.infer<typeof SubscriberExplanation>;
export type VerdictRule = z.infer<typeof VerdictRule>;
export type ContractVerdict = z.infer<typeof ContractVerdict>;
export type Reason = z.infer<typeof Reason>;
export type SelfTestReport = z.infer<typeof SelfTestReport>;
export type SelfTestCheck = z.infer<typeof SelfTestCheck>;
export type SyncReport = z.infer<typeof SyncReport>;

export const ADMIN_OPS = Object.keys(AdminContract) as AdminOp[];
