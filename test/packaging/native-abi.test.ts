// The ABI check that fails a package build when a native module does not fit the runtime that
// will load it: the bundled Node of the server package, or Electron for the tray app.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error plain JavaScript build script, no types
import { checkNativeAbi, staticAbi } from '../../scripts/native-abi.mjs';
// @ts-expect-error plain JavaScript build hook, no types
import afterPack from '../../scripts/electron-after-pack.mjs';

const ROOT = path.resolve(import.meta.dirname, '../..');
const sqlite = path.join(ROOT, 'node_modules/better-sqlite3');
const sqliteNode = path.join(sqlite, 'build/Release/better_sqlite3.node');
const keyring = path.dirname(execFileSync(process.execPath, ['-p', 'require.resolve("@napi-rs/keyring-linux-x64-gnu")'], { cwd: ROOT, encoding: 'utf8' }).trim());
const ELECTRON_ABI = Number(readFileSync(path.join(ROOT, 'node_modules/electron/abi_version'), 'utf8'));

interface Result { ok: boolean; abi: number; lines: string[] }
const check = checkNativeAbi as (o: { dir: string; node?: string; abi?: number }) => Result;

describe('native module ABI check', () => {
  it('reads the ABI a module was built for from its symbols, and tells Node-API modules apart', () => {
    expect(staticAbi(sqliteNode)).toEqual({ kind: 'abi', abi: Number(process.versions.modules) });
    const napi = path.join(keyring, 'keyring.linux-x64-gnu.node');
    expect(staticAbi(napi)).toEqual({ kind: 'napi' });
    // better-sqlite3's SQLite test extension is a shared library, not a Node module.
    expect(staticAbi(path.join(sqlite, 'build/Release/test_extension.node'))).toEqual({ kind: 'none' });
  });

  it('passes modules that load with the runtime they were built for', () => {
    const result = check({ dir: sqlite, node: process.execPath });
    expect(result.ok).toBe(true);
    expect(result.lines.join('\n')).toMatch(/ok\s+build\/Release\/better_sqlite3\.node: ABI \d+, loads/);
  });

  it('fails a module built for another ABI (Electron\'s), naming it', () => {
    const result = check({ dir: sqlite, abi: ELECTRON_ABI });
    expect(result.ok).toBe(false);
    expect(result.lines.join('\n')).toContain(`FAIL  build/Release/better_sqlite3.node: ABI ${process.versions.modules}: built for ABI ${process.versions.modules}, the runtime has ${ELECTRON_ABI}`);
    expect(check({ dir: keyring, abi: ELECTRON_ABI }).ok).toBe(true);
  });

  const otherNode = ['/usr/bin/node', '/usr/local/bin/node'].find((n) => existsSync(n) && execFileSync(n, ['-p', 'process.versions.modules'], { encoding: 'utf8' }).trim() !== process.versions.modules);
  it.skipIf(!otherNode)('fails when another Node cannot load the module (the system\'s older Node)', () => {
    const result = check({ dir: sqlite, node: otherNode! });
    expect(result.ok).toBe(false);
    expect(result.lines.join('\n')).toMatch(/FAIL\s+build\/Release\/better_sqlite3\.node/);
  });
});

describe('the Electron package\'s afterPack hook', () => {
  /** A packed Linux app as electron-builder leaves it before making the installers. */
  function packedApp(modules: string[]) {
    const appOutDir = mkdtempSync(path.join(tmpdir(), 'bb-packed-'));
    for (const dir of modules) cpSync(dir, path.join(appOutDir, 'resources/app.asar.unpacked/node_modules', path.basename(dir)), { recursive: true });
    // No Electron binary here: the hook checks the symbols only.
    return { appOutDir, electronPlatformName: 'linux', packager: { executableName: 'billing-bridge', appInfo: { productFilename: 'Billing Bridge' } } };
  }
  const hook = afterPack as (context: unknown) => Promise<void>;

  it('fails the build when better-sqlite3 was compiled for Node instead of Electron', async () => {
    await expect(hook(packedApp([sqlite, keyring]))).rejects.toThrow(/does not fit Electron's ABI/);
  });

  it('passes Node-API modules', async () => {
    await expect(hook(packedApp([keyring]))).resolves.toBeUndefined();
  });
});
