// billing-bridge fake-core: a stand-in for core's callback endpoints, printing what arrives.
import { Command, InvalidArgumentError } from 'commander';
import { startFakeCore } from '../fake-core/index.js';
import { portNumber } from './agent-client.js';
import { reportFatal } from './report.js';

interface Opts {
  port: number;
  host: string;
  login?: string;
  password?: string;
  fail?: number;
  retryAfter?: string;
  delay?: number;
}

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

export function registerFakeCoreCommand(program: Command): void {
  program
    .command('fake-core')
    .description('run a fake core that accepts callbacks and prints them (GET /received lists them as JSON)')
    .option('--port <port>', 'listen port', portNumber, 8090)
    .option('--host <host>', 'listen address', '127.0.0.1')
    .option('--login <login>', 'expect this HTTP Basic login (then --password too); others get 401')
    .option('--password <password>', 'the expected Basic password')
    .option('--fail <status>', 'answer every callback with this HTTP status (e.g. 503) to watch retries', httpStatus)
    .option('--retry-after <value>', 'Retry-After sent with failures (seconds or an HTTP date)')
    .option('--delay <ms>', 'wait this long before answering', ms)
    .action(async (opts: Opts) => {
      try {
        const core = await startFakeCore({
          host: opts.host,
          port: opts.port,
          login: opts.login,
          password: opts.password,
          failWith: opts.fail ?? null,
          retryAfter: opts.retryAfter ?? null,
          delayMs: opts.delay ?? 0,
          onCallback: (c) => console.log(`${c.at}  ${c.status === 0 ? 'gone' : c.status}  ${c.kind.padEnd(8)} ${JSON.stringify(c.body)}${c.login ? `  (login ${c.login})` : ''}`),
        });
        console.log(`fake core listening on ${core.url}`);
        console.log(`  set core.baseUrl to ${core.url}; callbacks are printed here and listed at ${core.url}/received`);
        console.log(`  switch failures on and off: curl -X POST ${core.url}/control -d '{"failWith":503,"retryAfter":"10"}'  (null switches off)`);
        const stop = () => void core.close().then(() => process.exit(0));
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EADDRINUSE') reportFatal(new Error(`port ${opts.port} is already in use: choose another with --port`));
        else reportFatal(err);
      }
    });
}
