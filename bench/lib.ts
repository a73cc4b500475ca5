// Shared pieces of the benchmark scripts: child servers and autocannon runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Where `npm run bench` compiles the agent and the benchmark children first (tsconfig.bench.json):
 * they run as plain JavaScript, as the installed agent runs from dist/. Under tsx every named
 * closure also pays for a name-keeping helper, which made the guard alone look three times slower.
 */
export const BUILT = path.join(ROOT, '.bench-build');

export function built(script: string): string {
  const file = path.join(BUILT, script.replace(/\.ts$/, '.js'));
  if (!existsSync(file)) throw new Error(`${file} is missing: run the benchmarks with npm run bench, which compiles them first`);
  return file;
}

export interface ChildServer {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Starts a compiled benchmark entry in its own process and waits for its {"url"} line. */
export function startChild(script: string, args: string[], timeoutMs = 60_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [built(script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start`));
    }, timeoutMs);
    let buffer = '';
    child.stdout!.on('data', (c: Buffer) => {
      buffer += c.toString();
      const nl = buffer.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      const { url } = JSON.parse(buffer.slice(0, nl)) as { url: string };
      resolve({
        url,
        child,
        stop: () => new Promise((r) => {
          child.once('exit', () => r());
          child.kill('SIGTERM');
        }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** CPU time a process has used so far, in ms (Linux /proc; null elsewhere). */
export function cpuMs(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    // utime and stime, in clock ticks of 10 ms.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

/** A load run plus the server's own CPU time per request: steadier than requests/s on a shared machine. */
export async function loadChild(child: ChildServer, options: autocannon.Options): Promise<LoadResult & { serverCpuUsPerRequest: number | null }> {
  const before = cpuMs(child.child.pid);
  const result = await load(options);
  const after = cpuMs(child.child.pid);
  return {
    ...result,
    serverCpuUsPerRequest: before === null || after === null || result.total === 0 ? null : Math.round(((after - before) * 1000) / result.total),
  };
}

export interface LoadResult {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  total: number;
}

export async function load(options: autocannon.Options): Promise<LoadResult> {
  const result = await autocannon({ connections: 10, duration: 8, ...options });
  return {
    requestsPerSec: Math.round(result.requests.average),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}
