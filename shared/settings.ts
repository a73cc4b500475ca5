// The settings file: one JSON document with a `version`, validated by this schema. Secrets are
// never here (see secrets/). Every field has a default, so `{"version": 1}` is a working file.
import { z } from 'zod';
import { CarbonSettings } from './carbon-settings.js';
import { parseRange } from './ip-ranges.js';

export const SETTINGS_VERSION = 1;

/** Dot-separated labels of letters, digits, hyphens (and the underscores some DNS names carry). */
const HOSTNAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/;

const IpEntry = z.string().refine((s) => parseRange(s) !== null, {
  error: (issue) => `"${String(issue.input)}" is not an IP address or CIDR range (examples: 203.0.113.7, 203.0.113.0/24, 2001:db8::/32)`,
});

const HostnameEntry = z.string().trim().toLowerCase().transform((s) => s.replace(/\.$/, '')).refine((s) => HOSTNAME.test(s), {
  error: (issue) => `"${String(issue.input)}" is not a host name (example: billing.example.net; no scheme, port or path)`,
});

const Server = z.strictObject({
  /** Omitted: every interface, IPv4 and IPv6. */
  host: z.string().min(1).optional(),
  port: z.number().int().min(1).max(65_535).default(8080),
  /** Who may call the Data Provider API. Loopback only until the admin adds core's address. */
  allowlist: z.array(IpEntry).default(['127.0.0.1', '::1']),
  /** Accept any address. Only for setups where something in front already filters. */
  allowAll: z.boolean().default(false),
  /** Proxies whose X-Forwarded-For is believed; empty means the socket address is the client. */
  trustedProxies: z.array(IpEntry).default([]),
  /**
   * DNS names core calls the API by. IP addresses and localhost are always answered; any other
   * name in Host is refused, so a web page cannot reach the API through a name it points here.
   */
  hostnames: z.array(HostnameEntry).default([]),
  /** Requests handled at once; more get 503 with Retry-After instead of queueing without bound. */
  maxConcurrentRequests: z.number().int().min(1).max(10_000).default(64),
  /**
   * Optional credential core must present besides coming from an allowed address. The spec does
   * not define one, so it is off unless the platform can send it. The secret is `api-token`.
   */
  inboundAuth: z.enum(['none', 'basic', 'bearer']).default('none'),
  /** With inboundAuth "basic": the login core sends (the password is the `api-token` secret). */
  inboundLogin: z.string().default('core'),
  tls: z.strictObject({
    /** off: plain HTTP (behind a TLS-terminating router); files: certFile/keyFile; self-signed: generated once. */
    mode: z.enum(['off', 'files', 'self-signed']).default('off'),
    certFile: z.string().default(''),
    keyFile: z.string().default(''),
  }).refine((t) => t.mode !== 'files' || (t.certFile !== '' && t.keyFile !== ''), {
    error: 'mode "files" needs certFile and keyFile (PEM paths)',
  }).prefault({}),
}).refine((s) => s.allowAll || s.allowlist.length > 0, {
  path: ['allowlist'],
  error: 'is empty, so nobody could call the API: add core\'s address, or set "allowAll": true to accept any address',
});

const Admin = z.strictObject({
  /** The dashboard and CLI talk to the agent on 127.0.0.1:<port>; it is never bound elsewhere. */
  port: z.number().int().min(1).max(65_535).default(8081),
});

const Billing = z.strictObject({
  kind: z.enum(['demo', 'carbon']).default('demo'),
  demo: z.strictObject({
    /** Synthetic subscribers generated after the hand-written ones (for load tests). */
    synthetic: z.number().int().min(0).max(1_000_000).default(0),
    seed: z.number().int().default(1),
  }).prefault({}),
  carbon: CarbonSettings.prefault({}),
});

