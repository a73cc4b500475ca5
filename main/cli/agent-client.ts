// Commands that talk to the running agent through the loopback admin API: port from the settings
// (or --admin-port), token from the data directory.
import { Command, InvalidArgumentError } from 'commander';
import { httpAdminClient } from '../admin/client.js';
import { dataFiles, resolveDataDir } from '../settings/paths.js';
import { readSettings } from '../settings/store.js';
import { reportFatal } from './report.js';

export interface ClientOptions {
  dataDir?: string;
  adminPort?: number;
}

export function portNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65_535) throw new InvalidArgumentError('must be a port number, 1-65535');
  return n;
}

/** Adds --admin-port to a command that talks to the agent. */
export function withAdminPort(command: Command): Command {
  return command.option('--admin-port <port>', 'the agent\'s admin port (default: admin.port from the settings)', portNumber);
}

export function agentClient(opts: ClientOptions, timeoutMs?: number) {
  const dataDir = resolveDataDir(opts.dataDir);
  const files = dataFiles(dataDir);
  // Only read the settings: a client must not create a settings file in a wrong directory.
  const settings = readSettings(files.settings);
  return httpAdminClient({
    port: opts.adminPort ?? settings.admin.port, tokenFile: files.adminToken, timeoutMs, notRunningHint: 'start it with: billing-bridge serve',
  });
}

/** Runs a client command; a failure is reported (report.ts) with its exit code. */
export async function runClient(run: () => Promise<void>): Promise<void> {
  try {
    await run();
  } catch (err) {
    reportFatal(err);
  }
}

/** The options of the program and of every command between it and `command`, merged. */
export function allOptions<T>(command: Command): T {
  let merged: Record<string, unknown> = {};
  for (let c: Command | null = command; c; c = c.parent) merged = { ...c.opts(), ...merged };
  return merged as T;
}
