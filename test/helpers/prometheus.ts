// Reads Prometheus' text exposition format and checks it against Prometheus' naming rules
// (https://prometheus.io/docs/practices/naming/), and runs promtool on it when it is installed.
import { spawnSync } from 'node:child_process';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Family {
  name: string;
  type: string;
  help: string;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Families by name, with their samples (a histogram's _bucket, _sum and _count go to it). */
export function parseExposition(text: string): Map<string, Family> {
  const families = new Map<string, Family>();
  const family = (name: string): Family => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { name, type: 'untyped', help: '', samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) ?(.*)$/.exec(line);
    if (meta) {
      if (meta[1] === 'HELP') family(meta[2]!).help = meta[3]!;
      else family(meta[2]!).type = meta[3]!;
      continue;
    }
    if (line.startsWith('#')) continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (m[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
    const name = m[1]!;
    const base = [...families.keys()].find((f) => name === f || (families.get(f)!.type !== 'counter' && /^_(bucket|sum|count)$/.test(name.slice(f.length)) && name.startsWith(f)));
    family(base ?? name).samples.push({ name, labels, value: Number(m[3]) });
  }
  return families;
}

/** Units that are not Prometheus' base units (seconds, bytes, ratios). */
const NOT_BASE_UNITS = ['milliseconds', 'microseconds', 'nanoseconds', 'ms', 'us', 'minutes', 'hours', 'days', 'kilobytes', 'megabytes', 'gigabytes', 'kb', 'mb', 'gb', 'percent'];

/** Everything in `families` that breaks a naming rule, one sentence each; empty when all is well. */
export function namingProblems(families: Map<string, Family>): string[] {
  const problems: string[] = [];
  for (const f of families.values()) {
    const words = f.name.split('_');
    if (!/^[a-z][a-z0-9_]*$/.test(f.name)) problems.push(`${f.name}: not lower snake_case`);
    if (f.type === 'counter' && !f.name.endsWith('_total')) problems.push(`${f.name}: a counter must end in _total`);
    if (f.type !== 'counter' && f.name.endsWith('_total')) problems.push(`${f.name}: only counters end in _total (it is a ${f.type})`);
    for (const unit of NOT_BASE_UNITS) if (words.includes(unit)) problems.push(`${f.name}: "${unit}" is not a base unit (use seconds or bytes)`);
    if (words.some((w) => ['duration', 'latency', 'lag', 'age', 'time', 'timestamp'].includes(w)) && !/_seconds(_total)?$/.test(f.name)) {
      problems.push(`${f.name}: a time must be in seconds and say so (_seconds)`);
    }
    if (f.name.includes('timestamp') && !f.name.endsWith('_timestamp_seconds')) problems.push(`${f.name}: a timestamp ends in _timestamp_seconds`);
    for (let i = 1; i < words.length; i++) if (words[i] === words[i - 1]) problems.push(`${f.name}: doubled "${words[i]}"`);
    if (f.name.split('billing_bridge').length > 2) problems.push(`${f.name}: doubled prefix`);
    if (!/^(billing_bridge|process|nodejs)_/.test(f.name)) problems.push(`${f.name}: neither the agent's prefix nor a standard process or Node.js metric`);
    if (f.help.trim() === '') problems.push(`${f.name}: no HELP text`);
    for (const s of f.samples) {
      for (const label of Object.keys(s.labels)) {
        if (label === 'status') problems.push(`${f.name}: HTTP status goes in the "code" label, not "status"`);
        if (!/^[a-z][a-z0-9_]*$/.test(label)) problems.push(`${f.name}: label ${label} is not lower snake_case`);
      }
    }
  }
  return problems;
}

/** `promtool check metrics` on the text; null when promtool is not installed. */
export function promtoolCheck(text: string): { status: number; output: string } | null {
  const run = spawnSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  if (run.error && (run.error as NodeJS.ErrnoException).code === 'ENOENT') return null;
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}`.trim() };
}
