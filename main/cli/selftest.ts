// billing-bridge selftest: the running agent calls its own API the way core does and checks the answers.
import { Command, InvalidArgumentError } from 'commander';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';
import { formatSelfTest } from './explain-format.js';

interface SelfTestOptions extends ClientOptions {
  json?: boolean;
  sample: number;
}

function sample(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('must be a whole number from 1 to 100');
  return n;
}

/** A large billing answers slowly; the test waits for every answer. */
const SELFTEST_TIMEOUT_MS = 5 * 60_000;

export function registerSelfTestCommand(program: Command): void {
  withAdminPort(program
    .command('selftest')
    .description('call the agent\'s API from 127.0.0.1 as core does, for a sample of subscribers, and check every answer against the spec (exit code 1 on any failure)')
    .option('--sample <n>', 'how many subscribers to test', sample, 20)
    .option('--json', 'print the report as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<SelfTestOptions>(cmd);
      const report = await agentClient(opts, SELFTEST_TIMEOUT_MS).call('selftest.run', { sample: opts.sample });
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatSelfTest(report));
      if (!report.ok) process.exitCode = 1;
    }));
}
