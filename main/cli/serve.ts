import { startAgent } from '../agent.js';
import { resolveDataDir } from '../settings/paths.js';
import { reportFatal } from './report.js';

export async function serveCommand(opts: { dataDir?: string; host?: string; port?: number; adminPort?: number }): Promise<void> {
  const dataDir = resolveDataDir(opts.dataDir);
  let agent;
  try {
    agent = await startAgent({ dataDir, host: opts.host, port: opts.port, adminPort: opts.adminPort });
  } catch (err) {
    reportFatal(err);
    return;
  }
  const stop = (signal: string) => {
    agent.log.info({ signal }, 'stopping');
    agent.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  // A crash goes through the logger, whose redaction applies, instead of a raw dump on stderr.
  const crash = (kind: string) => (err: unknown) => {
    agent.log.fatal({ err }, `${kind}; stopping`);
    agent.log.flush?.();
    process.exit(1);
  };
  process.on('uncaughtException', crash('uncaught exception'));
  process.on('unhandledRejection', crash('unhandled promise rejection'));
}
