// The diagnostics bundle an admin sends to support: a zip of what helps find a problem and
// nothing that could hurt if it leaks. Settings hold no secrets by design; everything is scrubbed
// once more on the way in, and subscriber passwords never reach the parts it is made of.
import { createWriteStream, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import yazl from 'yazl';
import { censorSecrets } from '../logging/logger.js';
import { VERSION } from '../version.js';

export interface DiagnosticsParts {
  settings: unknown;
  /** Where each secret comes from (backend name or null) — never a value. */
  secrets: Record<string, string | null>;
  status: unknown;
  logs: unknown[];
  connectivity: unknown;
}

/** Every secret-named field replaced, at any depth: the last line of defence. */
export const scrub = censorSecrets;

export function versions() {
  return {
    billingBridge: VERSION,
    node: process.version,
    electron: process.versions.electron ?? null,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memory: `${Math.round(os.totalmem() / 2 ** 20)} MiB`,
    cpus: os.cpus().length,
    uptimeSeconds: Math.round(process.uptime()),
  };
}

export async function writeDiagnostics(dir: string, parts: DiagnosticsParts, now = new Date()): Promise<string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, `billing-bridge-diagnostics-${now.toISOString().replace(/[:.]/g, '-')}.zip`);
  const zip = new yazl.ZipFile();
  const add = (name: string, data: unknown) => zip.addBuffer(Buffer.from(typeof data === 'string' ? data : `${JSON.stringify(scrub(data), null, 2)}\n`), name, { mtime: now });
  add('README.txt', [
    'Billing Bridge diagnostics',
    `made ${now.toISOString()}`,
    '',
    'settings.json      the settings file (it never holds passwords)',
    'secrets.json       which secrets are set and where they come from (no values)',
    'versions.json      agent, Node.js and OS versions',
    'status.json        sync and delivery status of the running agent',
    'connectivity.json  billing and core connection checks',
    'logs.jsonl         recent log lines (passwords and tokens are censored when logged)',
    '',
  ].join('\n'));
  add('settings.json', parts.settings);
  add('secrets.json', parts.secrets);
  add('versions.json', versions());
  add('status.json', parts.status);
  add('connectivity.json', parts.connectivity);
  zip.addBuffer(Buffer.from(parts.logs.map((l) => JSON.stringify(scrub(l))).join('\n') + '\n'), 'logs.jsonl', { mtime: now });
  zip.end();
  const out = createWriteStream(file, { mode: 0o600 });
  zip.outputStream.pipe(out);
  await once(out, 'close');
  return file;
}
