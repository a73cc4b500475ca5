// The platform's rules (spec §4, seed 001 §3) applied to what core gets for one subscriber: each
// rule with ok / warn / fail / unknown and a reason, per contract and for the user, then the door
// verdict. Pure: the data comes in, nothing is read here.
import type { ContractVerdict, Reason, SubscriberExplanation, VerdictRule } from '../../shared/admin.js';
import { FORCED_BLOCK_SETTING, type Contract, type Service, type Tariff, type User } from '../../shared/data-provider.js';
import { DOOR_PERMISSION, type PermissionMap } from './permissions.js';

type Params = Record<string, string | number>;
type Rule = VerdictRule['rule'];
type Status = VerdictRule['status'];
type Door = ContractVerdict['door'];
type Delivery = SubscriberExplanation['delivery'];

const reason = (code: string, params: Params, text: string): Reason => ({ code, params, text });
const rule = (name: Rule, status: Status, code: string, params: Params, text: string): VerdictRule => ({ rule: name, status, code, params, text });

/** -45050 → "−450.50 RUB" (the dashboard formats the kopecks in params itself). */
export function rubles(kopecks: number): string {
  const abs = Math.abs(kopecks);
  return `${kopecks < 0 ? '−' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} RUB`;
}

export interface Catalogue {
  tariffs: Tariff[];
  services: Service[];
  /** null: nobody said which services grant permissions. */
  permissions: PermissionMap | null;
}

export function hasForcedBlock(c: Contract): boolean {
  return c.settings.some((s) => s.category_name === FORCED_BLOCK_SETTING.category_name && s.name === FORCED_BLOCK_SETTING.name && s.value === 1);
}

export function balanceRule(c: Contract): VerdictRule {
  const params = { balance: c.balance };
  return c.balance >= 0
    ? rule('balance', 'ok', 'balance-ok', params, `Balance ${rubles(c.balance)} is not below zero.`)
    : rule('balance', 'fail', 'balance-negative', params, `Balance ${rubles(c.balance)} is below zero: the platform grants no permissions until it is paid up to 0 or more.`);
}

export function forcedBlockRule(c: Contract): VerdictRule {
  return hasForcedBlock(c)
    ? rule('forced-block', 'fail', 'forced-block', {}, 'The contract carries the forced block (settings: blocked / services_suspended_pending_payment): the platform blocks it whatever the balance.')
    : rule('forced-block', 'ok', 'no-forced-block', {}, 'No forced block on the contract.');
}

export function stateRule(c: Contract): VerdictRule {
  const params = { state: c.state };
  switch (c.state) {
    case 2: return rule('state', 'ok', 'state-connected', params, 'The contract is connected (state 2).');
    case 1: return rule('state', 'warn', 'state-new', params, 'The contract is new (state 1) and not connected yet: services may not work until it is.');
    case 3: return rule('state', 'fail', 'state-suspended', params, 'The contract is suspended (state 3): its services are stopped.');
    case 4: return rule('state', 'fail', 'state-terminated', params, 'The contract is terminated (state 4).');
  }
}

