// Checks that every native module (*.node) under a folder was built for the runtime that will
// load it: the bundled Node of the server package, or Electron for the tray app's package. A
// rebuild tool's "success" is not proof: @electron/rebuild has been seen compiling for the wrong
// ABI and reporting success. Two checks:
//   - statically, from the module's dynamic symbols: node_register_module_v<ABI> names the ABI it
//     was compiled for; napi_register_module_v1 is Node-API, which every runtime loads;
//   - when the runtime can be run here, by loading each module with it (process.dlopen).
// Files that are neither (better-sqlite3's SQLite test extension) are not Node modules: listed, not loaded.
//
//   node scripts/native-abi.mjs <dir> --node <path to node>   (server package)
//   node scripts/native-abi.mjs <dir> --abi 150               (Electron: its NODE_MODULE_VERSION)
// Electron itself can load the modules as plain Node (ELECTRON_RUN_AS_NODE=1): pass it as `node`
// with that `env` (scripts/electron-after-pack.cjs does where the build host can run it).
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export function findNativeModules(dir) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && entry.name.endsWith('.node')) found.push(full);
    }
  };
  walk(dir);
  return found.sort();
}

/** What a module's symbols say: { kind: 'abi', abi } | { kind: 'napi' } | { kind: 'legacy' } | { kind: 'none' }. */
export function staticAbi(file) {
  // Symbol names are NUL-terminated strings in .dynstr; a byte search finds them without binutils.
  const text = readFileSync(file).toString('latin1');
  const versioned = /node_register_module_v(\d+)\0/.exec(text);
  if (versioned) return { kind: 'abi', abi: Number(versioned[1]) };
  if (text.includes('napi_register_module_v1\0')) return { kind: 'napi' };
  // Old-style addons register from a constructor; only loading them tells the ABI.
  if (text.includes('node_module_register\0')) return { kind: 'legacy' };
  return { kind: 'none' };
}

/** The NODE_MODULE_VERSION of a Node binary. */
export function runtimeAbi(node, env = process.env) {
  const run = spawnSync(node, ['-p', 'process.versions.modules'], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`cannot run ${node}: ${run.stderr || run.error?.message}`);
  return Number(run.stdout.trim());
}

/** Loads one module with the given Node; null when it loads, else the loader's message. */
function loadError(node, file, env) {
  const script = 'try { process.dlopen({ exports: {} }, process.argv[1]); } catch (e) { console.log(e.message); process.exit(3); }';
  const run = spawnSync(node, ['-e', script, file], { encoding: 'utf8', env });
  return run.status === 0 ? null : (run.stdout || run.stderr || `exit ${run.status}`).trim().replace(/\s+/g, ' ');
}

/**
 * { ok, abi, lines }: every Node module under `dir` must match `abi` (taken from `node` when not
 * given) and, when `node` is given, load with it.
 */
export function checkNativeAbi({ dir, node, abi, env = process.env }) {
  const expected = abi ?? runtimeAbi(node, env);
  const lines = [];
  let ok = true;
  const modules = findNativeModules(dir);
  for (const file of modules) {
    const name = path.relative(dir, file);
    const found = staticAbi(file);
    if (found.kind === 'none') {
      lines.push(`  skip  ${name}: not a Node module`);
      continue;
    }
    let problem = null;
    if (found.kind === 'abi' && found.abi !== expected) problem = `built for ABI ${found.abi}, the runtime has ${expected}`;
    else if (node) problem = loadError(node, file, env);
    else if (found.kind === 'legacy') problem = 'its ABI can only be told by loading it, and the runtime cannot run here';
    const what = found.kind === 'abi' ? `ABI ${found.abi}` : found.kind === 'napi' ? 'Node-API' : 'legacy addon';
    if (problem) ok = false;
    lines.push(`  ${problem ? 'FAIL' : 'ok  '}  ${name}: ${what}${node && !problem ? ', loads' : ''}${problem ? `: ${problem}` : ''}`);
  }
  if (modules.length === 0) lines.push('  (no native modules)');
  return { ok, abi: expected, lines };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const [dir, flag, value] = process.argv.slice(2);
  if (!dir || !['--node', '--abi'].includes(flag) || !value) {
    console.error('usage: node scripts/native-abi.mjs <dir> --node <node binary> | --abi <NODE_MODULE_VERSION>');
    process.exit(2);
  }
  const result = checkNativeAbi(flag === '--node' ? { dir, node: value } : { dir, abi: Number(value) });
  console.log(`native modules under ${dir} (runtime ABI ${result.abi}):\n${result.lines.join('\n')}`);
  process.exit(result.ok ? 0 : 1);
}
