// Run the Carbon Billing 5 simulator on its own:
//   node --import tsx tools/carbon-sim/cli.ts --port 8082 --subscribers 1000
import { parseArgs } from 'node:util';
import { createCarbonSim, FIXTURE, FIXTURE_SUBSCRIBERS } from './index.js';

const HELP = `Carbon Billing 5 simulator (REST API v2 + system_api) for tests and demos.

Usage: node --import tsx tools/carbon-sim/cli.ts [options]

  --port N                 port (default 8082; 0 = any free port)
  --host ADDR              address to listen on (default 127.0.0.1)
  --subscribers N          generated subscribers on top of the fixtures (default 0)
  --seed N                 seed of the generated data (default 1)
  --now ISO                "today" for the data, e.g. 2026-11-23T12:00:00 (default: the real clock)
  --allow-ip ADDR          only this remote address may call (repeatable); others get 403
  --profile NAME           evidence (default: the shape public sources show) or legacy
  --listing FORMAT         GET /rest_api/v2/ as json, html, text or none
  --system-api-password P  psw of system_api context "web" (default: none; legacy web-secret)
  --delay-ms N             answer every call N ms late
  --reset                  drop every connection without an answer
  --error-body TEXT        answer every call with 200 {"error": TEXT}
  --malformed-json         answer every call with a truncated JSON body
  --http500                answer every call with HTTP 500
  --quiet                  do not log calls
  -h, --help               this text
`;

const OPTIONS = {
  port: { type: 'string', default: '8082' },
  host: { type: 'string', default: '127.0.0.1' },
  subscribers: { type: 'string', default: '0' },
  seed: { type: 'string', default: '1' },
  now: { type: 'string' },
  'allow-ip': { type: 'string', multiple: true },
  'system-api-password': { type: 'string' },
  profile: { type: 'string', default: 'evidence' },
  listing: { type: 'string' },
  'delay-ms': { type: 'string', default: '0' },
  reset: { type: 'boolean', default: false },
  'error-body': { type: 'string' },
  'malformed-json': { type: 'boolean', default: false },
  http500: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

function parse() {
  try {
    return parseArgs({ options: OPTIONS, strict: true });
  } catch (e) {
    process.stderr.write(`carbon-sim: ${e instanceof Error ? e.message : String(e)}\n\n${HELP}`);
    process.exit(2);
  }
}
const { values } = parse();

if (values.help) {
  process.stdout.write(HELP);
  process.exit(0);
}

function int(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) {
    process.stderr.write(`carbon-sim: --${name} must be a non-negative integer, got ${text}\n`);
    process.exit(2);
  }
  return n;
}

let fixedNow: Date | undefined;
if (values.now !== undefined) {
  fixedNow = new Date(values.now);
  if (Number.isNaN(fixedNow.getTime())) {
    process.stderr.write(`carbon-sim: --now is not a date: ${values.now}\n`);
    process.exit(2);
  }
}

if (values.profile !== 'evidence' && values.profile !== 'legacy') {
  process.stderr.write(`carbon-sim: --profile must be evidence or legacy, got ${values.profile}\n`);
  process.exit(2);
}
if (values.listing !== undefined && !['json', 'html', 'text', 'none'].includes(values.listing)) {
  process.stderr.write(`carbon-sim: --listing must be json, html, text or none, got ${values.listing}\n`);
  process.exit(2);
}

const started = Date.now();
const sim = createCarbonSim({
  profile: values.profile,
  ...(values.listing !== undefined ? { listing: values.listing as 'json' | 'html' | 'text' | 'none' } : {}),
  subscribers: int('subscribers', values.subscribers),
  seed: int('seed', values.seed),
  ...(fixedNow ? { now: () => new Date(fixedNow) } : {}),
  ...(values['allow-ip'] ? { allowIps: values['allow-ip'] } : {}),
  ...(values['system-api-password'] !== undefined ? { systemApiPassword: values['system-api-password'] } : {}),
});
const built = Date.now() - started;
sim.faults.delayMs = int('delay-ms', values['delay-ms']);
sim.faults.reset = values.reset;
sim.faults.errorBody = values['error-body'] ?? null;
sim.faults.malformedJson = values['malformed-json'];
sim.faults.http500 = values.http500;

const { url } = await sim.listen(int('port', values.port), values.host);

const lines = [
  `Carbon Billing 5 simulator listening on ${url}`,
  `  profile ${values.profile}; REST API v2: POST ${url}/rest_api/v2/<Model>/   system_api: GET ${url}/system_api/ (context=web${values['system-api-password'] ?? (values.profile === 'legacy' ? 'web-secret' : '') ? `, psw=${values['system-api-password'] ?? 'web-secret'}` : ', no psw'})`,
  `  data: ${FIXTURE_SUBSCRIBERS.length} fixture subscribers + ${values.subscribers} generated (seed ${values.seed}), built in ${built} ms`,
  `  allow-list: ${sim.allowIps ? sim.allowIps.join(' ') : 'off (everyone)'}`,
  `  faults: ${JSON.stringify(sim.faults)}`,
  '',
  '  Fixture subscribers (pk  contract  login / password  balance  case):',
];
for (const [key, f] of Object.entries(FIXTURE)) {
  const logins = f.logins.length ? f.logins.map((l) => `${l.login} / ${l.password}`).join(', ') : '(no login)';
  lines.push(`    ${String(f.pk).padEnd(3)} ${f.contractNumber}  ${logins.padEnd(44)} ${f.balance.padStart(8)}  ${key}`);
}
lines.push('', `  Try: curl -s -X POST ${url}/rest_api/v2/Abonents/ --data-urlencode 'method1=objects.get' --data-urlencode 'arg1={"pk": 11}' --data-urlencode 'fields=["name","account__balance"]'`);
process.stdout.write(lines.join('\n') + '\n');

// Log calls as they arrive, then drop them: nobody else reads the log of a standalone simulator.
setInterval(() => {
  if (!values.quiet) {
    for (const c of sim.calls) {
      process.stdout.write(`${new Date(c.at).toISOString()} ${c.api} ${c.model} ${c.methods.join(' → ')}\n`);
    }
  }
  sim.resetCalls();
}, 200).unref();

const stop = () => {
  void sim.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
