// The preload exposes exactly window.billingBridge.call(op, input) → ipcRenderer.invoke('admin', …).
// It is compiled to CommonJS the way tsc builds preload.cjs and run the way a sandboxed preload
// runs: a script whose require() knows only a few modules — here only "electron".
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { fake, resetFake } from './fake-electron.js';

const source = path.resolve(import.meta.dirname, '../../main/shell/preload.cts');
const required: string[] = [];

beforeAll(() => {
  resetFake();
  const { outputText } = ts.transpileModule(readFileSync(source, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: source,
  });
  const sandboxRequire = (name: string) => {
    required.push(name);
    if (name === 'electron') return fake.electron;
    throw new Error(`a sandboxed preload cannot require ${name}`);
  };
  const module = { exports: {} };
  new Function('require', 'module', 'exports', outputText)(sandboxRequire, module, module.exports);
});

describe('the preload', () => {
  it('needs nothing but electron', () => {
    expect(required).toEqual(['electron']);
  });

  it('exposes billingBridge with call and nothing else', () => {
    expect([...fake.exposed.keys()]).toEqual(['billingBridge']);
    expect(Object.keys(fake.exposed.get('billingBridge') as object)).toEqual(['call']);
  });

  it('forwards call(op, input) to the admin channel and returns its answer', async () => {
    const api = fake.exposed.get('billingBridge') as { call(op: string, input: unknown): Promise<unknown> };
    expect(await api.call('sync.status', {})).toEqual({ ok: true, result: 'invoked' });
    expect(fake.invoked).toEqual([['admin', 'sync.status', {}]]);
  });
});
