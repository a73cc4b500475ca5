// billing-bridge status | sync pause|resume|now|resend-all | callback | dead-letters | deliveries
import { Argument, Command, InvalidArgumentError } from 'commander';
import type { CallbackResult } from '../../shared/admin.js';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';
import { formatDeadLetters, formatDeliveries, formatScan, formatStatus } from './format.js';

interface JsonOption extends ClientOptions {
  json?: boolean;
}

function positiveInt(max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1 || n > max) throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    return n;
  };
}

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 60) throw new InvalidArgumentError('must be 0-60 seconds');
  return n;
}

const print = (json: boolean | undefined, value: unknown, text: () => string) => console.log(json ? JSON.stringify(value, null, 2) : text());

/** Scans can take a while on a large billing. */
const SCAN_TIMEOUT_MS = 10 * 60_000;

export function registerSyncCommands(program: Command): void {
  withAdminPort(program
    .command('status')
    .description('what sync is doing: last scan, outbox, deliveries, problems')
    .option('--json', 'print the status as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<JsonOption>(cmd);
      const status = await agentClient(opts).call('sync.status', {});
      print(opts.json, status, () => formatStatus(status));
    }));

  const sync = program.command('sync').description('pause, resume or run change detection');
  const syncOp = (name: string, description: string, run: (opts: JsonOption) => Promise<void>) =>
    withAdminPort(sync.command(name).description(description).option('--json', 'print the result as JSON'))
      .action((_o, cmd: Command) => runClient(() => run(allOptions<JsonOption>(cmd))));

  syncOp('pause', 'stop scans and deliveries (kept across restarts); the API keeps serving, queued callbacks are kept', async (opts) => {
    const status = await agentClient(opts).call('sync.pause', {});
    print(opts.json, status, () => `Sync paused. ${status.outbox.pending} callback(s) kept in the queue.`);
  });
  syncOp('resume', 'start scans and deliveries again, with a scan at once', async (opts) => {
    const status = await agentClient(opts).call('sync.resume', {});
    print(opts.json, status, () => `Sync resumed; a scan is starting. ${status.outbox.pending} callback(s) queued.`);
  });
  syncOp('now', 'scan the billing now and queue callbacks for what changed', async (opts) => {
    const report = await agentClient(opts, SCAN_TIMEOUT_MS).call('sync.scanNow', {});
    print(opts.json, report, () => formatScan(report));
    if (!report.ok) process.exitCode = 1;
  });
  syncOp('resend-all', 'tell core to re-read everything: a contract and a charge callback for every user', async (opts) => {
    const report = await agentClient(opts, SCAN_TIMEOUT_MS).call('sync.resendAll', {});
    print(opts.json, report, () => formatScan(report));
    if (!report.ok) process.exitCode = 1;
  });

  withAdminPort(program
    .command('callback')
    .description('send one callback to core now and show whether core accepted it (exit code 0 only when it did)')
    .addArgument(new Argument('<target>', 'contract: one contract; user: all contracts of a user; charge: a user\'s charges').choices(['contract', 'user', 'charge']))
    .argument('<id>', 'the contract ext_id, or the user\'s ext_user_id')
    .option('--wait <seconds>', 'how long to wait for core\'s answer', seconds, 5)
    .option('--json', 'print the result as JSON'))
    .action((target: 'contract' | 'user' | 'charge', id: string, _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<JsonOption & { wait: number }>(cmd);
      const result = await agentClient(opts, (opts.wait + 15) * 1000).call('callback.send', { target, id, waitSeconds: opts.wait });
      print(opts.json, result, () => formatCallback(result));
      if (result.outcome !== 'delivered') process.exitCode = 1;
    }));

  const dead = program.command('dead-letters').description('callbacks core did not accept in time or refused');
  withAdminPort(dead
    .command('list', { isDefault: true })
    .description('list dead letters, newest first')
    .option('--limit <n>', 'how many to show', positiveInt(1000), 100)
    .option('--json', 'print them as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<JsonOption & { limit: number }>(cmd);
      const list = await agentClient(opts).call('outbox.deadLetters', { limit: opts.limit });
      print(opts.json, list, () => formatDeadLetters(list));
    }));
  withAdminPort(dead
    .command('resend')
    .description('queue dead letters again (by id, or --all)')
    .argument('[ids...]', 'dead letter ids (see billing-bridge dead-letters)')
    .option('--all', 'every dead letter')
    .option('--json', 'print the result as JSON'))
    .action((ids: string[], _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<JsonOption & { all?: boolean }>(cmd);
      if ((ids.length > 0) === Boolean(opts.all)) throw new InvalidArgumentError('give dead letter ids or --all (not both)');
      const numbers = ids.map((v) => positiveInt(Number.MAX_SAFE_INTEGER)(v));
      const result = await agentClient(opts).call('outbox.resend', opts.all ? { all: true } : { ids: numbers });
      print(opts.json, result, () => result.message);
    }));

  withAdminPort(program
    .command('deliveries')
    .description('the last delivery attempts to core, newest first')
    .option('--limit <n>', 'how many to show (at most 200 are kept)', positiveInt(200), 30)
    .option('--json', 'print them as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<JsonOption & { limit: number }>(cmd);
      const list = await agentClient(opts).call('deliveries.recent', { limit: opts.limit });
      print(opts.json, list, () => formatDeliveries(list));
    }));
}

function formatCallback(r: CallbackResult): string {
  const lines = [`${r.target}: POST ${r.path} ${JSON.stringify(r.body)}`, r.message];
  if (r.note) lines.push(`note: ${r.note}`);
  return lines.join('\n');
}
