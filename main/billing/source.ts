// The seam between the agent and a billing system. Every adapter (demo, carbon, ...) implements
// this and does all of its billing's mapping (kopecks, string ids, states) inside itself, so the
// server, sync and diagnostics never see billing-specific shapes.
import type { CheckItem, FieldMapReport } from '../../shared/admin.js';
import type { Charge, Contract, Service, Tariff, User } from '../../shared/data-provider.js';
import { ExposedError } from '../../shared/wire.js';

export type { CheckItem } from '../../shared/admin.js';

/** What core would receive for one user: the input of change detection. */
export interface SubscriberSnapshot {
  user: User;
  contracts: Contract[];
  /** Newest first, at most the number asked for. */
  charges: Charge[];
  /**
   * What the adapter saw but could not map, as codes for the sync report (ids only ever leave
   * with them): `unparseable-phone` when a phone field holds text that is not a number.
   */
  problems?: string[];
}

/** A phone field held text that gave no number, or pieces that are not one ("не указан", "12-34"). */
export const UNPARSEABLE_PHONE = 'unparseable-phone';

export interface BillingSource {
  readonly kind: string;
  /** The user's ext_user_id when the pair is valid, null otherwise (never says which part was wrong). */
  authenticate(login: string, password: string): Promise<string | null>;
  getUser(userId: string): Promise<User | null>;
  /** null when the user does not exist; a user with no contracts gives []. */
  getContractsOfUser(userId: string): Promise<Contract[] | null>;
  getContract(extId: string): Promise<Contract | null>;
  listServices(): Promise<Service[]>;
  listTariffs(): Promise<Tariff[]>;
  /** Newest first, at most `limit`; null when the user does not exist. */
  getCharges(userId: string, limit: number): Promise<Charge[] | null>;
  /** Every subscriber as core would see it; used by change detection. Throws on an outage. */
  snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot>;
  /** Connection and data checks for `billing-bridge check` and the dashboard. */
  check(): Promise<CheckItem[]>;
  close(): Promise<void>;
  /**
   * The billing's own name for the account a typed login names (its contract number, say), so
   * lockouts count per account and not per spelling; null when it names none. Absent: the typed
   * login is the identity.
   */
  resolveLogin?(typed: string): Promise<string | null>;
  /**
   * What stops the adapter from serving correctly that only configuration fixes (a field map that
   * does not fit this billing), in plain words; empty when all is well. Shown in status, /readyz
   * and the dashboard.
   */
  problems?(): string[];
  /** The field map against the live billing, read now, with the settings patch that fixes it (Carbon). */
  fieldMap?(): Promise<FieldMapReport>;
}

/**
 * Why the billing could not answer: it cannot be reached, it refuses this host, it answered an
 * error about one of our field names, it answered something that is not its protocol, or it
 * answered an error of its own. Core gets the same 503 for every kind; logs, `check` and status
 * name the kind.
 */
export type OutageKind = 'unreachable' | 'refused' | 'field' | 'garbage' | 'error';

/**
 * The billing cannot be reached or answered nonsense: callers answer 503 with Retry-After, never
 * empty data. The details stay in the log; subclasses for distinct causes answer the same.
 */
export class BillingUnavailableError extends ExposedError {
  override name = 'BillingUnavailableError';
  readonly kind: OutageKind = 'error';
  override readonly headers = { 'Retry-After': '30' };
  override readonly logAs = { level: 'warn', msg: 'billing unavailable' } as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(503, 'billing_unavailable', message, options);
  }
  override get publicMessage(): string {
    return 'The billing system cannot be reached right now; try again later.';
  }
}

/** No answer at all: connection refused, no route, the name does not resolve, a timeout, a reset. */
export class BillingUnreachableError extends BillingUnavailableError {
  override name = 'BillingUnreachableError';
  override readonly kind = 'unreachable';
}

/** The billing answers, but refuses this host (an IP allow-list). */
export class BillingRefusedError extends BillingUnavailableError {
  override name = 'BillingRefusedError';
  override readonly kind = 'refused';
}

/** The billing says one of the field names we asked for does not exist: the field map is wrong. */
export class BillingFieldError extends BillingUnavailableError {
  override name = 'BillingFieldError';
  override readonly kind = 'field';
}

/** The billing answered something that is not its protocol (not JSON, an HTML error page, a wrong shape). */
export class BillingGarbageError extends BillingUnavailableError {
  override name = 'BillingGarbageError';
  override readonly kind = 'garbage';
}

/** The billing answered, but one subscriber's data cannot be mapped (e.g. a malformed amount). */
export class BillingDataError extends ExposedError {
  override name = 'BillingDataError';
  override readonly logAs = { level: 'error', msg: 'billing data cannot be mapped' } as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(502, 'billing_data_error', message, options);
  }
  override get publicMessage(): string {
    return 'The billing holds data for this request that cannot be served; the agent\'s log names it.';
  }
}
