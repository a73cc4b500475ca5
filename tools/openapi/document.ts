// The OpenAPI 3.1 document of the Data Provider API as served: schemas from the zod contract in
// shared/ (JSON Schema draft 2020-12, OpenAPI 3.1's dialect), every status each operation can
// answer, the optional inbound credential, the callbacks sent to core as webhooks, and examples
// that are real answers (examples.ts). Prose for people is docs/data-provider-api.md.
import { z } from 'zod';
import {
  AuthRequest, AuthResponse, CALLBACK_PATHS, Charge, ChargeCallback, ChargesQuery, ChargesResponse, Contract, ContractCallback,
  ContractSetting, ContractState, ContractTariff, ContractsQuery, ContractsResponse, ErrorBody, ExtId, Kopecks, MAX_CHARGES, Option,
  Period, Phone, PhoneNumber, Service, ServicesResponse, Tariff, TariffsResponse, User, UsersQuery, UsersResponse,
} from '../../shared/data-provider.js';
import { BODY_LIMIT_BYTES } from '../../main/server/body.js';
import { chargeCallback, contractCallback, userContractsCallback } from '../../main/sync/targets.js';
import type { Exchange } from './examples.js';

type Json = Record<string, unknown>;

/** Named schemas, referenced as #/components/schemas/<name>. */
const COMPONENTS: Record<string, z.ZodType> = {
  ExtId, Kopecks, PhoneNumber, Period, ContractState, Phone, User, ContractSetting, Option, ContractTariff, Contract, Service, Tariff, Charge,
  AuthResponse, ErrorBody, UsersResponse, ContractsResponse, ServicesResponse, TariffsResponse, ChargesResponse, ContractCallback, ChargeCallback,
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

/** Types the contract must not use: they have no JSON Schema, and 'any' would hide them as {}. */
const UNREPRESENTABLE = new Set(['bigint', 'date', 'map', 'set', 'symbol', 'function', 'custom', 'void', 'nan']);

function jsonSchemaOptions(io: 'input' | 'output') {
  return {
    target: 'draft-2020-12' as const,
    io,
    unrepresentable: 'any' as const,
    override(ctx: { zodSchema: z.core.$ZodTypes; jsonSchema: z.core.JSONSchema.BaseSchema }) {
      const type = ctx.zodSchema._zod.def.type;
      if (UNREPRESENTABLE.has(type) || (type === 'transform' && io === 'output')) {
        throw new Error(`the Data Provider contract has a ${type}, which JSON Schema cannot describe`);
      }
      // zod's undefined (a key that must be absent) has no JSON Schema type: it is `not: {}`.
      if (type === 'undefined') ctx.jsonSchema.not = {};
    },
  };
}

/** A schema to place inside the document: no $schema or $id of its own (the document sets the dialect). */
function bare(schema: object): Json {
  const { $schema: _schema, $id: _id, ...rest } = schema as Json;
  return rest;
}

const toJsonSchema = (schema: z.ZodType, io: 'input' | 'output'): Json => bare(z.toJSONSchema(schema, jsonSchemaOptions(io)));

function componentSchemas(): Record<string, Json> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(COMPONENTS)) registry.add(schema, { id });
  const { schemas } = z.toJSONSchema(registry, { ...jsonSchemaOptions('output'), uri: (id) => `#/components/schemas/${id}` });
  return Object.fromEntries(Object.entries(schemas).map(([id, schema]) => [id, bare(schema)]));
}

const queryParam = (name: string, schema: z.ZodType, required: boolean, description: string): Json => ({
  name, in: 'query', required, description, schema: toJsonSchema(schema, 'input'),
});

interface OperationSpec {
  method: 'get' | 'post';
  path: string;
  operationId: string;
  summary: string;
  description: string;
  parameters?: Json[];
  requestBody?: Json;
  /** The 200 answer's schema component. */
  success: string;
  successDescription: string;
  /** Statuses of this operation besides the ones every operation can answer. */
  own: Record<number, string>;
}

