// The hand-written demo subscribers: each one shows a case core must handle. Listed in the README.
import type { DemoCatalogue, DemoContract, DemoUser } from './model.js';
import type { Option } from '../../../shared/data-provider.js';

export const SERVICE_IDS = {
  intercom: '40216201',
  video: '40216202',
  internet: '40216203',
  tv: '40216204',
  archive: '40216205',
} as const;

/**
 * The app permissions the platform would attach to the demo services ("Tariffs" → "Permissions"):
 * the subscriber diagnosis uses it unless `permissions.services` is set. Internet and TV give none.
 */
export const DEMO_SERVICE_PERMISSIONS: Readonly<Record<string, readonly string[]>> = {
  [SERVICE_IDS.intercom]: ['open_relay', 'video', 'call_sip', 'call_history', 'access_code'],
  [SERVICE_IDS.video]: ['cams'],
  [SERVICE_IDS.archive]: ['cams'],
};

export const CATALOGUE: DemoCatalogue = {
  services: [
    { id: SERVICE_IDS.intercom, name: 'Домофония' },
    { id: SERVICE_IDS.video, name: 'Видеонаблюдение' },
    { id: SERVICE_IDS.internet, name: 'Интернет' },
    { id: SERVICE_IDS.tv, name: 'Цифровое ТВ' },
    { id: SERVICE_IDS.archive, name: 'Видеоархив 7 дней' },
  ],
  tariffs: [
    {
      id: '52081501', name: 'Домофон', cost: 6000,
      services: [{ id: SERVICE_IDS.intercom }],
      description: 'Открытие двери и звонки с домофона в приложении',
      link: 'https://example-isp.ru/tariff/domofon',
    },
    {
      id: '52081502', name: 'Домофон + Видео', cost: 12000,
      services: [{ id: SERVICE_IDS.intercom }, { id: SERVICE_IDS.video }, { id: SERVICE_IDS.archive }],
      description: 'Домофон, камеры двора и архив записей за 7 дней',
      link: 'https://example-isp.ru/tariff/domofon-video',
    },
    {
      id: '52081503', name: 'Космос', cost: 65000,
      services: [{ id: SERVICE_IDS.internet }, { id: SERVICE_IDS.intercom }],
      description: 'Интернет 100 Мбит/с и домофон',
      link: 'https://example-isp.ru/tariff/kosmos',
    },
    {
      id: '52081504', name: 'Интернет 300', cost: 75000,
      services: [{ id: SERVICE_IDS.internet }],
      description: 'Интернет 300 Мбит/с без домофона',
      link: 'https://example-isp.ru/tariff/inet-300',
    },
    {
      id: '52081505', name: 'Камеры двора', cost: 15000,
      services: [{ id: SERVICE_IDS.video }],
      description: 'Доступ к камерам двора',
    },
    {
      id: '1081664501', name: 'Снежный', without_cost: true,
      services: [{ id: SERVICE_IDS.intercom }],
      description: 'Социальный тариф: домофон без абонентской платы',
      link: 'https://example-isp.ru/tariff/snow',
    },
  ],
};

const pensionerDiscount: Option = { category_name: 'Скидка', name: 'Скидка пенсионерам', hidden: false, value: -1000 };
const regularPayDiscount: Option = { category_name: 'Скидка', name: 'Скидка за регулярную оплату', hidden: false, value: -1000 };
const remoteSurcharge: Option = { category_name: 'Доплата', name: 'Доплата за труднодоступный/удалённый регион', hidden: true, value: 2000 };
const staffDiscount: Option = { category_name: 'Скидка', name: 'Служебная скидка', hidden: true, value: -3000 };

export const USERS: DemoUser[] = [
  { id: '58208891', login: '1595', password: 'Zh4nna-1595', fullName: 'Кузнецова Жанна Владимировна', phones: '+7 (909) 083-34-14', blocked: false },
  { id: '58208892', login: '2048', password: 'ivanov2048', fullName: 'Иванов Сергей Петрович', phones: '79123456780', blocked: false },
  { id: '58208893', login: '3112', password: 'Anna.3112', fullName: 'Петрова Анна Игоревна', phones: '8 909 083 34 15; 8(351)222-33-44', blocked: false },
  { id: '58208894', login: '4077', password: 'smirnov-4077', fullName: 'Смирнов Алексей Викторович', phones: '9123456789', blocked: false },
  { id: '58208895', login: '5230', password: 'sokolova5230', fullName: 'Соколова Мария Андреевна', phones: '+79221112233', blocked: false },
  { id: '58208896', login: '6001', password: 'Novikov#6001', fullName: 'Новиков Дмитрий Олегович', phones: '+7 912 345-67-89, 8-922-765-43-21', blocked: false },
  { id: '58208897', login: '7155', password: 'morozova7155', fullName: 'Морозова Елена Сергеевна', phones: '', blocked: true },
  { id: '58208898', login: '8420', password: 'volkov-8420', fullName: 'Волков Игорь Николаевич', phones: '8 (351) 700-12-34', blocked: false },
  { id: '58208899', login: '9013', password: 'lebedeva9013', fullName: 'Лебедева Ольга Павловна', phones: 'не указан', blocked: false },
];

