// The tray app's package: /usr/bin/billing-bridge runs the command line on the app's Electron as
// plain Node. Electron cannot be downloaded here, so the wrapper runs against a stand-in binary
// that reports how it was started, and the build configuration is checked as text.
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const config = readFileSync(path.join(ROOT, 'electron-builder.yml'), 'utf8');

describe('the Electron package\'s command line', () => {
  it('/usr/bin/billing-bridge starts the app\'s Electron with ELECTRON_RUN_AS_NODE=1 on the CLI inside app.asar', () => {
    const base = mkdtempSync(path.join(tmpdir(), 'bb-electron-'));
    const app = path.join(base, 'opt', 'Billing Bridge'); // the product name has a space
    mkdirSync(path.join(app, 'resources', 'bin'), { recursive: true });
    const electron = path.join(app, 'billing-bridge');
    writeFileSync(electron, '#!/bin/sh\necho "ELECTRON_RUN_AS_NODE=$ELECTRON_RUN_AS_NODE"\nfor a in "$@"; do echo "arg:$a"; done\n');
    chmodSync(electron, 0o755);
    cpSync(path.join(ROOT, 'packaging/electron/cli.sh'), path.join(app, 'resources/bin/billing-bridge'));
    mkdirSync(path.join(base, 'usr', 'bin'), { recursive: true });
    const link = path.join(base, 'usr/bin/billing-bridge');
    symlinkSync(path.join(app, 'resources/bin/billing-bridge'), link);

    const res = spawnSync(link, ['status', '--json', 'two words'], { encoding: 'utf8' });
    expect(res.status).toBe(0);
    expect(res.stdout.trim().split('\n')).toEqual([
      'ELECTRON_RUN_AS_NODE=1',
      `arg:${path.join(app, 'resources/app.asar/bin/billing-bridge.js')}`,
      'arg:status', 'arg:--json', 'arg:two words',
    ]);
  });

  it('electron-builder.yml keeps the runAsNode fuse on, ships the wrapper, links it from /usr/bin and checks the ABI', () => {
    expect(config).toMatch(/^electronFuses:\n\s+runAsNode: true$/m);
    expect(config).toMatch(/- from: packaging\/electron\/cli\.sh\n\s+to: bin\/billing-bridge/);
    expect(config).toMatch(/^afterPack: \.\/scripts\/electron-after-pack\.mjs$/m);
    expect(config).toMatch(/afterInstall: packaging\/electron\/after-install\.tpl/);
    const afterInstall = readFileSync(path.join(ROOT, 'packaging/electron/after-install.tpl'), 'utf8');
    expect(afterInstall).toContain("update-alternatives --install '/usr/bin/${executable}' '${executable}' '/opt/${sanitizedProductName}/resources/bin/${executable}'");
    const afterRemove = readFileSync(path.join(ROOT, 'packaging/electron/after-remove.tpl'), 'utf8');
    expect(afterRemove).toContain("update-alternatives --remove '${executable}' '/opt/${sanitizedProductName}/resources/bin/${executable}'");
  });
});
