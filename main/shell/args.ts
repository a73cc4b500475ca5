// The shell's command line. Electron and Chromium add switches of their own, so unknown options
// are ignored rather than refused.
import { parseArgs } from 'node:util';

export interface ShellArgs {
  /** --headless or `serve`: the core only, no window or tray (servers), like `billing-bridge serve`. */
  headless: boolean;
  /** --hidden: start in the tray without opening the dashboard (start at login). */
  hidden: boolean;
  dataDir?: string;
  host?: string;
  port?: number;
  adminPort?: number;
}

/** The arguments after the program: packaged Electron passes [app, ...args]; `electron main.js`,
 *  ELECTRON_RUN_AS_NODE and Node pass [executable, script, ...args]. */
export function userArgs(proc: { argv: string[]; defaultApp?: boolean; type?: string }): string[] {
  return proc.type === 'browser' && !proc.defaultApp ? proc.argv.slice(1) : proc.argv.slice(2);
}

function port(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 0 || n > 65_535) throw new Error(`${flag} must be a port number, 0-65535`);
  return n;
}

export function parseShellArgs(args: string[]): ShellArgs {
  const { values, positionals } = parseArgs({
    args,
    strict: false,
    allowPositionals: true,
    options: {
      'data-dir': { type: 'string', short: 'd' },
      headless: { type: 'boolean' },
      hidden: { type: 'boolean' },
      host: { type: 'string' },
      port: { type: 'string' },
      'admin-port': { type: 'string' },
    },
  });
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    headless: values.headless === true || positionals[0] === 'serve',
    hidden: values.hidden === true,
    dataDir: text(values['data-dir']),
    host: text(values.host),
    port: port(values.port, '--port'),
    adminPort: port(values['admin-port'], '--admin-port'),
  };
}
