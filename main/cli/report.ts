import { SettingsError } from '../settings/store.js';

/**
 * A reason a person can act on, on stderr, and exit code 1 (or the error's own `exitCode`, e.g.
 * 78 for a data directory another agent holds); never a stack trace for known cases.
 */
export function reportFatal(err: unknown): void {
  if (err instanceof SettingsError) {
    console.error(`Settings problem in ${err.file}:`);
    for (const problem of err.problems) console.error(`  - ${problem}`);
    console.error('The file was left as it is. Fix it and start again.');
  } else if (err instanceof Error) {
    console.error(`billing-bridge: ${err.message}`);
  } else {
    console.error('billing-bridge: failed', err);
  }
  const own = (err as { exitCode?: unknown } | null)?.exitCode;
  process.exitCode = typeof own === 'number' ? own : 1;
}
