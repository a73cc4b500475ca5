// billing-bridge explain <login|phone|contract>: why a subscriber can or cannot open the door.
import { Command, InvalidArgumentError } from 'commander';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';
import { formatLookup } from './explain-format.js';

interface ExplainOptions extends ClientOptions {
  json?: boolean;
  user?: string;
  charges: number;
}

function count(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 500) throw new InvalidArgumentError('must be a whole number from 0 to 500');
  return n;
}

export function registerExplainCommand(program: Command): void {
  withAdminPort(program
    .command('explain')
    .description('find a subscriber by login, phone or contract number and say why they can or cannot open the door (exit code 1 when not found)')
    .argument('<query>', 'a login, a phone in any format, a contract number, or a user or contract id')
    .option('--user <id>', 'the user to show when several match')
    .option('--charges <n>', 'charges to show', count, 6)
    .option('--json', 'print the result as JSON'))
    .action((query: string, _o, cmd: Command) => runClient(async () => {
      const opts = allOptions<ExplainOptions>(cmd);
      const result = await agentClient(opts).call('subscriber.explain', { query, ...(opts.user !== undefined && { userId: opts.user }) });
      console.log(opts.json ? JSON.stringify(result, null, 2) : formatLookup(result, opts.charges));
      if (result.state !== 'found') process.exitCode = 1;
    }));
}
