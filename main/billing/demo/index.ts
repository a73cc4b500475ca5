// The embedded demo billing: the hand-written subscribers of fixtures.ts plus optional synthetic
// ones, held in memory. It can be changed at run time (payments, tariff changes, blocks, outages)
// so people and tests can watch a change travel to core.
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { FORCED_BLOCK_SETTING, type Charge, type Contract, type Service, type Tariff, type User } from '../../../shared/data-provider.js';
import { ExposedError } from '../../../shared/wire.js';
import { BillingUnavailableError, UNPARSEABLE_PHONE, type BillingSource, type CheckItem, type SubscriberSnapshot } from '../source.js';
import { phoneFieldUnparseable } from '../phone-problems.js';
import { DEFAULT_PHONE_OPTIONS, splitPhones, type PhoneOptions, type SplitPhones } from '../phones.js';
import { CATALOGUE, CONTRACTS, USERS } from './fixtures.js';
import { generateSubscribers } from './generate.js';
import type { DemoContract, DemoExtraCharge, DemoUser } from './model.js';

/** A change names a contract or tariff the demo billing does not have (404). */
export class DemoNotFound extends ExposedError {
  override name = 'DemoNotFound';
  constructor(what: string) {
    super(404, 'not_found', what);
  }
  override get publicMessage(): string {
    return `${this.message} in the demo billing`;
  }
}

export interface DemoBillingOptions {
  phone?: PhoneOptions;
  /** Synthetic subscribers added after the hand-written ones (benchmarks use 100,000). */
  synthetic?: number;
  seed?: number;
  now?: () => Date;
}

const MONTHS_RU = ['январь', 'февраль', 'март', 'апрель', 'май', 'июнь', 'июль', 'август', 'сентябрь', 'октябрь', 'ноябрь', 'декабрь'];

export class DemoBilling implements BillingSource {
  readonly kind = 'demo';
  /** While true every call fails as if the billing were unreachable. */
  outage = false;

  private readonly users = new Map<string, DemoUser>();
  private readonly usersByLogin = new Map<string, DemoUser>();
  private readonly contracts = new Map<string, DemoContract>();
  private readonly contractsOfUser = new Map<string, DemoContract[]>();
  private readonly extraCharges = new Map<string, DemoExtraCharge[]>();
  private readonly tariffs = new Map<string, Tariff>(CATALOGUE.tariffs.map((t) => [t.id, t]));
  private readonly phone: PhoneOptions;
  private readonly now: () => Date;

  constructor(options: DemoBillingOptions = {}) {
    this.phone = options.phone ?? DEFAULT_PHONE_OPTIONS;
    this.now = options.now ?? (() => new Date());
    const synthetic = generateSubscribers(options.synthetic ?? 0, options.seed ?? 1);
    // The hand-written records are shared module constants and the mutators change records in
    // place, so they are copied; synthetic ones are fresh (copying 100,000 took over a second).
    for (const user of [...USERS.map((u) => ({ ...u })), ...synthetic.users]) {
      this.users.set(user.id, user);
      this.usersByLogin.set(user.login, user);
      this.contractsOfUser.set(user.id, []);
    }
    for (const contract of [...CONTRACTS.map((c) => structuredClone(c)), ...synthetic.contracts]) {
      this.contracts.set(contract.id, contract);
      this.contractsOfUser.get(contract.userId)?.push(contract);
    }
  }

  get subscriberCount(): number {
    return this.users.size;
  }

  async authenticate(login: string, password: string): Promise<string | null> {
    this.ensureUp();
    const user = this.usersByLogin.get(login);
    return user && user.password === password ? user.id : null;
  }

  async getUser(userId: string): Promise<User | null> {
    this.ensureUp();
    const user = this.users.get(userId);
    return user ? this.toUser(user) : null;
  }

  async getContractsOfUser(userId: string): Promise<Contract[] | null> {
    this.ensureUp();
    const contracts = this.contractsOfUser.get(userId);
    return contracts ? contracts.map((c) => this.toContract(c)) : null;
  }

  async getContract(extId: string): Promise<Contract | null> {
    this.ensureUp();
    const contract = this.contracts.get(extId);
    return contract ? this.toContract(contract) : null;
  }

  async listServices(): Promise<Service[]> {
    this.ensureUp();
    return structuredClone(CATALOGUE.services);
  }

  async listTariffs(): Promise<Tariff[]> {
    this.ensureUp();
    return structuredClone([...this.tariffs.values()]);
  }

  async getCharges(userId: string, limit: number): Promise<Charge[] | null> {
    this.ensureUp();
    const contracts = this.contractsOfUser.get(userId);
    return contracts ? this.chargesOf(contracts, limit) : null;
  }

  async *snapshot(options: { charges: number }): AsyncIterable<SubscriberSnapshot> {
    let n = 0;
    for (const user of this.users.values()) {
      this.ensureUp();
      const contracts = this.contractsOfUser.get(user.id) ?? [];
      // Split once: the numbers go to core, the leftovers to the sync report.
      const phones = splitPhones(user.phones, this.phone);
      yield {
        user: this.toUser(user, phones),
        contracts: contracts.map((c) => this.toContract(c)),
        charges: this.chargesOf(contracts, options.charges),
        ...(phoneFieldUnparseable(user.phones, phones) && { problems: [UNPARSEABLE_PHONE] }),
      };
      // Let the API keep answering while a large scan runs.
      if (++n % 1000 === 0) await yieldToLoop();
    }
  }

