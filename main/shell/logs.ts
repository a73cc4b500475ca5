// The tray app has no console: its log (the in-process agent's and the shell's own) goes to
// <dataDir>/logs/billing-bridge.log, JSON lines, censored like every log. Kept small by moving
// the file aside at start once it passes 10 MiB (one old file is kept).
import { createWriteStream, existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import path from 'node:path';
import { createLogger, type Logger } from '../logging/logger.js';
import { dataFiles, ensureDataDir } from '../settings/paths.js';
import type { Settings } from '../../shared/settings.js';
import { readSettings } from '../settings/store.js';

const ROTATE_AT = 10 * 1024 * 1024;

export function logDir(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

export function createFileLogger(dataDir: string): { log: Logger; file: string } {
  ensureDataDir(dataDir);
  const dir = logDir(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(dir, 'billing-bridge.log');
  if (existsSync(file) && statSync(file).size > ROTATE_AT) renameSync(file, `${file}.1`);
  let level: Settings['log']['level'] = 'info';
  try {
    const settings = dataFiles(dataDir).settings;
    level = readSettings(settings).log.level;
  } catch {
    // A broken settings file is reported when the agent starts; log at the default level until then.
  }
  const destination = createWriteStream(file, { flags: 'a', mode: 0o600 });
  return { log: createLogger({ level, pretty: false, destination }), file };
}
