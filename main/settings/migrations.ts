// Settings migrations: MIGRATIONS[n] turns a version-n document into a version-(n+1) one. Each is
// a pure function of plain JSON, so it can be tested on its own and never half-applies.
export type Migration = (doc: Record<string, unknown>) => Record<string, unknown>;

/** Version 1 is the first released format; later versions add their step here. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = {};

export function migrate(
  doc: Record<string, unknown>,
  from: number,
  to: number,
  migrations: Readonly<Record<number, Migration>> = MIGRATIONS,
): Record<string, unknown> {
  let current = doc;
  for (let v = from; v < to; v++) {
    const step = migrations[v];
    if (!step) throw new Error(`no migration from settings version ${v} to ${v + 1}`);
    current = { ...step(structuredClone(current)), version: v + 1 };
  }
  return current;
}
