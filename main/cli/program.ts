// The agent's command line (commander): its commands and how a run ends. Exit codes and errors: report.ts.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { LOG_FORMATS, setLogFormat, type LogFormat } from '../logging/logger.js';
import { VERSION } from '../version.js';
import { EXIT, UsageError, reportFatal, setJsonOutput } from './report.js';
import { allOptions } from './agent-client.js';
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

const TEXT = { noCommand: 'a command is needed: see billing-bridge --help' };

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) throw new InvalidArgumentError('must be a port number, 0-65535');
  return n;
}

export function buildCli(options: { json?: boolean } = {}): Command {
  const program = new Command('billing-bridge')
    .description('Serves the ISP billing to the intercom platform (Data Provider API) and sends it change callbacks.')
    .version(`billing-bridge ${VERSION} (Node.js ${process.version})`, '-V, --version', 'print the version')
    .option('-d, --data-dir <dir>', 'where settings, state and logs live (default: $BILLING_BRIDGE_DATA_DIR or the per-user config folder)')
    .addOption(new Option('--log-format <format>', 'log lines as JSON or readable text (default: text on a terminal, JSON otherwise; or $BILLING_BRIDGE_LOG_FORMAT)').choices(LOG_FORMATS))
    // Errors reach runCli as exceptions, so they get the usage exit code and, with --json, JSON.
    .exitOverride()
    .showHelpAfterError(!options.json);
  if (options.json) program.configureOutput({ writeErr: () => {}, outputError: () => {} });
  program.hook('preAction', (_program, action) => {
    const opts = allOptions<{ json?: boolean; logFormat?: LogFormat }>(action);
    setJsonOutput(Boolean(opts.json));
    setLogFormat(opts.logFormat);
  });

  program
    .command('serve')
    .description('run the agent: the Data Provider API and sync (until stopped with Ctrl+C or SIGTERM)')
    .option('--host <host>', 'listen address (overrides server.host)')
    .option('--port <port>', 'listen port (overrides server.port)', port)
    .option('--admin-port <port>', 'loopback admin API port (overrides admin.port)', port)
    .action((opts: { host?: string; port?: number; adminPort?: number }) => serveCommand({ ...program.opts(), ...opts }));

  program
    .command('check')
    .description('validate the settings and test the billing connection, changing nothing; exits 1 when a check fails, 78 when the settings are invalid')
    .option('--json', 'print the checks as JSON')
    .option('--fix', 'write a field map that fits the live billing into the settings, then check again')
    .action((opts: { json?: boolean; fix?: boolean }) => checkCommand({ ...program.opts(), ...opts }));

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

/** Parses and runs one command; usage errors exit 2, help and --version 0. */
export async function runCli(argv: string[]): Promise<void> {
  // Known before parsing, so a usage error is reported as JSON too.
  const json = argv.includes('--json');
  setJsonOutput(json);
  try {
    await buildCli({ json }).parseAsync(argv);
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return; // help or --version
    // commander has written the error (and help) on stderr, except under --json.
    if (json) reportFatal(err.code === 'commander.help' ? new UsageError(TEXT.noCommand) : err);
    process.exitCode = EXIT.usage;
  }
}
