// npm's `prepare` (after `npm ci` / `npm install` in the checkout): builds the agent (dist/) and
// the dashboard (renderer/dist/) when the build tools are installed. After `npm ci --omit=dev`
// they are not, and there is nothing to build with: say so and succeed, so a production install
// works (the npm package and the server package carry the built files).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

// npm pack and publish run prepare after prepack, which has just built.
if (['pack', 'publish'].includes(process.env.npm_command ?? '')) process.exit(0);

const require = createRequire(import.meta.url);
const missing = ['typescript', 'vite'].filter((name) => {
  try {
    require.resolve(`${name}/package.json`);
    return false;
  } catch {
    return true;
  }
});
if (missing.length > 0) {
  console.log(`prepare: ${missing.join(' and ')} not installed (dev dependencies omitted): not building dist/ and the dashboard`);
  process.exit(0);
}
// The npm that runs this script (npm_execpath), so it works on Windows too (npm.cmd).
const npm = process.env.npm_execpath;
const run = npm
  ? spawnSync(process.execPath, [npm, 'run', '--silent', 'build:all'], { stdio: 'inherit' })
  : spawnSync('npm', ['run', '--silent', 'build:all'], { stdio: 'inherit', shell: process.platform === 'win32' });
process.exit(run.status ?? 1);
