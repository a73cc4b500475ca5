// The one owner of the running settings (after Syncthing's config.Wrapper). current() is what the
// agent runs with; update(patch) merges, validates, writes the file atomically and tells the
// subscribers what changed. A hand edit of the file (its folder is watched) and SIGHUP read it
// again. A file that does not validate is reported and left alone, and the running settings stay
// in force until it is fixed; then it applies.
import { readFileSync, unwatchFile, watch, watchFile, type FSWatcher } from 'node:fs';
import path from 'node:path';
import type { Settings, SettingsPatch } from '../../shared/settings.js';
import type { Logger } from '../logging/logger.js';
import { SettingsFileError, loadSettings, settingsFromText, validateSettings, writeSettingsFile } from './store.js';

export interface SettingsChange {
  before: Settings;
  after: Settings;
  /** Dotted paths of what differs: "sync.intervalSeconds", "server.allowlist" (an array as a whole). */
  changed: string[];
  /** The settings among them that apply only after a restart. */
  restartNeeded: string[];
  /** update: an admin operation; file: the file was edited; signal: SIGHUP. */
  source: 'update' | 'file' | 'signal';
}

export type SettingsListener = (change: SettingsChange) => void | Promise<void>;

/**
 * What is built once at start: the sockets, TLS, the logger, the secret store and core's HTTP
 * client. Everything else applies at once (the billing adapter is rebuilt behind its guard).
 */
export const RESTART_FIELDS = ['server.host', 'server.port', 'server.tls', 'admin.port', 'log.level', 'secrets.backend', 'core.connectTimeoutMs', 'core.timeoutMs'];

/** A hand edit is read this long after the last event (editors write a file in several steps). */
const SETTLE_MS = 200;

type Doc = Record<string, unknown>;
const isPlain = (v: unknown): v is Doc => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Objects merge key by key; arrays and values replace. */
export function deepMerge(base: Doc, patch: Doc): Doc {
  const out: Doc = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor') continue;
    const current = out[key];
    out[key] = isPlain(value) && isPlain(current) ? deepMerge(current, value) : value;
  }
  return out;
}

