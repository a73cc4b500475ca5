// Sync benchmarks: a full scan of 100,000 demo subscribers (time, peak RSS, event-loop blocking),
// agent start and restart to serving with 100,000 subscribers, and delivery of 10,000 queued
// callbacks to a local fake core. Run alone: npm run bench -- sync
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFakeCore } from '../main/fake-core/index.js';
import { onLogLines } from '../tools/cli-process/cli.js';
import { ROOT, built } from './lib.js';

export const SYNC_TARGETS = { scanMsUnder: 30_000, peakRssMbUnder: 400, restartMsUnder: 5_000, deliveriesPerSecAbove: 500 };

function runChild(script: string, args: string[], timeoutMs = 300_000): Promise<Record<string, number>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', built(script), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        if (code !== 0) throw new Error(`exit ${code}`);
        resolve(JSON.parse(line) as Record<string, number>);
      } catch (err) {
        reject(new Error(`${script} ${args.join(' ')} failed (${(err as Error).message}): ${stdout}`));
      }
    });
  });
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

interface Serve {
  pid: number;
  listenMs: number;
  apiUrl: string;
  waitFor(msg: RegExp): Promise<number>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** `billing-bridge serve` in a child process; resolves when the API listens. */
function serve(dataDir: string): Promise<Serve> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [built('main/cli/index.ts'), 'serve', '--data-dir', dataDir, '--port', '0', '--admin-port', '0'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const seen: Array<{ msg: string; at: number }> = [];
  const waiters = new Set<() => void>();
  onLogLines(child.stdout, (entry) => {
    seen.push({ msg: String(entry.msg), at: performance.now() });
    if (entry.msg === 'Data Provider API listening') apiUrl = String(entry.url);
    for (const w of waiters) w();
  });
  let apiUrl = '';
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const waitFor = (msg: RegExp) => new Promise<number>((resolve, reject) => {
    const check = () => {
      const hit = seen.find((s) => msg.test(s.msg));
      if (!hit) return;
      waiters.delete(check);
      clearTimeout(timer);
      resolve(hit.at - t0);
    };
    const timer = setTimeout(() => reject(new Error(`serve: no "${msg.source}" log line`)), 120_000);
    waiters.add(check);
    check();
  });
  return waitFor(/^Data Provider API listening$/).then((listenMs) => ({
    pid: child.pid!,
    listenMs,
    apiUrl,
    waitFor,
    kill: async (signal) => {
      child.kill(signal);
      await exited;
    },
  }));
}

/** The high-water RSS of a process (Linux /proc), or null elsewhere. */
function peakRssMb(pid: number): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : null;
  } catch {
    return null;
  }
}

export async function benchSync(subscribers = 100_000, deliveries = 10_000): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  const scan = await runChild('bench/sync-child.ts', ['scan', String(subscribers)]);
  for (const [k, v] of Object.entries(scan)) figures[`scan.${k}`] = v;

  // The real agent: first start, the baseline scan while the API is probed, kill -9, restart.
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-bench-serve-'));
  try {
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ version: 1, billing: { demo: { synthetic: subscribers } }, log: { level: 'debug' } }));
    const first = await serve(dir);
    figures['agent.firstStartToListenMs'] = Math.round(first.listenMs);
    let worst = 0;
    let probes = 0;
    let scanning = true;
    const baseline = first.waitFor(/^baseline recorded/).finally(() => (scanning = false));
    while (scanning) {
      const t = performance.now();
      const status = await get(`${first.apiUrl}/api/users?user_id=58208891`);
      if (status !== 200) throw new Error(`the API answered ${status} during the scan`);
      worst = Math.max(worst, performance.now() - t);
      probes++;
      await new Promise((r) => setTimeout(r, 10));
    }
    figures['agent.baselineDoneAfterStartMs'] = Math.round(await baseline);
    const peak = peakRssMb(first.pid);
    if (peak !== null) figures['agent.peakRssMb'] = peak;
    figures['agent.apiWorstLatencyDuringScanMs'] = Math.round(worst);
    figures['agent.apiProbesDuringScan'] = probes;
    await first.kill('SIGKILL');
    const again = await serve(dir);
    figures['agent.restartToListenMs'] = Math.round(again.listenMs);
    figures['agent.restartScanDoneMs'] = Math.round(await again.waitFor(/^scan finished$/));
    await again.kill('SIGTERM');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const core = await startFakeCore();
  try {
    const delivery = await runChild('bench/sync-child.ts', ['deliver', String(deliveries), core.url]);
    for (const [k, v] of Object.entries(delivery)) figures[`delivery.${k}`] = v;
    figures['delivery.receivedByCore'] = core.received.length;
  } finally {
    await core.close();
  }

  const met = figures['scan.baselineScanMs']! < SYNC_TARGETS.scanMsUnder
    && figures['scan.peakRssMb']! < SYNC_TARGETS.peakRssMbUnder
    && figures['agent.restartToListenMs']! < SYNC_TARGETS.restartMsUnder
    && figures['delivery.deliveriesPerSec']! > SYNC_TARGETS.deliveriesPerSecAbove;
  figures.targetsMet = met ? 1 : 0;
  return figures;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const figures = await benchSync();
  for (const [k, v] of Object.entries(figures)) console.log(`${k.padEnd(40)} ${v}`);
  console.log(`targets: full scan < ${SYNC_TARGETS.scanMsUnder / 1000} s, peak RSS < ${SYNC_TARGETS.peakRssMbUnder} MB, restart to serving < ${SYNC_TARGETS.restartMsUnder / 1000} s, delivery > ${SYNC_TARGETS.deliveriesPerSecAbove}/s: ${figures.targetsMet ? 'met' : 'NOT met'}`);
}
