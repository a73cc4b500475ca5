// An agent started in-process for a test: a data directory with the given settings (secrets in the
// owner-only file, so no keychain is needed), and admin calls with the token it wrote there.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Agent } from '../../main/agent.js';
import { request } from './http.js';

export function agentDataDir(settings: object, prefix = 'bb-agent-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, secrets: { backend: 'file' }, ...settings }));
  return dir;
}

/** Calls an admin operation with the token the agent wrote into its data directory. */
export function adminCall(agent: Agent, op: string, input: object = {}) {
  const token = readFileSync(path.join(agent.dataDir, 'admin-token'), 'utf8').trim();
  return request(agent.admin.url, { method: 'POST', path: `/admin/${op}`, body: input, headers: { Authorization: `Bearer ${token}` } });
}
