#!/usr/bin/env node
// Runs the compiled CLI (built by `npm install` through the `prepare` script, or `npm run build`).
// The agent needs Node.js 22.12+; in a checkout whose `node` is older, the Node 22 that
// scripts/node22.sh keeps in .tools/node22 runs it instead (native modules are built for that one).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 12)) {
  const node22 = fileURLToPath(new URL('../.tools/node22/bin/node', import.meta.url));
  if (!existsSync(node22)) {
    console.error(`billing-bridge needs Node.js 22.12 or newer; this is ${process.version}. Install Node 22, or run \`. scripts/node22.sh\` in the checkout first.`);
    process.exit(78);
  }
  const child = spawn(node22, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  // Ctrl+C reaches the child from the terminal itself; signals sent to this process alone are passed on.
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
} else {
  await runCli();
}

async function runCli() {
  const cli = new URL('../dist/main/cli/index.js', import.meta.url);
  if (!existsSync(fileURLToPath(cli))) {
    console.error('billing-bridge is not built yet: run `npm run build` in ' + fileURLToPath(new URL('..', import.meta.url)));
    process.exit(1);
  }
  await import(cli.href);
}