  async check(): Promise<CheckItem[]> {
    if (this.outage) return [{ name: 'demo billing', ok: false, detail: 'simulated outage is switched on' }];
    return [{
      name: 'demo billing',
      ok: true,
      detail: `${this.users.size} subscribers, ${this.contracts.size} contracts, ${this.tariffs.size} tariffs (embedded demo data)`,
    }];
  }

  async close(): Promise<void> {}

  // ---- changes, for people trying the agent and for tests ----

  /** A payment raises the balance. */
  pay(contractId: string, kopecks: number): Contract {
    const contract = this.mustFind(contractId);
    contract.balance += kopecks;
    return this.toContract(contract);
  }

  /** A one-off or extra charge lowers the balance and appears in the user's charges. */
  charge(contractId: string, kopecks: number, description: string): Contract {
    const contract = this.mustFind(contractId);
    contract.balance -= kopecks;
    const list = this.extraCharges.get(contractId) ?? [];
    list.push({ contractId, at: this.now(), cost: kopecks, description });
    this.extraCharges.set(contractId, list);
    return this.toContract(contract);
  }

  setTariff(contractId: string, tariffId: string): Contract {
    const contract = this.mustFind(contractId);
    if (!this.tariffs.has(tariffId)) throw new DemoNotFound(`no tariff ${tariffId}`);
    contract.tariffs = [{ id: tariffId, options: [] }];
    return this.toContract(contract);
  }

  setForcedBlock(contractId: string, blocked: boolean): Contract {
    const contract = this.mustFind(contractId);
    contract.forcedBlock = blocked;
    return this.toContract(contract);
  }

  // ---- mapping: demo records → the contract ----

  private toUser(user: DemoUser, phones: SplitPhones = splitPhones(user.phones, this.phone)): User {
    return {
      ext_user_id: user.id,
      login: user.login,
      password: user.password,
      is_blocked: user.blocked,
      full_name: user.fullName,
      phones: phones.numbers.map((number) => ({ number, confirmed: false })),
    };
  }

  private toContract(c: DemoContract): Contract {
    return {
      ext_id: c.id,
      account: c.account,
      contract: c.account,
      state: c.state,
      balance: c.balance,
      address: c.address,
      ...(c.buildingCode !== undefined && { building_code: c.buildingCode }),
      ...(c.region !== undefined && { region: c.region }),
      ...(c.buildingNum !== undefined && { building_num: c.buildingNum }),
      ...(c.flat !== undefined && { flat: c.flat }),
      settings: c.forcedBlock ? [{ ...FORCED_BLOCK_SETTING }] : [],
      options: c.options.map((o) => ({ ...o })),
      tariffs: c.tariffs.map((t) => ({ id: t.id, options: t.options.map((o) => ({ ...o })) })),
    };
  }

  /** Monthly fees (tariffs plus options) for every charged month, plus extra charges; newest first. */
  private chargesOf(contracts: DemoContract[], limit: number): Charge[] {
    const now = this.now();
    const dated: Array<{ at: number; charge: Charge }> = [];
    for (const c of contracts) {
      const fee = this.monthlyFee(c);
      const names = c.tariffs.map((t) => this.tariffs.get(t.id)?.name ?? t.id).join(', ');
      if (fee > 0) {
        for (let k = c.endedMonthsAgo ?? 0; k < c.months; k++) {
          const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - k, 1));
          dated.push({
            at: month.getTime(),
            charge: {
              account: c.account,
              cost: fee,
              period: period(month),
              description: `Абонентская плата «${names}» за ${MONTHS_RU[month.getUTCMonth()]} ${month.getUTCFullYear()}`,
            },
          });
        }
      }
      for (const extra of this.extraCharges.get(c.id) ?? []) {
        dated.push({ at: extra.at.getTime(), charge: { account: c.account, cost: extra.cost, period: period(extra.at), description: extra.description } });
      }
    }
    dated.sort((a, b) => b.at - a.at || a.charge.account.localeCompare(b.charge.account));
    return dated.slice(0, limit).map((d) => d.charge);
  }

  private monthlyFee(c: DemoContract): number {
    let fee = 0;
    for (const t of c.tariffs) {
      const tariff = this.tariffs.get(t.id);
      if (tariff?.cost !== undefined) fee += tariff.cost;
      for (const o of t.options) fee += o.value;
    }
    for (const o of c.options) fee += o.value;
    return fee;
  }

  private mustFind(contractId: string): DemoContract {
    const contract = this.contracts.get(contractId);
    if (!contract) throw new DemoNotFound(`no contract ${contractId}`);
    return contract;
  }

  private ensureUp(): void {
    if (this.outage) throw new BillingUnavailableError('demo billing: simulated outage');
  }
}

function period(date: Date): string {
  return `${String(date.getUTCMonth() + 1).padStart(2, '0')}-${String(date.getUTCFullYear() % 100).padStart(2, '0')}`;
}
