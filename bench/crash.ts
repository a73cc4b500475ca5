// 50 kill -9 restarts during delivery: each round starts the agent, queues callbacks, lets core
// be slow or failing, and kills the agent at a random moment. At the end core is healthy and every
// callback ever accepted into the queue must arrive. Run alone: node --import tsx bench/crash.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { httpAdminClient } from '../main/admin/client.js';
import { startFakeCore } from '../main/fake-core/index.js';
import { dataFiles } from '../main/settings/paths.js';
import { startServe } from '../tools/cli-process/cli.js';
import { freePort } from '../tools/cli-process/free-port.js';

export interface CrashBench {
  rounds: number;
  queued: number;
  delivered: number;
  lost: number;
  /** Delivered more than once (at-least-once delivery: a kill between send and removal). */
  duplicates: number;
  medianRestartMs: number;
  totalSeconds: number;
}

export async function benchCrash(rounds = 50, perRound = 10): Promise<CrashBench> {
  const started = performance.now();
  const core = await startFakeCore();
  const dir = mkdtempSync(path.join(tmpdir(), 'bb-bench-crash-'));
  const adminPort = await freePort();
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({
    version: 1,
    core: { baseUrl: core.url, timeoutMs: 30_000 },
    sync: { intervalSeconds: 3600 },
  }));
  const admin = httpAdminClient({ port: adminPort, tokenFile: dataFiles(dir).adminToken, timeoutMs: 20_000 });
  const queued: string[] = [];
  const restarts: number[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      // Core misbehaves differently each round: slow (callbacks on the wire at the kill), failing, or fine.
      const mode = round % 3;
      core.set(mode === 0 ? { delayMs: 5_000, failWith: null } : mode === 1 ? { delayMs: 0, failWith: 503, retryAfter: '1' } : { delayMs: 20, failWith: null });
      const t0 = performance.now();
      const agent = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', String(adminPort)], { timeoutMs: 30_000 });
      restarts.push(performance.now() - t0);
      for (let n = 0; n < perRound; n++) {
        const id = `bench-${round}-${n}`;
        // waitSeconds 0: the callback is committed to the outbox before the answer comes back.
        await admin.call('callback.send', { target: 'contract', id, waitSeconds: 0 });
        queued.push(id);
      }
      await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 400)));
      await agent.stop('SIGKILL');
    }
    core.set({ delayMs: 0, failWith: null, retryAfter: null });
    const agent = await startServe(['--data-dir', dir, '--port', '0', '--admin-port', String(adminPort)], { timeoutMs: 30_000 });
    try {
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline && (await admin.call('sync.status', {})).outbox.pending > 0) await new Promise((r) => setTimeout(r, 250));
    } finally {
      await agent.stop('SIGTERM');
    }
    const counts = new Map<string, number>();
    for (const r of core.received) {
      const id = String(r.body.ext_id ?? '');
      if (id.startsWith('bench-')) counts.set(id, (counts.get(id) ?? 0) + 1);
    }
    const lost = queued.filter((id) => !counts.has(id)).length;
    restarts.sort((a, b) => a - b);
    return {
      rounds,
      queued: queued.length,
      delivered: counts.size,
      lost,
      duplicates: [...counts.values()].filter((c) => c > 1).length,
      medianRestartMs: Math.round(restarts[Math.floor(restarts.length / 2)]!),
      totalSeconds: Math.round((performance.now() - started) / 100) / 10,
    };
  } finally {
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchCrash(Number(process.argv[2] ?? 50)), null, 2));
}