function differences(a: unknown, b: unknown, at: string): string[] {
  if (isPlain(a) && isPlain(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => differences(a[k], b[k], at === '' ? k : `${at}.${k}`));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [at];
}

const under = (p: string, section: string) => p === section || p.startsWith(`${section}.`);

/** Whether a change touches any of these sections ("billing", "server.allowlist"). */
export function touches(change: SettingsChange, ...sections: string[]): boolean {
  return change.changed.some((p) => sections.some((s) => under(p, s)));
}

export class SettingsStore {
  private settings: Settings;
  /** The file's text as last read or written, to tell our own writes and no-op saves from edits. */
  private seen: string;
  private broken: SettingsFileError | null = null;
  private missing = false;
  private readonly listeners = new Set<SettingsListener>();
  private log: Logger | undefined;
  private watcher: FSWatcher | null = null;
  private polling = false;
  private settle: NodeJS.Timeout | undefined;
  private onHangup: (() => void) | null = null;
  /** Set when the file was created with the defaults or migrated from an older version. */
  readonly loaded: { created: boolean; migratedFrom?: number };

  /** Reads the file (writing the defaults when there is none); a broken file throws SettingsFileError. */
  constructor(readonly file: string) {
    const loaded = loadSettings(file);
    this.settings = loaded.settings;
    this.seen = loaded.text;
    this.loaded = { created: loaded.created, migratedFrom: loaded.migratedFrom };
  }

  current(): Settings {
    return this.settings;
  }

  /** What is wrong with the file now, each with the field at fault; empty when nothing is. */
  problems(): string[] {
    if (this.missing) return ['the file is missing: the running settings stay in force, and the next change writes them back'];
    return this.broken?.problems ?? [];
  }

  /** The same in one sentence for the status screen; null when the file is fine. */
  notice(): string | null {
    const problems = this.problems();
    if (problems.length === 0) return null;
    return `${this.file} has a problem, so the running settings stay in force until it is fixed: ${problems.join('; ')}`;
  }

  subscribe(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The settings a patch would give, validated (SettingsError names every bad field); nothing is written. */
  preview(patch: SettingsPatch): Settings {
    return validateSettings(this.file, deepMerge(this.settings as unknown as Doc, patch as Doc));
  }

  /**
   * Merges, validates and writes the file, then tells the subscribers. An edit of the file not yet
   * read is read first, so it is kept; while the file is broken, changes are refused (409).
   */
  update(patch: SettingsPatch): { settings: Settings; restartNeeded: string[] } {
    this.reload('file');
    if (this.broken) throw this.broken;
    const next = this.preview(patch);
    this.seen = writeSettingsFile(this.file, next);
    this.missing = false;
    const change = this.apply(next, 'update');
    return { settings: next, restartNeeded: change?.restartNeeded ?? [] };
  }

  /** Reads the file again: applies it when it validates and differs, reports it when it does not. */
  reload(source: 'file' | 'signal' = 'file'): SettingsChange | null {
    let next: Settings;
    try {
      const text = this.read();
      if (text === null) {
        if (!this.missing) this.log?.warn({ file: this.file }, 'the settings file is missing; the running settings stay in force');
        this.missing = true;
        return null;
      }
      this.missing = false;
      if (text === this.seen) {
        if (source === 'signal') this.log?.info({ file: this.file }, 'settings read again: nothing changed');
        return null;
      }
      this.seen = text;
      const loaded = settingsFromText(this.file, text);
      next = loaded.settings;
      this.seen = loaded.text;
    } catch (err) {
      if (!(err instanceof SettingsFileError)) throw err;
      if (this.broken?.publicMessage !== err.publicMessage) {
        this.log?.warn({ file: this.file, problems: err.problems }, 'the settings file has errors; the running settings stay in force until it is fixed');
      }
      this.broken = err;
      return null;
    }
    if (this.broken) this.log?.info({ file: this.file }, 'the settings file is valid again');
    this.broken = null;
    return this.apply(next, source);
  }

  /** Follows hand edits of the file and SIGHUP, reporting to `log`. */
  watch(log: Logger): void {
    this.log = log;
    const name = path.basename(this.file);
    try {
      this.watcher = watch(path.dirname(this.file), { persistent: false }, (_event, filename) => {
        if (filename === null || filename === name) this.soon();
      });
      this.watcher.on('error', (err) => this.poll(err));
    } catch (err) {
      this.poll(err as Error);
    }
    this.onHangup = () => this.safely(() => this.reload('signal'));
    process.on('SIGHUP', this.onHangup);
    // An edit made while the agent was starting.
    this.safely(() => this.reload('file'));
  }

  close(): void {
    clearTimeout(this.settle);
    this.watcher?.close();
    this.watcher = null;
    if (this.polling) unwatchFile(this.file);
    if (this.onHangup) process.off('SIGHUP', this.onHangup);
    this.onHangup = null;
    this.listeners.clear();
  }

  /** The file's text; null when there is no file. */
  private read(): string | null {
    try {
      return readFileSync(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new SettingsFileError(this.file, [`cannot be read: ${(err as Error).message}`]);
    }
  }

  private apply(next: Settings, source: SettingsChange['source']): SettingsChange | null {
    const before = this.settings;
    const changed = differences(before, next, '');
    if (changed.length === 0) return null;
    this.settings = next;
    const restartNeeded = RESTART_FIELDS.filter((f) => changed.some((p) => under(p, f)));
    const change: SettingsChange = { before, after: next, changed, restartNeeded, source };
    if (source !== 'update' && restartNeeded.length > 0) {
      this.log?.warn({ changed, restartNeeded, source }, 'settings changed in the file; restart the agent to apply the listed ones');
    } else {
      this.log?.info({ changed, restartNeeded, source }, 'settings changed');
    }
    for (const listener of this.listeners) {
      this.safely(() => {
        const done = listener(change);
        if (done) done.catch((err: unknown) => this.log?.error({ err }, 'applying a settings change failed'));
      });
    }
    return change;
  }

  private soon(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => this.safely(() => this.reload('file')), SETTLE_MS);
    this.settle.unref();
  }

  /** Where the folder cannot be watched (no inotify watches left, say): look at the file every second. */
  private poll(err: Error): void {
    this.log?.warn({ err: err.message, file: this.file }, 'cannot watch the settings folder; checking the file every second instead');
    this.watcher?.close();
    this.watcher = null;
    if (this.polling) return;
    this.polling = true;
    watchFile(this.file, { interval: 1_000, persistent: false }, () => this.soon());
  }

  private safely(run: () => unknown): void {
    try {
      run();
    } catch (err) {
      this.log?.error({ err }, 'applying a settings change failed');
    }
  }
}
