// billing-bridge dashboard: the address of the running agent's dashboard, with its token, for a
// browser on this machine (an SSH tunnel to the admin port works for a remote one). --open hands
// the browser a one-time code instead: a program's arguments are visible to every user.
// billing-bridge diagnostics: writes the support bundle through the running agent.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { dataFiles, resolveDataDir } from '../settings/paths.js';
import { agentClient, allOptions, runClient, withAdminPort, type ClientOptions } from './agent-client.js';

interface Opts extends ClientOptions {
  open?: boolean;
  json?: boolean;
}

const TEXT = {
  warning: 'Anyone with this address can operate the agent: do not share it. It works on this machine only.',
  opening: 'Opening the dashboard in the browser with a one-time code (valid for a minute).',
  noBrowser: (command: string) => `could not start a browser (${command}); open the address above yourself`,
};

function openInBrowser(url: string): void {
  const [command, args] = process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]]
    : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => console.error(TEXT.noBrowser(command)));
  child.unref();
}

export function registerDashboardCommands(program: Command): void {
  withAdminPort(program.command('dashboard')
    .description('print the address of the dashboard (with its access token) of the running agent')
    .option('--open', 'also open the dashboard in the default browser (with a one-time code, not the token)')
    .option('--json', 'print the address as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      const client = agentClient(opts);
      const info = await client.call('agent.info', {});
      const token = readFileSync(dataFiles(resolveDataDir(opts.dataDir)).adminToken, 'utf8').trim();
      const url = `${new URL(info.adminUrl).origin}/#token=${token}`;
      if (opts.json) console.log(JSON.stringify({ url }));
      else console.log(`${url}\n${TEXT.warning}`);
      if (opts.open) {
        const { code } = await client.call('dashboard.code', {});
        if (!opts.json) console.log(TEXT.opening);
        openInBrowser(`${new URL(info.adminUrl).origin}/#code=${code}`);
      }
    }));

  withAdminPort(program.command('diagnostics')
    .description('write a diagnostics zip (settings without secrets, versions, status, recent logs, connectivity) for support')
    .option('--json', 'print the file\'s path as JSON'))
    .action((_o, cmd: Command) => runClient(async () => {
      const opts = allOptions<Opts>(cmd);
      const { file } = await agentClient(opts, 60_000).call('diagnostics.create', {});
      console.log(opts.json ? JSON.stringify({ file }) : file);
    }));
}
