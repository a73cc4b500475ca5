// The Carbon simulator in its own process for benchmarks (forked with IPC). It sends its URL and
// a sample of subscribers' logins and passwords, and answers 'calls' with the calls since the last ask.
import { createCarbonSim } from '../tools/carbon-sim/index.js';

const subscribers = Number(process.argv[2] ?? 100_000);
const sim = createCarbonSim({ subscribers });
const { url } = await sim.listen(0, '127.0.0.1');
const users = sim.db.table('Users').rows
  .filter((_, i) => i % Math.max(1, Math.floor(subscribers / 1000)) === 0)
  .slice(0, 1000)
  .map((r) => ({ login: String(r.login), password: String(r.gen_pwd), abonent: Number(r.abonent_id) }))
  .filter((u) => Number.isFinite(u.abonent) && u.abonent > 0);
process.send!({ url, users });
process.on('message', (msg) => {
  if (msg === 'calls') {
    process.send!({ calls: sim.calls.length });
    sim.resetCalls();
  }
});
process.on('SIGTERM', () => sim.close().then(() => process.exit(0)));
