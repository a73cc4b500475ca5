// Opens one of the agent's servers, explaining a busy or forbidden port in words a person can act on.
import type Koa from 'koa';
import { listen, type ListenOptions, type RunningServer } from '../server/listen.js';
import type { Lifecycle } from './lifecycle.js';

export async function openServer(app: Koa, options: ListenOptions & { setting: string; settingsFile: string }, life: Lifecycle): Promise<RunningServer> {
  let server: RunningServer;
  try {
    server = await listen(app, options);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${options.port} is already in use (is another billing-bridge running?): stop the other program or set ${options.setting} in ${options.settingsFile}`);
    if (code === 'EACCES') throw new Error(`not allowed to listen on port ${options.port}: use a port above 1024 or run with the needed rights`);
    throw err;
  }
  life.add(options.setting, () => server.close());
  return server;
}
