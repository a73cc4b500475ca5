// Under systemd, stdout and stderr go to the journal, which reads a "<N>" syslog priority at the
// start of each line (SyslogLevelPrefix=, on by default), so `journalctl -p err` finds errors.
// systemd sets JOURNAL_STREAM to "<device>:<inode>" of the stream it connected; a line is
// prefixed only when that stream is really the one written to (not a pipe or file it was
// redirected to), as sd_journal_stream_fd(3) advises.
import { fstatSync } from 'node:fs';

/** pino's numeric levels → syslog priorities (fatal → crit, error → err, …, trace → debug). */
const PRIORITY: Record<number, number> = { 60: 2, 50: 3, 40: 4, 30: 6, 20: 7, 10: 7 };

export function syslogPriority(pinoLevel: number): number {
  return PRIORITY[pinoLevel] ?? 6;
}

export function isJournalStream(fd: number, env: NodeJS.ProcessEnv = process.env): boolean {
  const match = /^(\d+):(\d+)$/.exec(env.JOURNAL_STREAM ?? '');
  if (!match) return false;
  try {
    const stat = fstatSync(fd, { bigint: true });
    return stat.dev === BigInt(match[1]!) && stat.ino === BigInt(match[2]!);
  } catch {
    return false;
  }
}

const LEVEL_AT_START = /^\{"level":(\d+)/;

/** A pino JSON line with the priority of its level in front ("<3>{"level":50,…}"). */
export function withPriority(line: string): string {
  const match = LEVEL_AT_START.exec(line);
  return `<${syslogPriority(match ? Number(match[1]) : 30)}>${line}`;
}
