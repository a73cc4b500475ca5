// Time and chance as parameters, so tests can jump 72 hours ahead or pin the jitter.
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A number in [0, 1), like Math.random. */
export type Random = () => number;

export function iso(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}
