// The OpenAPI document itself: valid OpenAPI 3.1, the committed docs/openapi.json is a fresh
// generation, its examples fit its schemas and cover every status, and it is served on the admin
// port and printed by `billing-bridge openapi`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_HOST, createAdminApp } from '../../main/admin/server.js';
import { silentLogger } from '../../main/logging/logger.js';
import { generateOpenApiJson } from '../../tools/openapi/index.js';
import { listen } from '../../main/server/listen.js';
import { VERSION } from '../../main/version.js';
import { ROOT, runCli } from '../../tools/cli-process/cli.js';
import { noHandlers } from '../helpers/admin.js';
import { request } from '../helpers/http.js';
import { ResponseChecker } from '../helpers/openapi.js';

type Json = Record<string, unknown>;
let text: string;
let doc: Json;

beforeAll(async () => {
  text = await generateOpenApiJson();
  doc = JSON.parse(text) as Json;
});

/** Every `examples` map in the document with the pointer of the schema beside it. */
function examplesWithSchemas(node: unknown, at = '#'): Array<{ at: string; name: string; value: unknown; schema: string }> {
  if (typeof node !== 'object' || node === null) return [];
  const obj = node as Json;
  const here = obj.examples && obj.schema
    ? Object.entries(obj.examples as Record<string, { value: unknown }>).map(([name, e]) => ({ at, name, value: e.value, schema: `${at}/schema` }))
    : [];
  return [...here, ...Object.entries(obj).flatMap(([key, child]) => examplesWithSchemas(child, `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`))];
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 (@seriousme/openapi-schema-validator)', async () => {
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
    expect(doc.info).toMatchObject({ version: VERSION });
  });

  it('its schemas are valid JSON Schema 2020-12 (the OpenAPI validator does not look inside them; Ajv compiles each)', () => {
    const checker = new ResponseChecker(doc);
    const names = Object.keys((doc.components as Json).schemas as Json);
    expect(names).toEqual(expect.arrayContaining(['User', 'Contract', 'Tariff', 'Charge', 'Service', 'ErrorBody', 'ContractCallback', 'ChargeCallback']));
    for (const name of names) expect(() => checker.validate(`#/components/schemas/${name}`, null)).not.toThrow();
    const broken = structuredClone(doc) as { components: { schemas: Record<string, Json> } };
    broken.components.schemas.User!.type = 'objekt';
    expect(() => new ResponseChecker(broken).validate('#/components/schemas/User', null)).toThrow();
  });

  it('docs/openapi.json is what the agent generates now', () => {
    const committed = readFileSync(path.join(ROOT, 'docs', 'openapi.json'), 'utf8');
    if (committed !== text) {
      throw new Error('docs/openapi.json differs from a fresh generation: run `npm run openapi` and commit the result');
    }
  });

  it('every example fits the schema beside it (they are real answers and real callbacks)', () => {
    const checker = new ResponseChecker(doc);
    const examples = examplesWithSchemas(doc);
    expect(examples.length).toBeGreaterThan(30);
    for (const e of examples) expect({ at: e.at, name: e.name, problems: checker.validate(e.schema, e.value) }).toEqual({ at: e.at, name: e.name, problems: [] });
    expect(examples.filter((e) => e.at.startsWith('#/webhooks')).map((e) => e.name).sort()).toEqual(['charges', 'contract', 'user']);
  });

  it('every status of every operation has an example answer', () => {
    const components = (doc.components as Json).responses as Record<string, Json>;
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, Json>>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const [status, response] of Object.entries(op.responses as Record<string, Json>)) {
          const resolved = typeof response.$ref === 'string' ? components[response.$ref.split('/').pop()!]! : response;
          const media = (resolved.content as Record<string, Json>)['application/json']!;
          expect({ operation: `${method} ${p} ${status}`, examples: Object.keys((media.examples ?? {}) as Json).length > 0 })
            .toEqual({ operation: `${method} ${p} ${status}`, examples: true });
        }
      }
    }
  });

  it('describes the optional inbound credential, off by default', () => {
    expect(doc.security).toEqual([{}, { basicAuth: [] }, { bearerAuth: [] }]);
    expect(((doc.components as Json).securitySchemes as Json)).toMatchObject({
      basicAuth: { type: 'http', scheme: 'basic' },
      bearerAuth: { type: 'http', scheme: 'bearer' },
    });
  });

  it('is served on the admin port at /openapi.json, without the token', async () => {
    const handlers = noHandlers();
    const admin = await listen(createAdminApp({ token: 'a'.repeat(43), handlers, log: silentLogger() }), { host: ADMIN_HOST, port: 0 });
    try {
      const res = await request(admin.url, { path: '/openapi.json' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.text).toBe(text);
    } finally {
      await admin.close();
    }
  });

  it('is printed by billing-bridge openapi', async () => {
    const run = await runCli(['openapi']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(text);
  }, 30_000);
});
