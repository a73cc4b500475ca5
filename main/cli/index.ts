// billing-bridge <command>: the agent's command line (commander).
import { Command, InvalidArgumentError } from 'commander';
import { serveCommand } from './serve.js';
import { checkCommand } from './check.js';
import { registerDashboardCommands } from './dashboard.js';
import { registerDemoCommands } from './demo.js';
import { registerSecurityCommands } from './security.js';
import { registerFakeCoreCommand } from './fake-core.js';
import { registerSyncCommands } from './sync.js';
import { registerExplainCommand } from './explain.js';
import { registerSelfTestCommand } from './selftest.js';
import { registerReportCommand } from './sync-report.js';
import { registerOpenApiCommand } from './openapi.js';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number, 0-65535');
  return n;
}

export function buildCli(): Command {
  const program = new Command('billing-bridge')
    .description('Serves the ISP billing to the intercom platform (Data Provider API) and sends it change callbacks.')
    .option('-d, --data-dir <dir>', 'where settings, state and logs live (default: $BILLING_BRIDGE_DATA_DIR or the per-user config folder)')
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the agent: the Data Provider API and sync (until stopped with Ctrl+C or SIGTERM)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port (overrides server.port)', port)
    .option('--admin-port <port>', 'loopback admin API port (overrides admin.port)', port)
    .action((opts: { host?: string; port?: number; adminPort?: number }) => serveCommand({ ...program.opts(), ...opts }));

  program
    .command('check')
    .description('validate the settings and test the billing connection; exits 1 with the reason when something is wrong')
    .option('--fix', 'write a field map that fits the live billing into the settings, then check again')
    .action((opts: { fix?: boolean }) => checkCommand({ ...program.opts(), ...opts }));

  registerSyncCommands(program);
  registerDashboardCommands(program);
  registerSecurityCommands(program);
  registerDemoCommands(program);
  registerFakeCoreCommand(program);
  registerExplainCommand(program);
  registerSelfTestCommand(program);
  registerReportCommand(program);
  registerOpenApiCommand(program);

  return program;
}

await buildCli().parseAsync(process.argv);
