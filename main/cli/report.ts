// How a command ends when it cannot do its job: exit codes (sysexits where one fits) and the
// error as plain text on stderr or, with --json, as one JSON object on stdout — so a script that
// asked for JSON always reads exactly one JSON document from stdout, success or failure.
import { CommanderError } from 'commander';
import { AdminCallError } from '../../shared/admin-client.js';
import { isJournalStream } from '../logging/journal.js';
import { SettingsError } from '../settings/store.js';

export const EXIT = {
  ok: 0,
  /** The command ran and the answer is "no" (a check failed, core refused), or it failed. */
  failed: 1,
  /** Wrong usage: unknown command or option, bad argument. */
  usage: 2,
  /** EX_CONFIG: the settings are wrong; restarting will not help. */
  config: 78,
} as const;

/** A command used wrongly, found by the command itself (commander finds the rest). */
export class UsageError extends Error {
  override name = 'UsageError';
}

let json = false;

/** Set once the command line is parsed: the command's --json. */
export function setJsonOutput(on: boolean): void {
  json = on;
}

export function jsonOutput(): boolean {
  return json;
}

export interface ErrorReport {
  /** Stable for scripts: settings, config, usage, agent, failed. */
  code: 'settings' | 'config' | 'usage' | 'agent' | 'failed';
  message: string;
  exitCode: number;
  file?: string;
  problems?: string[];
}

// Operator-facing words, kept here in one place.
const TEXT = {
  settingsHead: (file: string) => `Settings problem in ${file}:`,
  settingsTail: 'The file was left as it is. Fix it and start again.',
  settingsInvalid: (file: string) => `the settings in ${file} are not valid`,
  failed: 'failed',
};

export function describeError(err: unknown): ErrorReport {
  if (err instanceof SettingsError) return { code: 'settings', message: TEXT.settingsInvalid(err.file), exitCode: EXIT.config, file: err.file, problems: err.problems };
  if (err instanceof UsageError) return { code: 'usage', message: err.message, exitCode: EXIT.usage };
  // commander's own (unknown option, bad argument, …); help and --version end with 0 elsewhere.
  if (err instanceof CommanderError) return { code: 'usage', message: err.message.replace(/^error: /, ''), exitCode: EXIT.usage };
  if (err instanceof AdminCallError) return { code: 'agent', message: err.message, exitCode: EXIT.failed };
  // An error that knows its own exit code (another agent holds the data directory: 78).
  const own = (err as { exitCode?: unknown } | null)?.exitCode;
  if (err instanceof Error && typeof own === 'number') return { code: own === EXIT.config ? 'config' : 'failed', message: err.message, exitCode: own };
  if (err instanceof Error) return { code: 'failed', message: err.message, exitCode: EXIT.failed };
  return { code: 'failed', message: `${TEXT.failed}: ${String(err)}`, exitCode: EXIT.failed };
}

function textLines(r: ErrorReport): string[] {
  if (r.code === 'settings') return [TEXT.settingsHead(r.file!), ...r.problems!.map((p) => `  - ${p}`), TEXT.settingsTail];
  return [`billing-bridge: ${r.message}`];
}

/** A reason a person (or a script) can act on, and the exit code; never a stack trace for known cases. */
export function reportFatal(err: unknown): void {
  const report = describeError(err);
  printError(report);
  process.exitCode = report.exitCode;
}

export function printError(report: ErrorReport): void {
  if (json) {
    console.log(JSON.stringify({ error: report }));
    return;
  }
  // Under systemd the journal reads "<3>" as priority err, so `journalctl -p err` shows it.
  const prefix = isJournalStream(2) ? '<3>' : '';
  for (const line of textLines(report)) console.error(prefix + line);
}