const OPERATIONS: OperationSpec[] = [
  {
    method: 'post', path: '/api/auth', operationId: 'checkPassword',
    summary: 'Check a subscriber\'s login and password (§2.1)',
    description: 'The body is read as JSON (a missing Content-Type is tolerated). A wrong login, a wrong password and a login locked after '
      + 'security.lockoutFailures wrong passwords get one identical 401. All logins together get at most security.passwordChecksPerMinute '
      + 'checks at the billing a minute; beyond that the answer is 429 with Retry-After.',
    requestBody: { required: true, content: { 'application/json': { schema: toJsonSchema(AuthRequest, 'input') } } },
    success: 'AuthResponse', successDescription: 'The pair is valid: the user\'s ext_user_id.',
    own: {
      400: 'The body is empty, not JSON, or misses a field; the message names it.',
      401: 'Wrong login or password (one answer for both, and for a locked login).',
      413: `The body is larger than ${BODY_LIMIT_BYTES} bytes.`,
      415: 'The body is not JSON (another Content-Type, or compressed).',
      429: 'Too many password checks this minute: try again after Retry-After seconds.',
    },
  },
  {
    method: 'get', path: '/api/users', operationId: 'getUser',
    summary: 'The user (§2.2)',
    description: 'A one-element array.',
    parameters: [queryParam('user_id', UsersQuery.shape.user_id, true, 'The user\'s ext_user_id.')],
    success: 'UsersResponse', successDescription: 'The user, as a one-element array.',
    own: { 400: 'user_id is missing or empty.', 404: 'No such user.' },
  },
  {
    method: 'get', path: '/api/contracts', operationId: 'getContracts',
    summary: 'All contracts of a user, or one contract (§2.3, §2.4)',
    description: 'Give exactly one of `user_id` (all of the user\'s contracts) or `id` (one contract, as a one-element array).',
    parameters: [
      queryParam('user_id', ContractsQuery.shape.user_id, false, 'The user\'s ext_user_id: all of their contracts.'),
      queryParam('id', ContractsQuery.shape.id, false, 'A contract\'s ext_id: that contract alone.'),
    ],
    success: 'ContractsResponse', successDescription: 'The contracts (at least one).',
    own: { 400: 'Neither or both of user_id and id.', 404: 'No such user or contract, or the user has no contracts.' },
  },
  {
    method: 'get', path: '/api/services', operationId: 'listServices',
    summary: 'The service catalogue (§2.5)', description: 'Every service the tariffs refer to.',
    success: 'ServicesResponse', successDescription: 'The services.', own: {},
  },
  {
    method: 'get', path: '/api/tariffs', operationId: 'listTariffs',
    summary: 'The tariff catalogue (§2.6)', description: 'Also what people who are not subscribers see.',
    success: 'TariffsResponse', successDescription: 'The tariffs.', own: {},
  },
  {
    method: 'get', path: '/api/charges', operationId: 'getCharges',
    summary: 'The user\'s charges, newest first (§2.7)',
    description: `Without \`limit\`, all charges up to ${MAX_CHARGES}; a larger \`limit\` is capped at ${MAX_CHARGES}.`,
    parameters: [
      queryParam('user_id', ChargesQuery.shape.user_id, true, 'The user\'s ext_user_id.'),
      queryParam('limit', ChargesQuery.shape.limit, false, `How many of the newest charges: a whole number of at least 1 (at most ${MAX_CHARGES} are answered).`),
    ],
    success: 'ChargesResponse', successDescription: 'The charges, newest first.',
    own: { 400: 'user_id is missing, or limit is not a whole number of at least 1.', 404: 'No such user.' },
  },
];

/** Answers every operation can give, as components.responses. */
const COMMON: Record<number, { name: string; description: string }> = {
  401: { name: 'CredentialsRequired', description: 'server.inboundAuth is basic or bearer and the request has no valid credential (off by default).' },
  403: { name: 'NotAllowed', description: 'The client\'s address is not on server.allowlist, or the request was sent by a web page (it carries Origin, or a Sec-Fetch-Site other than none or same-origin); answered before any billing work.' },
  408: { name: 'RequestTimeout', description: 'The request did not arrive in time; the connection is closed.' },
  421: { name: 'UnknownHost', description: 'Host names a name this agent does not answer for: only IP addresses, localhost and the names in server.hostnames are served, so a web page cannot rebind a name of its own to the agent.' },
  431: { name: 'HeadersTooLarge', description: 'The request headers are larger than 16 KiB; the connection is closed.' },
  500: { name: 'InternalError', description: 'An unexpected failure inside the agent; its log has the details, the answer none.' },
  502: { name: 'BillingDataError', description: 'The billing holds a record for this request that cannot be mapped (say, a malformed amount); the agent\'s log names it.' },
  503: { name: 'Unavailable', description: 'The billing cannot be reached (Retry-After: 30), or the agent has server.maxConcurrentRequests requests in hand (Retry-After: 1). Never an empty list or a 404 instead.' },
};

