// Retry timing: exponential backoff with jitter, and core's own Retry-After when it gives one.
import type { Random } from './clock.js';

export interface BackoffOptions {
  /** The first retry waits about this long. */
  baseMs: number;
  /** No retry waits longer than this. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 2_000, maxMs: 10 * 60_000 };

/** Longest Retry-After honoured: a wrong header must not park deliveries for days. */
export const MAX_RETRY_AFTER_MS = 60 * 60_000;

/**
 * The wait before retry number `failures` (1 = after the first failure): base·2^(failures-1),
 * capped, then "equal jitter" (half fixed, half random) so many agents or items do not retry in
 * lockstep yet the wait never collapses to zero.
 */
export function backoffDelay(failures: number, random: Random, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(Math.max(failures - 1, 0), 30));
  return Math.round(exp / 2 + random() * (exp / 2));
}

/** Retry-After as delta-seconds or an HTTP date → milliseconds from `now`, or null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined | null, now: number): number | null {
  if (value === undefined || value === null) return null;
  const text = value.trim();
  if (text === '') return null;
  let ms: number;
  if (/^\d+$/.test(text)) {
    ms = Number(text) * 1000;
  } else {
    const at = Date.parse(text);
    if (Number.isNaN(at)) return null;
    ms = at - now;
  }
  return Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);
}