const CHELYABINSK = 'г. Челябинск';

export const CONTRACTS: DemoContract[] = [
  {
    id: '12331231', userId: '58208891', account: '1595-И', state: 2, balance: 36900,
    address: `${CHELYABINSK}, ул. Ленина, д. 1, кв. 92`, buildingCode: '08213690-eb4c-47a1-a509-bd9c3d5d65d8',
    region: 74, buildingNum: '1', flat: '92', forcedBlock: false,
    options: [pensionerDiscount], tariffs: [{ id: '52081503', options: [regularPayDiscount] }], months: 26,
  },
  {
    id: '12331240', userId: '58208892', account: '2048-И', state: 2, balance: 120000,
    address: `${CHELYABINSK}, пр. Победы, д. 168, кв. 15`, buildingCode: '5f0e4a7c-2b1d-4c8e-9a3f-6d7e8f9a0b1c',
    region: 74, buildingNum: '168', flat: '15', forcedBlock: false,
    options: [], tariffs: [{ id: '52081503', options: [] }], months: 40,
  },
  {
    id: '12331241', userId: '58208892', account: '2048-Д', state: 2, balance: 5000,
    address: `${CHELYABINSK}, ул. Кирова, д. 27, кв. 4`, buildingCode: '9b1c2d3e-4f5a-4b6c-8d7e-0f1a2b3c4d5e',
    region: 74, buildingNum: '27', flat: '4', forcedBlock: false,
    options: [], tariffs: [{ id: '52081502', options: [] }], months: 14,
  },
  {
    id: '12331242', userId: '58208892', account: '2048-С', state: 4, balance: 0,
    address: `${CHELYABINSK}, ул. Молодогвардейцев, д. 7, кв. 131`, buildingCode: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
    region: 74, buildingNum: '7', flat: '131', forcedBlock: false,
    options: [], tariffs: [{ id: '52081501', options: [] }], months: 30, endedMonthsAgo: 8,
  },
  {
    id: '12331250', userId: '58208893', account: '3112-И', state: 2, balance: -45050,
    address: `${CHELYABINSK}, Комсомольский пр., д. 36, кв. 58`, buildingCode: '7d8e9f0a-1b2c-4d3e-9f4a-5b6c7d8e9f0a',
    region: 74, buildingNum: '36', flat: '58', forcedBlock: false,
    options: [], tariffs: [{ id: '52081502', options: [] }], months: 18,
  },
  {
    id: '12331260', userId: '58208894', account: '4077-И', state: 3, balance: 1500,
    address: `${CHELYABINSK}, ул. Братьев Кашириных, д. 95, кв. 201`, buildingCode: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
    region: 74, buildingNum: '95', flat: '201', forcedBlock: true,
    options: [], tariffs: [{ id: '52081501', options: [] }], months: 20,
  },
  {
    id: '12331270', userId: '58208895', account: '5230-И', state: 2, balance: 0,
    address: `${CHELYABINSK}, ул. Свободы, д. 2, кв. 11`, buildingCode: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e',
    region: 74, buildingNum: '2', flat: '11', forcedBlock: false,
    options: [], tariffs: [{ id: '1081664501', options: [] }], months: 15,
  },
  {
    id: '12331280', userId: '58208896', account: '6001-И', state: 2, balance: 84000,
    address: 'Челябинская обл., п. Есаульский, ул. Лесная, д. 12', buildingCode: 'c3d4e5f6-a7b8-4c9d-8e1f-2a3b4c5d6e7f',
    region: 74, buildingNum: '12', forcedBlock: false,
    options: [remoteSurcharge, staffDiscount], tariffs: [{ id: '52081501', options: [] }, { id: '52081505', options: [] }], months: 16,
  },
  {
    id: '12331290', userId: '58208897', account: '7155-И', state: 4, balance: -1200,
    address: `${CHELYABINSK}, ул. Труда, д. 153, кв. 3`,
    region: 74, buildingNum: '153', flat: '3', forcedBlock: false,
    options: [], tariffs: [{ id: '52081501', options: [] }], months: 24, endedMonthsAgo: 3,
  },
  {
    id: '12331300', userId: '58208898', account: '8420-И', state: 2, balance: 210000,
    address: `${CHELYABINSK}, ул. Энгельса, д. 44, кв. 17`, buildingCode: 'd4e5f6a7-b8c9-4d0e-9f2a-3b4c5d6e7f8a',
    region: 74, buildingNum: '44', flat: '17', forcedBlock: false,
    options: [], tariffs: [{ id: '52081504', options: [] }], months: 13,
  },
  {
    id: '12331310', userId: '58208899', account: '9013-И', state: 1, balance: 0,
    address: `${CHELYABINSK}, ул. Академика Королёва, д. 10, кв. 77`, buildingCode: 'e5f6a7b8-c9d0-4e1f-8a3b-4c5d6e7f8a9b',
    region: 74, buildingNum: '10', flat: '77', forcedBlock: false,
    options: [], tariffs: [{ id: '52081501', options: [] }], months: 0,
  },
];
