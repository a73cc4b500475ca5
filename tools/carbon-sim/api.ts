// The call engine shared by REST v2 and system_api: method1/arg1, method2/arg2, ... each applied
// to the previous result, then `fields` on the last one.
import { randomBytes } from 'node:crypto';
import type { Database, Row, Table } from './db.js';
import { filterRows } from './query.js';
import { parseFieldsParam, serializeRow } from './serialize.js';
import { SimError } from './values.js';

export interface Call {
  method: string;
  /** The raw argN text (a JSON object). */
  arg: string;
}

type Result =
  | { kind: 'qs'; table: Table; rows: Row[] }
  | { kind: 'obj'; table: Table; row: Row }
  | { kind: 'value'; value: unknown; pyType: string };

export interface EngineContext {
  db: Database;
  /** web_cabinet sessions: session_id → Users pk. */
  sessions: Map<string, number>;
  /** The cabinet's user answer: `abonent` nested (evidence) or `abonent_id` (legacy). */
  profile: 'evidence' | 'legacy';
}

/** Which API the call came through; web_cabinet answers differ between them. The listing is a GET of its own. */
export type Api = 'rest' | 'system' | 'listing';

function parseArg(raw: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    // Python 2's json message, which is what Carbon 5 shows.
    throw new SimError('No JSON object could be decoded');
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    throw new SimError(`argument after ** must be a mapping, not ${Array.isArray(v) ? 'list' : typeof v}`);
  }
  return v as Record<string, unknown>;
}

function noKwargs(method: string, kw: Record<string, unknown>): void {
  const extra = Object.keys(kw)[0];
  if (extra !== undefined) throw new SimError(`${method}() got an unexpected keyword argument '${extra}'`);
}

function getOne(table: Table, rows: Row[]): Result {
  if (rows.length === 0) throw new SimError(`${table.name} matching query does not exist.`);
  if (rows.length > 1) throw new SimError(`get() returned more than one ${table.name} -- it returned ${rows.length}!`);
  return { kind: 'obj', table, row: rows[0]! };
}

function querysetMethod(
  ctx: EngineContext,
  table: Table,
  rows: readonly Row[] | null,
  name: string,
  kw: Record<string, unknown>,
): Result {
  const { db } = ctx;
  switch (name) {
    case 'filter':
      return { kind: 'qs', table, rows: filterRows(db, table, rows, kw) };
    case 'exclude':
      return { kind: 'qs', table, rows: filterRows(db, table, rows, kw, true) };
    case 'all':
      noKwargs(name, kw);
      return { kind: 'qs', table, rows: [...(rows ?? table.rows)] };
    case 'get':
      return getOne(table, filterRows(db, table, rows, kw));
    case 'count':
      noKwargs(name, kw);
      return { kind: 'value', value: (rows ?? table.rows).length, pyType: 'int' };
    case 'exists':
      noKwargs(name, kw);
      return { kind: 'value', value: (rows ?? table.rows).length > 0, pyType: 'bool' };
    case 'first':
    case 'last': {
      noKwargs(name, kw);
      // Django orders an unordered queryset by pk for first()/last().
      const sorted = [...(rows ?? table.rows)].sort((a, b) => a.pk - b.pk);
      const row = name === 'first' ? sorted[0] : sorted[sorted.length - 1];
      return row ? { kind: 'obj', table, row } : { kind: 'value', value: null, pyType: 'NoneType' };
    }
  }
  throw new SimError(`'${rows === null ? 'Manager' : 'QuerySet'}' object has no attribute '${name}'`);
}

function userInfo(ctx: EngineContext, user: Row): Record<string, unknown> {
  const abonents = ctx.db.table('Abonents');
  const abonent = typeof user.abonent_id === 'number' ? abonents.get(user.abonent_id) : undefined;
  const accountId = abonent?.account_id;
  const account = typeof accountId === 'number' ? ctx.db.table('AdminAccounts').get(accountId) : undefined;
  if (ctx.profile === 'evidence') {
    // Public clients read user.abonent.pk, and the balance at user.abonent.__account.
    return {
      id: user.pk,
      login: user.login,
      abonent: abonent
        ? { pk: abonent.pk, name: abonent.name ?? '', contract_number: abonent.contract_number ?? '', __account: account ? { pk: account.pk, balance: account.balance ?? null } : null }
        : null,
    };
  }
  return {
    id: user.pk,
    login: user.login,
    abonent_id: user.abonent_id ?? null,
    name: abonent?.name ?? '',
    contract_number: abonent?.contract_number ?? '',
    balance: account?.balance ?? null,
  };
}

