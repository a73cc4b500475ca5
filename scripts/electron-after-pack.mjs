// electron-builder's afterPack hook (electron-builder.yml): the tray app's native modules must fit
// Electron's ABI (node_modules/electron/abi_version), whatever the rebuild step reported. The
// static check (the ABI in each module's symbols) always runs; loading each module with the
// packed Electron as plain Node runs too when this host can execute it (a Linux build of a Linux
// target). Node-API modules (@napi-rs/keyring) fit every runtime.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { checkNativeAbi } from './native-abi.mjs';

function electronAbi() {
  return Number(readFileSync(createRequire(import.meta.url).resolve('electron/abi_version'), 'utf8').trim());
}

/** resources/ of the packed app: beside the binary on Linux and Windows, inside the bundle on macOS. */
function resourcesDir(context) {
  if (context.electronPlatformName !== 'darwin') return path.join(context.appOutDir, 'resources');
  const app = `${context.packager.appInfo.productFilename}.app`;
  return path.join(context.appOutDir, app, 'Contents', 'Resources');
}

function runnableElectron(context) {
  if (context.electronPlatformName !== process.platform || context.electronPlatformName === 'darwin') return null;
  const name = context.packager.executableName + (process.platform === 'win32' ? '.exe' : '');
  const binary = path.join(context.appOutDir, name);
  return existsSync(binary) ? binary : null;
}

export default async function afterPack(context) {
  const dir = path.join(resourcesDir(context), 'app.asar.unpacked');
  const electron = runnableElectron(context);
  const result = checkNativeAbi({
    dir: existsSync(dir) ? dir : resourcesDir(context),
    abi: electronAbi(),
    ...(electron && { node: electron, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } }),
  });
  console.log(`native modules for Electron (ABI ${result.abi}${electron ? ', loaded with the packed Electron' : ', symbols only: this host cannot run the target'}):\n${result.lines.join('\n')}`);
  if (!result.ok) throw new Error('a native module does not fit Electron\'s ABI: rebuild it for Electron (npmRebuild) before packaging');
}
