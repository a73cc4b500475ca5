// The seven endpoints of the Data Provider API (docs/data-provider-api.md §2).
import type { Context } from 'koa';
import {
  AuthRequest, ChargesQuery, ContractsQuery, MAX_CHARGES, UsersQuery,
} from '../../shared/data-provider.js';
import type { BillingSource } from '../billing/source.js';
import type { PasswordGuard } from '../security/password-guard.js';
import { readJsonBody } from './body.js';
import { RouteTable, sendJson } from './route-table.js';
import { parseOr400 } from './validate.js';

const WRONG_PAIR = 'wrong login or password';

function tooMany(ctx: Context, seconds: number): never {
  ctx.set('Retry-After', String(seconds));
  ctx.throw(429, 'too many password checks right now; try again shortly');
}

export function dataProviderRoutes(billing: () => BillingSource, guard?: PasswordGuard): RouteTable {
  const router = new RouteTable('/api');

  router.post('/auth', async (ctx: Context) => {
    const { login, pswd } = parseOr400(ctx, AuthRequest, await readJsonBody(ctx));
    const wait = guard?.overCap() ?? null;
    if (wait !== null) tooMany(ctx, wait);
    // Lockouts count per account the billing knows, not per spelling of it (a login, a contract number).
    const source = billing();
    const identity = source.resolveLogin ? await source.resolveLogin(login) : login;
    const key = identity ?? login;
    const verdict = guard?.before(key) ?? { go: true };
    if (!verdict.go) {
      // A locked login gets exactly the wrong-password answer, and the billing is not asked.
      if (verdict.reason === 'locked') ctx.throw(401, WRONG_PAIR);
      tooMany(ctx, verdict.retryAfterSeconds);
    }
    let userId: string | null;
    try {
      // A login that names nobody is a wrong pair without a password check.
      userId = identity === null ? null : await source.authenticate(identity, pswd);
    } catch (err) {
      guard?.after(key, 'error');
      throw err;
    }
    guard?.after(key, userId === null ? 'invalid' : 'valid');
    // One answer for an unknown login and a wrong password (spec §2.1).
    if (userId === null) ctx.throw(401, WRONG_PAIR);
    sendJson(ctx, { ext_user_id: userId });
  });

  router.get('/users', async (ctx: Context) => {
    const { user_id } = parseOr400(ctx, UsersQuery, ctx.query);
    const user = await billing().getUser(user_id);
    if (!user) ctx.throw(404, `no user ${user_id}`);
    sendJson(ctx, [user]);
  });

  router.get('/contracts', async (ctx: Context) => {
    const query = parseOr400(ctx, ContractsQuery, ctx.query);
    if (query.id !== undefined) {
      const contract = await billing().getContract(query.id);
      if (!contract) ctx.throw(404, `no contract ${query.id}`);
      sendJson(ctx, [contract]);
      return;
    }
    const userId = query.user_id!;
    const contracts = await billing().getContractsOfUser(userId);
    if (!contracts) ctx.throw(404, `no user ${userId}`);
    if (contracts.length === 0) ctx.throw(404, `user ${userId} has no contracts`);
    sendJson(ctx, contracts);
  });

  router.get('/services', async (ctx: Context) => {
    sendJson(ctx, await billing().listServices());
  });

  router.get('/tariffs', async (ctx: Context) => {
    sendJson(ctx, await billing().listTariffs());
  });

  router.get('/charges', async (ctx: Context) => {
    const { user_id, limit } = parseOr400(ctx, ChargesQuery, ctx.query);
    // Without a limit, all charges up to MAX_CHARGES (documented in the README).
    const charges = await billing().getCharges(user_id, Math.min(limit ?? MAX_CHARGES, MAX_CHARGES));
    if (!charges) ctx.throw(404, `no user ${user_id}`);
    sendJson(ctx, charges);
  });

  return router;
}
