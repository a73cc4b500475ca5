// Small hooks the screens share: load-and-poll, a button's action, a debounced value, the page.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Polled<T> {
  data: T | null;
  /** The last load's failure; the last good data stays shown. */
  error: unknown;
  reload: () => void;
  /** Actions that answer fresh data (sync.pause answers the status) put it here at once. */
  setData: (data: T) => void;
}

/** Loads now, then every `intervalMs` after each answer (null: only once or on reload). */
export function usePoll<T>(load: () => Promise<T>, intervalMs: number | null, deps: readonly unknown[] = []): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  useEffect(() => {
    loadRef.current = load;
  });
  useEffect(() => {
    let alive = true;
    let timer: number | undefined;
    const run = async () => {
      try {
        const value = await loadRef.current();
        if (alive) {
          setData(value);
          setError(null);
        }
      } catch (err) {
        if (alive) setError(err);
      }
      if (alive && intervalMs !== null) timer = window.setTimeout(run, intervalMs);
    };
    void run();
    return () => {
      alive = false;
      window.clearTimeout(timer);
    };
    // The caller's deps name what makes it load again.
  }, [intervalMs, tick, ...deps]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, reload, setData };
}

export interface Action<A extends unknown[], R> {
  run: (...args: A) => Promise<R | undefined>;
  busy: boolean;
  error: unknown;
  result: R | null;
  reset: () => void;
}

/** A button's work: busy while it runs, its result or its error kept for display. */
export function useAction<A extends unknown[], R>(work: (...args: A) => Promise<R>): Action<A, R> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<R | null>(null);
  const run = async (...args: A): Promise<R | undefined> => {
    setBusy(true);
    setError(null);
    try {
      const value = await work(...args);
      setResult(value);
      return value;
    } catch (err) {
      setError(err);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  const reset = () => {
    setError(null);
    setResult(null);
  };
  return { run, busy, error, result, reset };
}

export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), ms);
    return () => window.clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** The current time, refreshed every `ms` (for "5 minutes ago"). */
export function useNow(ms = 10_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), ms);
    return () => window.clearInterval(timer);
  }, [ms]);
  return now;
}
