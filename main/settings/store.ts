// Reading and writing the settings file. A file that cannot be read or does not validate is
// reported with the path of every bad field and is never overwritten; writes are atomic.
import { existsSync, readFileSync, copyFileSync } from 'node:fs';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { MIGRATIONS, migrate } from './migrations.js';
import { SETTINGS_VERSION, Settings, defaultSettings } from '../../shared/settings.js';
import { ExposedError, codeFor } from '../../shared/wire.js';

/** Settings that do not validate, with the path of every bad field: a change is refused (400). */
export class SettingsError extends ExposedError {
  override name = 'SettingsError';
  constructor(
    readonly file: string,
    readonly problems: string[],
    status = 400,
  ) {
    super(status, codeFor(status), `${file} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  override get publicMessage(): string {
    return this.problems.join('; ');
  }
}

/** The file itself cannot be read or does not validate: it is left alone, and changes wait until it is fixed (409). */
export class SettingsFileError extends SettingsError {
  override name = 'SettingsFileError';
  constructor(file: string, problems: string[]) {
    super(file, problems, 409);
  }
  override get publicMessage(): string {
    return `the settings file has errors; fix it first: ${this.problems.join('; ')}`;
  }
}

export interface LoadedSettings {
  settings: Settings;
  /** The file did not exist and was written with the defaults. */
  created: boolean;
  /** The version the file had before it was migrated, if it was. */
  migratedFrom?: number;
  /** The file's text as it is now (after writing the defaults or the migrated file). */
  text: string;
}

/** `server.allowlist.0: "x" is not an IP address ...` — the path a person would look for in the file. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    const message = issue.code === 'unrecognized_keys'
      ? `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (check the spelling)`
      : issue.message;
    return where ? `${where}: ${message}` : message;
  });
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const position = /position (\d+)/.exec(String((err as Error).message));
    if (position) {
      const before = text.slice(0, Number(position[1]));
      const line = before.split('\n').length;
      const column = before.length - before.lastIndexOf('\n');
      throw new SettingsFileError(file, [`not valid JSON at line ${line}, column ${column}: ${(err as Error).message}`]);
    }
    throw new SettingsFileError(file, [`not valid JSON: ${(err as Error).message}`]);
  }
}

export function loadSettings(file: string): LoadedSettings {
  if (!existsSync(file)) {
    const settings = defaultSettings();
    return { settings, created: true, text: writeSettingsFile(file, settings) };
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SettingsFileError(file, [`cannot be read: ${(err as Error).message}`]);
  }
  return settingsFromText(file, text);
}

/**
 * The settings as a client of the agent sees them (the CLI, `check`, the tray attaching to a
 * service): the defaults when there is no file, an older file migrated in memory. Never writes:
 * only the agent itself creates or migrates the file.
 */
export function readSettings(file: string): Settings {
  if (!existsSync(file)) return defaultSettings();
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new SettingsFileError(file, [`cannot be read: ${(err as Error).message}`]);
  }
  return settingsFromText(file, text, { write: false }).settings;
}

/** The settings in `text` (the file's content), migrated and (unless told not to) written back when it is older. */
export function settingsFromText(file: string, text: string, options: { write: boolean } = { write: true }): LoadedSettings {
  const current = SETTINGS_VERSION;
  const doc = parseJson(file, text);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new SettingsFileError(file, ['must be a JSON object such as {"version": 1}']);
  }
  const record = doc as Record<string, unknown>;
  const version = record.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new SettingsFileError(file, [`version: must be a whole number (this Billing Bridge writes ${current})`]);
  }
  if (version > current) {
    throw new SettingsFileError(file, [`version: ${version} was written by a newer Billing Bridge; this one understands up to ${current}`]);
  }
  const migrated = version < current ? migrate(record, version, current, MIGRATIONS) : record;
  const result = Settings.safeParse(migrated);
  if (!result.success) throw new SettingsFileError(file, describeIssues(result.error));
  if (version < current && options.write) {
    // Keep what the admin wrote; the migrated file replaces it only after it validated.
    copyFileSync(file, `${file}.v${version}.bak`);
    return { settings: result.data, created: false, migratedFrom: version, text: writeSettingsFile(file, result.data) };
  }
  return { settings: result.data, created: false, text };
}

/** Validates (SettingsError names every bad field) without writing anything. */
export function validateSettings(file: string, doc: unknown): Settings {
  const result = Settings.safeParse(doc);
  if (!result.success) throw new SettingsError(file, describeIssues(result.error));
  return result.data;
}

/** Validates, then replaces the file atomically (owner-only). */
export function saveSettings(file: string, settings: unknown): Settings {
  const valid = validateSettings(file, settings);
  writeSettingsFile(file, valid);
  return valid;
}

/** Writes the file atomically (owner-only) and returns the text written. */
export function writeSettingsFile(file: string, settings: Settings): string {
  const text = `${JSON.stringify(settings, null, 2)}\n`;
  writeFileAtomic.sync(file, text, { mode: 0o600 });
  return text;
}
