// A server in its own process for benchmarks, so the load generator does not share its event loop.
// argv: hello | api [synthetic subscribers] | carbon <simulator url>. Prints {"url": ...} on its
// first line of stdout.
import Koa from 'koa';
import { CarbonBilling } from '../main/billing/carbon/index.js';
import { CarbonSettings } from '../main/billing/carbon/settings.js';
import { DemoBilling } from '../main/billing/demo/index.js';
import { GuardedBilling } from '../main/billing/guard.js';
import { silentLogger } from '../main/logging/logger.js';
import { AccessControl } from '../main/server/access.js';
import { createApiApp } from '../main/server/app.js';
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
  const billing = kind === 'carbon'
    ? new GuardedBilling(new CarbonBilling({ settings: CarbonSettings.parse({ url: subscribers }) }))
    : new DemoBilling({ synthetic: Number(subscribers) });
  const access = new AccessControl({ allowlist: ['127.0.0.1', '::1'], allowAll: false, trustedProxies: [] });
  // Logging on, as in production, but to nowhere: the figure should include the logging cost.
  app = createApiApp({ billing: () => billing, access, log: silentLogger() });
}
const server = await listen(app, { host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);
process.on('SIGTERM', () => server.close().then(() => process.exit(0)));
