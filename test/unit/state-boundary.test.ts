// All SQL is in main/state/: the lint rule refuses it anywhere else in the agent, the shared
// schemas, the benchmarks and the tools, and lets the state module have it.
import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function problems(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const QUERIES = `
import type { Database } from 'better-sqlite3';
declare const db: Database;
export const one = db.prepare('SELECT 1').get();
db.exec(\`DELETE FROM meta\`);
db.pragma('journal_mode = WAL');
export const tx = db.transaction(() => undefined);
export const notSql = /x/.exec('y');
`;

describe('the state module owns the SQL', () => {
  it('refuses queries and the driver outside main/state', async () => {
    for (const file of ['main/explain/example.ts', 'main/sync/example.ts', 'bench/example.ts', 'shared/example.ts']) {
      const found = await problems(file, QUERIES);
      expect(found.filter((p) => p.startsWith('no-restricted-syntax'))).toHaveLength(4);
      expect(found.filter((p) => p.startsWith('no-restricted-imports'))).toHaveLength(1);
    }
  });

  it('refuses the raw connection module outside main/state', async () => {
    const found = await problems('main/agent-example.ts', "import { openDatabase } from './state/open.js';\nexport const db = openDatabase(':memory:');\n");
    expect(found).toEqual([expect.stringMatching(/^no-restricted-imports: .*state API/)]);
  });

  it('lets main/state have it', async () => {
    expect(await problems('main/state/example.ts', QUERIES)).toEqual([]);
  });
});
