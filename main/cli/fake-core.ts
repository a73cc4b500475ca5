// billing-bridge fake-core: a stand-in for core's callback endpoints, printing what arrives.
// The Basic password it expects comes from the environment, never the command line (where any
// user on the machine can read it in the process list).
import { Command, InvalidArgumentError, Option } from 'commander';
import { startFakeCore, type ReceivedCallback } from '../fake-core/index.js';
import { portNumber } from './agent-client.js';
import { UsageError, reportFatal } from './report.js';

/** The same variable the agent sends core's password from, so both sides agree when run together. */
export const FAKE_CORE_PASSWORD_ENV = 'BILLING_BRIDGE_CORE_PASSWORD';

interface Opts {
  port: number;
  host: string;
  login?: string;
  password?: string;
  fail?: number;
  retryAfter?: string;
  delay?: number;
  json?: boolean;
}

const TEXT = {
  passwordOnCommandLine: `the password is not taken on the command line (other users can read it there): set ${FAKE_CORE_PASSWORD_ENV} instead`,
  noPassword: `--login needs the expected password in ${FAKE_CORE_PASSWORD_ENV}`,
  portInUse: (port: number) => `port ${port} is already in use: choose another with --port`,
  listening: (url: string) => [
    `fake core listening on ${url}`,
    `  set core.baseUrl to ${url}; callbacks are printed here and listed at ${url}/received`,
    `  switch failures on and off: curl -X POST ${url}/control -d '{"failWith":503,"retryAfter":"10"}'  (null switches off)`,
  ].join('\n'),
};

function httpStatus(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 200 || n > 599) throw new InvalidArgumentError('must be an HTTP status, 200-599');
  return n;
}

function ms(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 600_000) throw new InvalidArgumentError('must be milliseconds, 0-600000');
  return n;
}

function line(c: ReceivedCallback): string {
  return `${c.at}  ${c.status === 0 ? 'gone' : c.status}  ${c.kind.padEnd(8)} ${JSON.stringify(c.body)}${c.login ? `  (login ${c.login})` : ''}`;
}

export function registerFakeCoreCommand(program: Command): void {
  program
    .command('fake-core')
    .description(`run a fake core that accepts callbacks and prints them (GET /received lists them as JSON); with --login it expects the password in ${FAKE_CORE_PASSWORD_ENV}`)
    .option('--port <port>', 'listen port', portNumber, 8090)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--login <login>', `expect this HTTP Basic login (and the password in ${FAKE_CORE_PASSWORD_ENV}); others get 401`)
    // Refused with the reason rather than "unknown option".
    .addOption(new Option('--password <password>').hideHelp())
    .option('--fail <status>', 'answer every callback with this HTTP status (e.g. 503) to watch retries', httpStatus)
    .option('--retry-after <value>', 'Retry-After sent with failures (seconds or an HTTP date)')
    .option('--delay <ms>', 'wait this long before answering', ms)
    .option('--json', 'print the address and each callback as a JSON line')
    .action(async (opts: Opts) => {
      try {
        if (opts.password !== undefined) throw new UsageError(TEXT.passwordOnCommandLine);
        const password = process.env[FAKE_CORE_PASSWORD_ENV];
        if (opts.login && !password) throw new UsageError(TEXT.noPassword);
        const core = await startFakeCore({
          host: opts.host,
          port: opts.port,
          login: opts.login,
          password,
          failWith: opts.fail ?? null,
          retryAfter: opts.retryAfter ?? null,
          delayMs: opts.delay ?? 0,
          onCallback: (c) => console.log(opts.json ? JSON.stringify(c) : line(c)),
        });
        console.log(opts.json ? JSON.stringify({ listening: core.url }) : TEXT.listening(core.url));
        const stop = () => void core.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        reportFatal(code === 'EADDRINUSE' ? new Error(TEXT.portInUse(opts.port)) : err);
      }
    });
}
