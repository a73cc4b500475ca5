// `--headless` / `serve`: the entry runs the core alone and never loads Electron, so it works
// under ELECTRON_RUN_AS_NODE=1 (the systemd unit) — here: plain Node with tsx.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

function run(args: string[], until: RegExp | null) {
  const env = { ...process.env };
  delete env.BILLING_BRIDGE_DATA_DIR;
  const child = spawn(process.execPath, ['--import', 'tsx', 'main/shell/main.ts', ...args], { cwd: root, env });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const seen = new Promise<void>((resolve, reject) => {
    const check = () => {
      if (until?.test(out)) resolve();
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    child.on('exit', () => (until ? reject(new Error(`exited before ${until}: ${out}`)) : resolve()));
  });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, seen, exit, output: () => out };
}

describe('the headless entry', () => {
  it('serves like `billing-bridge serve` and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'bb-headless-'));
    const agent = run(['--data-dir', dataDir, '--headless', '--host', '127.0.0.1', '--port', '0', '--admin-port', '0'], /admin API listening/);
    await agent.seen;
    expect(agent.output()).toContain('Data Provider API listening');
    agent.child.kill('SIGTERM');
    expect(await agent.exit).toBe(0);
  });

  it('refuses to open the tray app without Electron, and bad ports', async () => {
    const tray = run(['--data-dir', '/nonexistent'], null);
    const bad = run(['serve', '--port', 'x'], null);
    expect(await tray.exit).toBe(2);
    expect(tray.output()).toContain('the tray app needs Electron');
    expect(await bad.exit).toBe(2);
    expect(bad.output()).toContain('--port must be a port number');
  });
});
