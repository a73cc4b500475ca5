// Runs the real CLI from source in a child process (tsx), as a user or a service manager would:
// tests and benchmarks both start agents this way.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'main/cli/index.ts');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function cliArgs(args: string[]): string[] {
  return ['--import', 'tsx', CLI, ...args];
}

export function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`billing-bridge ${args.join(' ')} did not finish; stdout: ${stdout} stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface ServeProcess {
  child: ChildProcess;
  apiUrl: string;
  adminUrl: string;
  /** Every log line so far, parsed. */
  logs: Array<Record<string, unknown>>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Calls `each` with every JSON log line a child writes to `stream`; other output is skipped. */
export function onLogLines(stream: NodeJS.ReadableStream, each: (entry: Record<string, unknown>) => void): void {
  let buffer = '';
  stream.on('data', (c: Buffer) => {
    buffer += c.toString();
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue; // not a log line
      }
      each(entry);
    }
  });
}

/** Starts `billing-bridge serve` and resolves once both servers listen (read from its JSON log). */
export function startServe(args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, cliArgs(['serve', ...args]), { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const logs: Array<Record<string, unknown>> = [];
  let stderr = '';
  let apiUrl = '';
  let adminUrl = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`serve did not start; stderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
    let started = false;
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!started) reject(new Error(`serve exited with ${code}; stderr: ${stderr}`));
    });
    onLogLines(child.stdout!, (entry) => {
      logs.push(entry);
      if (entry.msg === 'Data Provider API listening') apiUrl = String(entry.url);
      if (String(entry.msg).startsWith('admin API listening')) adminUrl = String(entry.url);
      if (apiUrl && adminUrl && !started) {
        started = true;
        clearTimeout(timer);
        resolve({
          child, apiUrl, adminUrl, logs,
          stop: (signal = 'SIGTERM') => {
            child.kill(signal);
            return exited;
          },
        });
      }
    });
  });
}