/** The permissions a contract's tariffs give, and the rule that says whether one opens the door. */
export function tariffRule(c: Contract, cat: Catalogue): { rule: VerdictRule; permissions: string[] } {
  const tariffs = new Map(cat.tariffs.map((t) => [t.id, t]));
  const serviceNames = new Map(cat.services.map((s) => [s.id, s.name]));
  const nameOf = (id: string) => tariffs.get(id)?.name ?? id;
  const listed = c.tariffs.map((t) => `«${nameOf(t.id)}»`).join(', ');
  if (c.tariffs.length === 0) return { rule: rule('tariff', 'fail', 'no-tariff', {}, 'The contract has no tariff: no service, so no permissions in the app.'), permissions: [] };
  const map = cat.permissions;
  if (map === null) {
    return {
      rule: rule('tariff', 'unknown', 'permissions-not-set', { tariffs: listed },
        `Which services give which permissions is not set (permissions.services in the settings), so it cannot be told whether ${listed} opens the door.`),
      permissions: [],
    };
  }
  if (Object.keys(map).length === 0) {
    return {
      rule: rule('tariff', 'ok', 'no-permission-services', {}, 'No service grants permissions in this set-up, so the platform gives every permission by default.'),
      permissions: [],
    };
  }
  const permissions = new Set<string>();
  let door: { tariff: string; service: string } | null = null;
  const unknown: string[] = [];
  for (const t of c.tariffs) {
    const tariff = tariffs.get(t.id);
    if (!tariff) {
      unknown.push(t.id);
      continue;
    }
    for (const s of tariff.services) {
      for (const p of map[s.id] ?? []) {
        permissions.add(p);
        if (p === DOOR_PERMISSION && door === null) door = { tariff: tariff.name, service: serviceNames.get(s.id) ?? s.id };
      }
    }
  }
  const granted = [...permissions];
  if (door) {
    return { rule: rule('tariff', 'ok', 'door-service', door, `Tariff «${door.tariff}» includes «${door.service}», which opens the door (${DOOR_PERMISSION}).`), permissions: granted };
  }
  if (unknown.length > 0 && unknown.length === c.tariffs.length) {
    return { rule: rule('tariff', 'fail', 'unknown-tariff', { ids: unknown.join(', ') }, `Tariff ${unknown.join(', ')} is not in /api/tariffs, so core cannot see its services.`), permissions: granted };
  }
  if (granted.length > 0) {
    return {
      rule: rule('tariff', 'fail', 'no-door-permission', { tariffs: listed, permissions: granted.join(', ') },
        `The tariffs (${listed}) give ${granted.join(', ')} but not opening the door (${DOOR_PERMISSION}).`),
      permissions: granted,
    };
  }
  return {
    rule: rule('tariff', 'fail', 'no-intercom-service', { tariffs: listed }, `No tariff of this contract (${listed}) has a service that gives intercom permissions.`),
    permissions: granted,
  };
}

function doorOf(rules: VerdictRule[]): Door {
  if (rules.some((r) => r.status === 'fail')) return 'no';
  return rules.every((r) => r.status === 'ok') ? 'yes' : 'maybe';
}

export function contractVerdict(c: Contract, cat: Catalogue): ContractVerdict {
  const tariff = tariffRule(c, cat);
  const rules = [balanceRule(c), forcedBlockRule(c), tariff.rule, stateRule(c)];
  return { extId: c.ext_id, account: c.account, door: doorOf(rules), permissions: tariff.permissions, rules };
}

export function userRules(user: User, delivery: Delivery): VerdictRule[] {
  const phones = user.phones.length;
  return [
    user.is_blocked
      ? rule('user-blocked', 'fail', 'user-blocked', {}, 'The billing marks the user as blocked (is_blocked): core treats the user as blocked.')
      : rule('user-blocked', 'ok', 'user-active', {}, 'The user is not blocked in the billing.'),
    user.password !== ''
      ? rule('password', 'ok', 'password-set', {}, 'The user has a password: signing in with login and password works.')
      : rule('password', 'warn', 'password-empty', {}, 'The user has no password in the billing: signing in with login and password cannot work.'),
    phones > 0
      ? rule('phone', 'ok', 'phones', { count: phones }, `The user has ${phones} phone number${phones === 1 ? '' : 's'}: signing in by phone works.`)
      : rule('phone', 'warn', 'no-phone', {}, 'The user has no usable phone number: signing in by phone cannot work.'),
    deliveryRule(delivery),
  ];
}

