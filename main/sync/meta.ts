// Small named values kept next to the sync tables (the hash salt, the baseline, the last scan).
import type { Db } from '../db/open.js';

export function createMeta(db: Db) {
  const read = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const write = db.prepare<[string, string]>('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const remove = db.prepare<[string]>('DELETE FROM meta WHERE key = ?');
  return {
    get<T>(key: string): T | null {
      const row = read.get(key);
      return row ? (JSON.parse(row.value) as T) : null;
    },
    set(key: string, value: unknown): void {
      write.run(key, JSON.stringify(value));
    },
    delete(key: string): void {
      remove.run(key);
    },
  };
}

export type Meta = ReturnType<typeof createMeta>;
