// billing-bridge report: counts of the last scan and the subscribers core cannot be served well.
import type { Command } from 'commander';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';
import { formatSyncReport } from './explain-format.js';

export function registerReportCommand(program: Command): void {
  withAdminPort(program
    .command('report')
    .description('the sync report: subscribers, contracts, tariffs and services of the last scan, and the subscribers to fix in the billing (ids only)')
    .option('--json', 'print the report as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<ClientOptions & { json?: boolean }>(cmd);
      const report = await agentClient(opts).call('sync.report', {});
      console.log(opts.json ? JSON.stringify(report, null, 2) : formatSyncReport(report));
    }));
}