const HEADERS = {
  'retry-after': { 'Retry-After': { $ref: '#/components/headers/RetryAfter' } },
  'www-authenticate': { 'WWW-Authenticate': { $ref: '#/components/headers/WWWAuthenticate' } },
};

function responseObject(description: string, schema: Json, exchanges: Exchange[]): Json {
  const headers = Object.assign({}, ...[...new Set(exchanges.flatMap((e) => Object.keys(e.headers)))].sort().map((h) => HEADERS[h as keyof typeof HEADERS]));
  return {
    description,
    ...(Object.keys(headers).length > 0 && { headers }),
    content: {
      'application/json': {
        schema,
        ...(exchanges.length > 0 && {
          examples: Object.fromEntries(exchanges.map((e) => [e.name, { summary: e.summary, description: `The answer to ${e.request.method} ${e.request.path}`, value: e.body }])),
        }),
      },
    },
  };
}

function operation(spec: OperationSpec, exchanges: Exchange[]): Json {
  const key = `${spec.method.toUpperCase()} ${spec.path}`;
  const mine = (status: number) => exchanges.filter((e) => e.operation === key && e.status === status);
  const common = (status: number) => exchanges.filter((e) => e.operation === 'any' && e.status === status);
  const responses: Record<string, Json> = { 200: responseObject(spec.successDescription, ref(spec.success), mine(200)) };
  const statuses = [...new Set([...Object.keys(spec.own), ...Object.keys(COMMON)].map(Number))].sort((a, b) => a - b);
  for (const status of statuses) {
    const own = spec.own[status];
    const shared = COMMON[status];
    if (own && shared) {
      // Both, say a wrong password and a missing inbound credential: one response, both examples.
      responses[status] = responseObject(`${own} Or: ${shared.description}`, ref('ErrorBody'), [...mine(status), ...common(status)]);
    } else if (own) {
      responses[status] = responseObject(own, ref('ErrorBody'), mine(status));
    } else {
      responses[status] = { $ref: `#/components/responses/${shared!.name}` };
    }
  }
  const requestExamples = exchanges.filter((e) => e.operation === key && e.request.body !== undefined && (e.status === 200 || e.status === 401));
  const requestBody = spec.requestBody && requestExamples.length > 0
    ? { ...spec.requestBody, content: { 'application/json': { ...(spec.requestBody.content as Record<string, Json>)['application/json'], examples: Object.fromEntries(requestExamples.map((e) => [e.name, { summary: e.summary, value: e.request.body }])) } } }
    : spec.requestBody;
  return {
    operationId: spec.operationId,
    tags: ['Data Provider API'],
    summary: spec.summary,
    description: spec.description,
    ...(spec.parameters && { parameters: spec.parameters }),
    ...(requestBody && { requestBody }),
    responses,
  };
}

function webhook(operationId: string, path: string, summary: string, schema: string, examples: Record<string, { summary: string; value: unknown }>): Json {
  const retried = (why: string) => ({ description: `${why} Retried with a growing, jittered delay until sync.retryHorizonHours, then moved to the dead letters.` });
  const refused = (why: string) => ({ description: `${why} Not retried: the callback goes to the dead letters at once.` });
  return {
    post: {
      operationId,
      tags: ['Callbacks to core'],
      summary,
      description: `Sent as POST {core.baseUrl}${path} with core's HTTP Basic credentials (core.login and the core password). `
        + 'A callback is written to the outbox before it is sent and leaves it only when core answers 2xx; callbacks for the same target are folded into one.',
      'x-path': path,
      security: [{ coreBasicAuth: [] }],
      requestBody: { required: true, content: { 'application/json': { schema: ref(schema), examples } } },
      responses: {
        '2XX': { description: 'Delivered: removed from the outbox.' },
        '3XX': refused('A redirect is not followed: core.baseUrl should be the address it points to; shown as a configuration problem.'),
        401: refused('Wrong credentials: shown as a configuration problem (core.login, the core password); deliveries wait until it is fixed.'),
        403: refused('Refused: shown as a configuration problem, like 401.'),
        404: refused('Wrong address: shown as a configuration problem (core.baseUrl should be the platform\'s address, without /api/...).'),
        405: refused('Wrong address, like 404.'),
        408: retried('Core gave up waiting.'),
        429: retried('Core asks to slow down; its Retry-After (seconds or an HTTP date) sets the delay.'),
        '4XX': refused('Any other refusal.'),
        503: retried('Core is unavailable; its Retry-After sets the delay.'),
        '5XX': retried('Core failed. Timeouts and connection errors are treated the same.'),
      },
    },
  };
}

