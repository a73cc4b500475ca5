// A server in its own process for benchmarks, so the load generator does not share its event loop.
// argv: hello | api [synthetic subscribers] | carbon <simulator url> | carbon-group <simulator url>
// (accounts: "group"). Prints {"url": ...} on its first line of stdout.
import Koa from 'koa';
import { CarbonBilling } from '../main/billing/carbon/index.js';
import { CarbonSettings } from '../shared/carbon-settings.js';
import { DemoBilling } from '../main/billing/demo/index.js';
import { GuardedBilling } from '../main/billing/guard.js';
import { LogRing, batchedDestination, createLogger } from '../main/logging/logger.js';
import { buildApiApp, guardSettings } from '../main/setup/api-server.js';
import { openState } from '../main/state/index.js';
import { PasswordGuard } from '../main/security/password-guard.js';
import { createMetrics } from '../main/metrics.js';
import { AccessControl } from '../main/server/access.js';
import { defaultSettings } from '../shared/settings.js';
import { listen } from '../main/server/listen.js';

const [kind = 'hello', subscribers = '100000'] = process.argv.slice(2);

let app: Koa;
if (kind === 'hello') {
  // The baseline: bare Koa answering a small JSON body.
  app = new Koa();
  app.use(async (ctx) => {
    ctx.body = { hello: 'world' };
  });
} else {
  const carbon = kind === 'carbon' || kind === 'carbon-group';
  const billing = carbon
    ? new GuardedBilling(new CarbonBilling({ settings: CarbonSettings.parse({ url: subscribers, accounts: kind === 'carbon-group' ? 'group' : 'per-abonent' }) }))
    : new DemoBilling({ synthetic: Number(subscribers) });
  const settings = defaultSettings();
  // Benchmarks of /api/auth measure the billing path, not the agent's cap on password checks.
  if (carbon) settings.security.passwordChecksPerMinute = 100_000;
  const access = new AccessControl(settings.server);
  // Built as the agent builds it: guard, metrics, limits, and a log line per request through the
  // agent's own logger and its in-memory ring (JSON to /dev/null), so the figure includes logging.
  app = buildApiApp({
    billing: carbon ? billing : new GuardedBilling(billing),
    access,
    log: createLogger({ level: 'info', pretty: false, destination: batchedDestination('/dev/null'), ring: new LogRing() }),
    metrics: createMetrics(),
    settings: () => settings,
    // Lockouts and the password-check cap on, as in production (their table in a throwaway database).
    passwordGuard: new PasswordGuard(openState(':memory:').lockouts, () => guardSettings(settings)),
  });
}
const server = await listen(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
