// Entry of the installed app (electron-builder's "main"). The tray app with its dashboard, or
// with --headless / `serve` only the core. Electron is loaded only for the tray app, so the
// headless path also runs with ELECTRON_RUN_AS_NODE=1 or under plain Node.
import { parseShellArgs, userArgs, type ShellArgs } from './args.js';

let args: ShellArgs;
try {
  args = parseShellArgs(userArgs(process));
} catch (err) {
  console.error(`billing-bridge: ${(err as Error).message}`);
  process.exit(2);
}

if (args.headless) {
  const { runHeadless } = await import('./headless.js');
  await runHeadless(args);
} else if (process.type !== 'browser') {
  console.error('billing-bridge: the tray app needs Electron; to run only the agent use --headless or `serve`');
  process.exit(2);
} else {
  const { runApp } = await import('./app.js');
  await runApp(args);
}