const Core = z.strictObject({
  /** Where callbacks go, e.g. https://core.example.com; empty until the platform issues it. */
  baseUrl: z.union([z.literal(''), z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// address' })])
    // A password here would be shown in status and exported with the diagnostics; the message
    // never repeats the value.
    .refine((url) => url === '' || !hasUserInfo(url), {
      error: 'must not carry a login or password: put the login in core.login and the password in the core-password secret (BILLING_BRIDGE_CORE_PASSWORD, or the dashboard\'s Secrets)',
    })
    .default(''),
  /** HTTP Basic login issued by the platform; the password is a secret (BILLING_BRIDGE_CORE_PASSWORD). */
  login: z.string().default(''),
  /** Give up on a connection to core that is not established within this time. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000),
  /** Give up on a callback core has not fully answered within this time (it is retried). */
  timeoutMs: z.number().int().min(500).max(300_000).default(15_000),
});

function hasUserInfo(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.username !== '' || parsed.password !== '';
  } catch {
    return false;
  }
}

const Sync = z.strictObject({
  enabled: z.boolean().default(true),
  intervalSeconds: z.number().int().min(5).max(86_400).default(60),
  /** A callback core has not accepted for this long moves to the dead letters (re-sendable). */
  retryHorizonHours: z.number().min(0.01).max(24 * 365).default(72),
});

const Phones = z.strictObject({
  /** national: 9090833414 (the newest seed); international: 79090833414. */
  format: z.enum(['national', 'international']).default('national'),
  /** Country assumed for numbers written without "+". */
  defaultCountry: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as RU').default('RU'),
});

/** Where secrets set from the dashboard are kept (environment variables always come first). */
const Secrets = z.strictObject({
  /** auto: the OS keychain when there is one, else writes are refused; file: secrets.json (0600) on purpose. */
  backend: z.enum(['auto', 'keyring', 'file']).default('auto'),
});

const Security = z.strictObject({
  /** Wrong passwords for one login within the window that lock it. */
  lockoutFailures: z.number().int().min(1).max(1000).default(5),
  lockoutWindowMinutes: z.number().int().min(1).max(1440).default(15),
  /** How long a locked login is answered "wrong login or password" without asking the billing. */
  lockoutMinutes: z.number().int().min(1).max(10_080).default(15),
  /** Password checks sent to the billing per minute, all logins together; beyond it, 429. */
  passwordChecksPerMinute: z.number().int().min(1).max(100_000).default(120),
});

/** The app permissions of the platform (seed 001 §3), granted by the services of a tariff. */
export const PERMISSIONS = ['open_relay', 'video', 'call_sip', 'call_history', 'access_code', 'cams'] as const;

const Permissions = z.strictObject({
  /**
   * Service id → the permissions the platform attaches to it ("Tariffs" → "Permissions"); only the
   * subscriber diagnosis reads it. Absent: the demo billing's own map, unknown for other billings.
   */
  services: z.record(z.string().min(1), z.array(z.enum(PERMISSIONS))).optional(),
});

const Log = z.strictObject({
  level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace']).default('info'),
});

export const Settings = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  server: Server.prefault({}),
  admin: Admin.prefault({}),
  billing: Billing.prefault({}),
  core: Core.prefault({}),
  sync: Sync.prefault({}),
  phones: Phones.prefault({}),
  security: Security.prefault({}),
  permissions: Permissions.prefault({}),
  log: Log.prefault({}),
  secrets: Secrets.prefault({}),
});

export type Settings = z.infer<typeof Settings>;

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

/**
 * A change, nested like the file: {"sync": {"intervalSeconds": 120}}. Objects merge key by key;
 * arrays and values replace. Checked field by field once merged, so a refusal names the field
 * as it is in the file (server.port, not patch.server.port).
 */
export type SettingsPatch = DeepPartial<Omit<Settings, 'version'>>;

const patchOf = <T>() => z.custom<T>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object of settings, nested like the file');
export const SettingsPatch = patchOf<SettingsPatch>();
/** The `billing` part of a patch, for trying billing settings before they are saved. */
export const BillingPatch = patchOf<NonNullable<SettingsPatch['billing']>>();

export function defaultSettings(): Settings {
  return Settings.parse({ version: SETTINGS_VERSION });
}
