// Checks HTTP answers against an OpenAPI 3.1 document: the operation (path and method), the status
// (exact, then 1XX-5XX ranges, then default, as OpenAPI resolves them), the media type, the body
// against the response's JSON Schema with Ajv's draft 2020-12 validator, and the documented headers.
import type { IncomingHttpHeaders } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';

type Json = Record<string, unknown>;

export interface CheckedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

const pointer = (...parts: string[]) => `#/${parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

export class ResponseChecker {
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  /** "GET /api/users 404": every operation and status an answer was checked for. */
  readonly seen = new Set<string>();

  constructor(readonly doc: Json) {
    // Strict, except that a keyword beside a $ref need not repeat the type the $ref gives
    // (`{"$ref": ".../Kopecks", "minimum": 0}` is valid JSON Schema; Ajv's strictTypes asks for more).
    this.ajv = new Ajv2020({ strict: true, strictTypes: false, allErrors: true });
    // The document's own keywords: not JSON Schema, but around the schemas Ajv reads.
    this.ajv.addVocabulary(['openapi', 'info', 'servers', 'paths', 'webhooks', 'components', 'security', 'tags', 'example', 'discriminator', 'xml', 'externalDocs']);
    this.ajv.addSchema(doc, 'openapi.json');
  }

  /** The operation object for a method and path (matched as the agent does: any case, one optional trailing slash). */
  operation(method: string, path: string): { key: string; pathKey: string; op: Json } | null {
    const paths = this.doc.paths as Record<string, Json>;
    const bare = path.split('?')[0]!.toLowerCase().replace(/(.)\/$/, '$1');
    const pathKey = Object.keys(paths).find((p) => p.toLowerCase() === bare);
    const m = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const op = pathKey ? (paths[pathKey]![m] as Json | undefined) : undefined;
    return pathKey && op ? { key: `${m.toUpperCase()} ${pathKey}`, pathKey, op } : null;
  }

  /** The methods the document declares for a path, as an Allow header would list them (GET brings HEAD). */
  methodsOf(pathKey: string): string[] {
    const item = (this.doc.paths as Record<string, Json>)[pathKey] ?? {};
    return ['get', 'post', 'put', 'patch', 'delete'].filter((m) => m in item).flatMap((m) => (m === 'get' ? ['GET', 'HEAD'] : [m.toUpperCase()]));
  }

  /** Statuses the document declares for an operation, e.g. "GET /api/users 404". */
  declared(): string[] {
    const out: string[] = [];
    for (const [path, item] of Object.entries(this.doc.paths as Record<string, Json>)) {
      for (const [method, op] of Object.entries(item)) {
        for (const status of Object.keys((op as Json).responses as Json)) out.push(`${method.toUpperCase()} ${path} ${status}`);
      }
    }
    return out.sort();
  }

  /** What is wrong with this answer to this request by the document; empty when nothing is. */
  check(method: string, path: string, answer: CheckedAnswer): string[] {
    const found = this.operation(method, path);
    if (!found) return [`${method} ${path}: not an operation of the document`];
    const { key, pathKey, op } = found;
    const responses = op.responses as Record<string, Json>;
    const statusKey = [String(answer.status), `${Math.floor(answer.status / 100)}XX`, 'default'].find((k) => k in responses);
    if (!statusKey) return [`${key}: status ${answer.status} is not in the document`];
    this.seen.add(`${key} ${statusKey}`);
    const [response, responsePointer] = this.resolve(responses[statusKey]!, pointer('paths', pathKey, method.toLowerCase() === 'head' ? 'get' : method.toLowerCase(), 'responses', statusKey));
    const problems: string[] = [];
    for (const [name, declared] of Object.entries((response.headers ?? {}) as Record<string, Json>)) {
      const [header, headerPointer] = this.resolve(declared, `${responsePointer}/headers/${name}`);
      const value = answer.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`${key} ${answer.status}: header ${name} is missing`);
        continue;
      }
      const schema = header.schema as Json;
      const typed = schema.type === 'integer' && /^-?\d+$/.test(String(value)) ? Number(value) : value;
      problems.push(...this.validate(`${headerPointer}/schema`, typed).map((e) => `${key} ${answer.status}: header ${name}: ${e}`));
    }
    if (method.toUpperCase() === 'HEAD') return problems;
    const content = response.content as Record<string, Json> | undefined;
    if (!content) {
      if (answer.text !== '') problems.push(`${key} ${answer.status}: a body where the document has none`);
      return problems;
    }
    const type = String(answer.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!(type in content)) return [...problems, `${key} ${answer.status}: content type "${type}" is not in the document (${Object.keys(content).join(', ')})`];
    let body: unknown;
    try {
      body = JSON.parse(answer.text);
    } catch {
      return [...problems, `${key} ${answer.status}: the body is not JSON`];
    }
    problems.push(...this.validate(`${responsePointer}/content/${pointer(type).slice(2)}/schema`, body).map((e) => `${key} ${answer.status}: ${e}`));
    return problems;
  }

  /** Validates a value against the schema at a pointer into the document; the errors in words. */
  validate(at: string, value: unknown): string[] {
    let validate = this.validators.get(at);
    if (!validate) this.validators.set(at, (validate = this.ajv.compile({ $ref: `openapi.json${at}` })));
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(the whole value)'} ${e.message} ${JSON.stringify(e.params)}`);
  }

  /** Follows a $ref (to components) in a response or header object, with the pointer where it lands. */
  private resolve(object: Json, at: string): [Json, string] {
    const target = object.$ref;
    if (typeof target !== 'string') return [object, at];
    let node: unknown = this.doc;
    for (const part of target.slice(2).split('/')) node = (node as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    return [node as Json, target];
  }
}