const body = (callback: { body: string }) => JSON.parse(callback.body) as unknown;

const INFO_DESCRIPTION = [
  'The API a Billing Bridge agent serves the intercom platform ("core") on its public port: users, contracts, services, tariffs, '
    + 'charges and the password check, read live from the ISP\'s billing. The prose version, with the choices the agent makes where '
    + 'the platform\'s specification leaves one, is docs/data-provider-api.md in the repository.',
  '',
  '- Bodies are UTF-8 JSON (`application/json; charset=utf-8`). Money is whole kopecks, identifiers are strings, list endpoints answer arrays.',
  '- Every error is `{"error": "<code>", "message": "<plain words>"}`; core keys on the status code.',
  '- Paths match in any case and with one trailing slash; GET endpoints answer HEAD too. A known path with another method gets 405 '
    + '(OPTIONS: 200) with `Allow`, a method HTTP does not define here 501, an unknown path 404.',
  '- The allowlist (server.allowlist) comes first: any other address gets 403. Then the Host name (421 unless an IP address, '
    + 'localhost or one of server.hostnames) and browser provenance (403 for requests sent by web pages). An inbound credential (server.inboundAuth: basic or '
    + 'bearer) is optional and off by default, as the platform defines none.',
].join('\n');

/** The whole document. `exchanges` are the real answers from examples.ts. */
export function buildDocument(exchanges: Exchange[], version: string): Json {
  const commonResponses = Object.fromEntries(Object.entries(COMMON).map(([status, { name, description }]) => [
    name, responseObject(description, ref('ErrorBody'), exchanges.filter((e) => e.operation === 'any' && e.status === Number(status))),
  ]));
  const paths: Record<string, Json> = {};
  for (const spec of OPERATIONS) paths[spec.path] = { ...paths[spec.path], [spec.method]: operation(spec, exchanges) };
  return {
    openapi: '3.1.0',
    info: { title: 'Billing Bridge: the Data Provider API', version, description: INFO_DESCRIPTION },
    servers: [{
      url: '{scheme}://{host}:{port}',
      description: 'The agent\'s public port (server.host, server.port; HTTPS when server.tls.mode is not off).',
      variables: { scheme: { enum: ['http', 'https'], default: 'http' }, host: { default: '127.0.0.1' }, port: { default: '8080' } },
    }],
    // The empty requirement first: no credential is the default.
    security: [{}, { basicAuth: [] }, { bearerAuth: [] }],
    tags: [
      { name: 'Data Provider API', description: 'What core calls on the agent (§2).' },
      { name: 'Callbacks to core', description: 'What the agent sends core when data changes (§3); core then re-reads through the endpoints.' },
    ],
    paths,
    webhooks: {
      contractChanged: webhook('contractCallback', CALLBACK_PATHS.contract, 'Re-read a contract, or all contracts of a user', 'ContractCallback', {
        contract: { summary: 'One contract changed (balance, tariffs, state, options, settings)', value: body(contractCallback('12331231')) },
        user: { summary: 'A user\'s own record or set of contracts changed, or the user is new or gone', value: body(userContractsCallback('58208891')) },
      }),
      chargesChanged: webhook('chargeCallback', CALLBACK_PATHS.charge, 'Re-read a user\'s charges', 'ChargeCallback', {
        charges: { summary: 'The user\'s newest charges changed, or the user is new', value: body(chargeCallback('58208891')) },
      }),
    },
    components: {
      schemas: componentSchemas(),
      responses: commonResponses,
      headers: {
        RetryAfter: { description: 'Seconds to wait before asking again.', schema: { type: 'integer', minimum: 1 } },
        WWWAuthenticate: { description: 'The credential the agent expects: `Basic realm="billing-bridge"` or `Bearer`.', schema: { type: 'string' } },
      },
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'server.inboundAuth: basic. The login is server.inboundLogin, the password the api-token secret.' },
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'server.inboundAuth: bearer. The token is the api-token secret.' },
        coreBasicAuth: { type: 'http', scheme: 'basic', description: 'What the agent sends core with callbacks: core.login and the core password, issued by the platform.' },
      },
    },
  };
}