/** Whether core has been told the billing's current data: dead letters, waiting callbacks, unsent changes. */
export function deliveryRule(d: Delivery): VerdictRule {
  const dead = d.deadLetters[0];
  if (dead) {
    return rule('delivery', 'fail', 'delivery-dead', { target: dead.target, at: dead.deadAt, reason: dead.reason, id: dead.outboxId },
      `Core was not told about a change: the callback for ${dead.target} was given up on at ${dead.deadAt} (${dead.reason}); re-send it with billing-bridge dead-letters resend ${dead.outboxId}.`);
  }
  const waiting = d.waiting[0];
  if (waiting) {
    const error = waiting.lastError ?? '';
    return rule('delivery', 'warn', 'delivery-waiting', { target: waiting.target, since: waiting.since, attempts: waiting.attempts, error },
      `A callback for ${waiting.target} has waited since ${waiting.since} (${waiting.attempts} attempts${error ? `, last error: ${error}` : ''}): core may still show older data.`);
  }
  if (d.sinceLastScan === 'not-scanned') {
    return rule('delivery', 'unknown', 'not-scanned', {}, 'No scan has finished yet, so it is not known what core was told.');
  }
  if (d.sinceLastScan === 'changed') {
    const parts = d.changed.join(', ');
    return rule('delivery', 'warn', 'changed-since-scan', { parts },
      `The billing changed since the last scan (${parts}): core has older data until the next scan sends the callback.`);
  }
  if (d.sinceLastScan === 'new') {
    return rule('delivery', 'ok', 'new-since-scan', {}, 'The subscriber appeared after the last scan: core reads them fresh when they sign in, and the next scan records them.');
  }
  const last = d.lastAttempt;
  if (last?.ok) {
    return rule('delivery', 'ok', 'delivered', { target: last.target, at: last.at, status: last.httpStatus ?? 0 },
      `Core accepted the last callback about this subscriber (${last.target}) at ${last.at} (HTTP ${last.httpStatus ?? '?'}).`);
  }
  return rule('delivery', 'ok', 'in-step', { at: d.lastScanAt ?? '' },
    `Nothing changed since the scan at ${d.lastScanAt ?? '?'} and no callback is waiting: core has the billing's data.`);
}

export interface Verdict {
  door: Door;
  headline: Reason;
  userRules: VerdictRule[];
  contracts: ContractVerdict[];
  notChecked: Reason[];
}

export function verdictFor(user: User, contracts: Contract[], cat: Catalogue, delivery: Delivery): Verdict {
  const users = userRules(user, delivery);
  const perContract = contracts.map((c) => contractVerdict(c, cat));
  const notChecked = [reason('entrance', {}, 'Access to the entrance (подъезд) is set in the platform, not in the billing: if everything here is fine, check it in core\'s admin.')];
  const base = { userRules: users, contracts: perContract, notChecked };
  const blocked = users.find((r) => r.rule === 'user-blocked' && r.status === 'fail');
  if (blocked) return { ...base, door: 'no', headline: blocked };
  if (user.password === '' && user.phones.length === 0) {
    return { ...base, door: 'no', headline: reason('cannot-sign-in', {}, 'The user has neither a password nor a phone number: they cannot sign in to the app at all.') };
  }
  if (perContract.length === 0) {
    return { ...base, door: 'no', headline: reason('no-contracts', {}, 'The user has no contract: there is nothing to grant permissions from.') };
  }
  const passing = perContract.filter((c) => c.door === 'yes').length;
  const told = users.find((r) => r.rule === 'delivery')!;
  if (passing > 0) {
    // The billing allows it, but core may still act on older data.
    if (told.status === 'warn' || told.status === 'fail') return { ...base, door: 'maybe', headline: told };
    return {
      ...base,
      door: 'yes',
      headline: reason('door-yes', { passing, total: perContract.length },
        `Nothing in the billing stops the door: ${passing} of ${perContract.length} contract${perContract.length === 1 ? ' passes' : 's pass'} every check.`),
    };
  }
  // The reason of the contract that matters most: a live one before a terminated one.
  const ordered = [...perContract].sort((a, b) => Number(isTerminated(a)) - Number(isTerminated(b)));
  const maybe = ordered.find((c) => c.door === 'maybe');
  if (maybe) return { ...base, door: 'maybe', headline: maybe.rules.find((r) => r.status !== 'ok')! };
  return { ...base, door: 'no', headline: ordered[0]!.rules.find((r) => r.status === 'fail')! };
}

function isTerminated(c: ContractVerdict): boolean {
  return c.rules.some((r) => r.code === 'state-terminated');
}
