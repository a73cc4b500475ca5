// billing-bridge <command>: the entry of the command line (bin/billing-bridge.js runs it).
import { runCli } from './program.js';

await runCli(process.argv);
