// `--headless` (or `serve`): the installed app as a service — the core without window or tray,
// exactly `billing-bridge serve`. Imports nothing from Electron, so it also runs under
// ELECTRON_RUN_AS_NODE=1 (the systemd unit) and plain Node.
import { serveCommand } from '../cli/serve.js';
import type { ShellArgs } from './args.js';

export async function runHeadless(args: ShellArgs): Promise<void> {
  await serveCommand({ dataDir: args.dataDir, host: args.host, port: args.port, adminPort: args.adminPort });
  // serveCommand reports a failed start and sets the exit code; Electron would otherwise keep
  // running with nothing to do.
  if (process.exitCode) process.exit(process.exitCode);
}
