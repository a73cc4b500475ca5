// Deterministic synthetic subscribers for benchmarks and load: the same seed gives the same data.
import { seededRandom } from '../../seeded-random.js';
import { CATALOGUE } from './fixtures.js';
import type { DemoContract, DemoUser } from './model.js';
import type { ContractState } from '../../../shared/data-provider.js';

const MALE = {
  last: ['Иванов', 'Смирнов', 'Кузнецов', 'Попов', 'Васильев', 'Петров', 'Соколов', 'Михайлов', 'Фёдоров', 'Морозов'],
  first: ['Александр', 'Сергей', 'Андрей', 'Дмитрий', 'Алексей', 'Максим', 'Евгений', 'Иван', 'Михаил', 'Николай'],
  middle: ['Александрович', 'Сергеевич', 'Андреевич', 'Дмитриевич', 'Иванович', 'Петрович', 'Викторович', 'Юрьевич'],
};
const FEMALE = {
  last: ['Иванова', 'Смирнова', 'Кузнецова', 'Попова', 'Васильева', 'Петрова', 'Соколова', 'Михайлова', 'Фёдорова', 'Морозова'],
  first: ['Елена', 'Ольга', 'Наталья', 'Татьяна', 'Ирина', 'Анна', 'Мария', 'Светлана', 'Юлия', 'Екатерина'],
  middle: ['Александровна', 'Сергеевна', 'Андреевна', 'Дмитриевна', 'Ивановна', 'Петровна', 'Викторовна', 'Юрьевна'],
};
const STREETS = ['ул. Ленина', 'пр. Победы', 'ул. Кирова', 'ул. Молодогвардейцев', 'Комсомольский пр.', 'ул. Братьев Кашириных', 'ул. Труда', 'ул. Энгельса', 'Свердловский пр.', 'ул. Чичерина'];
const PHONE_STYLES = [
  (d: string) => `+7 (${d.slice(0, 3)}) ${d.slice(3, 6)}-${d.slice(6, 8)}-${d.slice(8)}`,
  (d: string) => `8 ${d.slice(0, 3)} ${d.slice(3, 6)} ${d.slice(6, 8)} ${d.slice(8)}`,
  (d: string) => `7${d}`,
  (d: string) => d,
];
const PAID_TARIFFS = CATALOGUE.tariffs.filter((t) => t.without_cost !== true).map((t) => t.id);

export const SYNTHETIC_FIRST_USER_ID = 70_000_001;
export const SYNTHETIC_FIRST_CONTRACT_ID = 90_000_001;

/** Synthetic user N (0-based) has login `s<N+1>` and the password `pw-<N+1>`, written down in the README. */
export function generateSubscribers(count: number, seed = 1): { users: DemoUser[]; contracts: DemoContract[] } {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const users: DemoUser[] = [];
  const contracts: DemoContract[] = [];
  let contractId = SYNTHETIC_FIRST_CONTRACT_ID;
  for (let n = 0; n < count; n++) {
    const id = String(SYNTHETIC_FIRST_USER_ID + n);
    const names = random() < 0.5 ? MALE : FEMALE;
    const mobile = `9${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    const phones = random() < 0.05 ? '' : pick(PHONE_STYLES)(mobile);
    users.push({
      id,
      login: `s${n + 1}`,
      password: `pw-${n + 1}`,
      fullName: `${pick(names.last)} ${pick(names.first)} ${pick(names.middle)}`,
      phones,
      blocked: random() < 0.01,
    });
    const contractCount = random() < 0.1 ? 2 : 1;
    for (let c = 0; c < contractCount; c++) {
      const roll = random();
      const state: ContractState = roll < 0.02 ? 4 : roll < 0.05 ? 3 : roll < 0.07 ? 1 : 2;
      const house = 1 + Math.floor(random() * 200);
      const flat = 1 + Math.floor(random() * 300);
      const debt = random() < 0.12;
      contracts.push({
        id: String(contractId++),
        userId: id,
        account: `${n + 1}-${c === 0 ? 'И' : 'Д'}`,
        state,
        balance: debt ? -Math.floor(random() * 100_000) : Math.floor(random() * 300_000),
        address: `г. Челябинск, ${pick(STREETS)}, д. ${house}, кв. ${flat}`,
        region: 74,
        buildingNum: String(house),
        flat: String(flat),
        forcedBlock: state === 3 && random() < 0.5,
        options: [],
        tariffs: [{ id: pick(PAID_TARIFFS), options: [] }],
        months: state === 1 ? 0 : 1 + Math.floor(random() * 36),
        ...(state === 4 ? { endedMonthsAgo: 1 + Math.floor(random() * 6) } : {}),
      });
    }
  }
  return { users, contracts };
}