function newSession(ctx: EngineContext, user: Row): Record<string, unknown> {
  const sessionId = randomBytes(16).toString('hex');
  ctx.sessions.set(sessionId, user.pk);
  return { session_id: sessionId, user: userInfo(ctx, user) };
}

/** Users.web_cabinet.*: answers are plain dicts, `{"error": ...}` on failure. */
function webCabinet(ctx: EngineContext, name: string, kw: Record<string, unknown>): Record<string, unknown> {
  const users = ctx.db.table('Users');
  switch (name) {
    case 'login': {
      const login = typeof kw.login === 'string' ? kw.login : String(kw.login ?? '');
      const user = users.lookup('login', login)[0];
      if (!user || String(kw.passwd ?? '') !== user.gen_pwd) return { error: 'Неверный логин или пароль' };
      return newSession(ctx, user);
    }
    case 'try_auto_login': {
      const ip = String(kw.src_ip ?? '');
      const user = ip ? users.lookup('ip', ip)[0] : undefined;
      if (!user) return { error: 'Не удалось авторизоваться по IP' };
      return newSession(ctx, user);
    }
    case 'user_info': {
      const pk = ctx.sessions.get(String(kw.suid ?? ''));
      const user = pk === undefined ? undefined : users.get(pk);
      if (!user) return { error: 'Сессия не найдена' };
      return { user: userInfo(ctx, user) };
    }
  }
  throw new SimError(`'WebCabinet' object has no attribute '${name}'`);
}

function objectMethod(table: Table, row: Row, name: string, kw: Record<string, unknown>): Result {
  if (table.name === 'Users' && name === 'check_pass') {
    if (!('passwd' in kw)) throw new SimError('check_pass() takes exactly 2 arguments (1 given)');
    return { kind: 'value', value: String(kw.passwd) === row.gen_pwd, pyType: 'bool' };
  }
  throw new SimError(`'${table.name}' object has no attribute '${name}'`);
}

/**
 * Run a chain of calls on a model and return the JSON-able result, or throw SimError.
 * `fieldsRaw` is the raw `fields` parameter (or undefined).
 */
export function runCalls(
  ctx: EngineContext,
  model: string,
  calls: Call[],
  fieldsRaw: string | undefined,
  api: Api,
): unknown {
  const table = ctx.db.find(model);
  if (!table) throw new SimError(`Model ${model} not found`);
  if (calls.length === 0) throw new SimError('method1 is required');
  let result: Result | null = null;
  for (const call of calls) {
    const kw = parseArg(call.arg);
    if (result === null) {
      const [head, ...restParts] = call.method.split('.');
      const rest = restParts.join('.');
      if (head === 'objects' && rest) {
        result = querysetMethod(ctx, table, null, rest, kw);
      } else if (head === 'web_cabinet' && rest && table.name === 'Users') {
        const answer = webCabinet(ctx, rest, kw);
        // REST v2 wraps the method's JSON text in a list: the answer is double-encoded.
        result =
          api === 'rest'
            ? { kind: 'value', value: [JSON.stringify(answer)], pyType: 'list' }
            : { kind: 'value', value: answer, pyType: 'dict' };
      } else {
        throw new SimError(`type object '${table.name}' has no attribute '${head}'`);
      }
      continue;
    }
    if (result.kind === 'qs') result = querysetMethod(ctx, result.table, result.rows, call.method, kw);
    else if (result.kind === 'obj') result = objectMethod(result.table, result.row, call.method, kw);
    else throw new SimError(`'${result.pyType}' object has no attribute '${call.method}'`);
  }
  const last = result!;
  if (last.kind === 'value') return last.value;
  const spec = fieldsRaw === undefined ? null : parseFieldsParam(ctx.db, last.table, fieldsRaw);
  if (last.kind === 'obj') return serializeRow(ctx.db, last.table, last.row, spec);
  return last.rows.map((r) => serializeRow(ctx.db, last.table, r, spec));
}
