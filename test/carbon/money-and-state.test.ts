// Pure rules of the Carbon mapping: money parsing, contract state, forced block, phones.
import { describe, expect, it } from 'vitest';
import { FORCED_BLOCK_SETTING } from '../../shared/data-provider.js';
import { BillingDataError } from '../../main/billing/source.js';
import { rublesToKopecks } from '../../main/billing/money.js';
import type { CarbonRow } from '../../main/billing/carbon/client.js';
import { contractState, money, toContract, toUser } from '../../main/billing/carbon/mapping.js';
import { CarbonSettings } from '../../shared/carbon-settings.js';

const settings = CarbonSettings.parse({});
const phone = { format: 'national', defaultCountry: 'RU' } as const;
const TODAY = '2026-11-23';

describe('rublesToKopecks', () => {
  const cases: Array<[unknown, number | null]> = [
    ['390.67', 39067],
    ['-12.5', -1250],
    ['0', 0],
    ['0.00', 0],
    ['-0', 0],
    ['-0.00', 0],
    [-0, 0],
    ['+5.00', 500],
    ['  7.10 ', 710],
    ['12,50', 1250],
    ['-12,5', -1250],
    ['1 234.50', null],
    ['1\u00a0234.50', null],
    ['1,234.50', null],
    ['1.234', null],
    ['0.001', null],
    ['12.', null],
    ['.5', null],
    ['', null],
    ['-', null],
    ['abc', null],
    ['1e3', null],
    ['1.5E2', null],
    ['NaN', null],
    ['Infinity', null],
    [390.67, 39067],
    [-412.5, -41250],
    [100, 10000],
    [0.1 + 0.2, null],
    [1e21, null],
    [1e-7, null],
    [Number.NaN, null],
    [Number.POSITIVE_INFINITY, null],
    ['90071992547409.91', Number.MAX_SAFE_INTEGER],
    ['-90071992547409.91', -Number.MAX_SAFE_INTEGER],
    ['90071992547409.92', null],
    [null, null],
    [undefined, null],
    [true, null],
    [{}, null],
  ];
  it.each(cases)('%j → %j', (input, expected) => {
    const result = rublesToKopecks(input);
    expect(result).toBe(expected);
    // Negative zero must not leak out as -0.
    if (result === 0) expect(Object.is(result, -0)).toBe(false);
  });

  it('a malformed amount is a BillingDataError naming the subscriber and the field, not 0', () => {
    const row: CarbonRow = { pk: 42, fields: { account: { pk: 9, model: 'AdminAccounts', fields: { balance: '1 234.50' } } } };
    expect(() => money(row, 'account__balance')).toThrow(BillingDataError);
    expect(() => money(row, 'account__balance')).toThrow(/subscriber 42: account__balance is "1 234.50"/);
  });
});

function abonent(fields: Record<string, unknown>, pk = 42): CarbonRow {
  return {
    pk,
    fields: {
      name: 'Иванов Пётр',
      sms: '',
      contract_number: '74-00042',
      tarif_id: 3,
      enabled: 1,
      deleted: 0,
      allow_internet: '1',
      activate_date: '2019-01-15',
      own_disabled_start: null,
      own_disabled_end: null,
      a_home_number: '12',
      account: { pk: 500, model: 'AdminAccounts', fields: { balance: '390.67' } },
      home: { pk: 31, model: 'Homes', fields: { name: 'г. Челябинск, ул. Кирова, д. 104', number: '104', fias_guid: '5c1a0e3b-7d42-4f6e-9a1d-2b8f3c4d5e61' } },
      ...fields,
    },
  };
}

describe('contract state', () => {
  const cases: Array<[string, Record<string, unknown>, 1 | 2 | 3 | 4]> = [
    ['connected', {}, 2],
    ['deleted 1', { deleted: 1 }, 4],
    ['deleted "1"', { deleted: '1' }, 4],
    ['deleted wins over disabled and a block', { deleted: 1, enabled: 0, own_disabled_start: '2026-11-01' }, 4],
    ['deleted and never activated', { deleted: 1, activate_date: null }, 4],
    ['disabled 0', { enabled: 0 }, 3],
    ['disabled "0"', { enabled: '0' }, 3],
    ['disabled false', { enabled: false }, 3],
    ['disabled and never activated', { enabled: 0, activate_date: null }, 3],
    ['voluntary block inside [start, end]', { own_disabled_start: '2026-11-13', own_disabled_end: '2026-12-13' }, 3],
    ['voluntary block starting today', { own_disabled_start: TODAY, own_disabled_end: '2026-12-01' }, 3],
    ['voluntary block ending today', { own_disabled_start: '2026-11-01', own_disabled_end: TODAY }, 3],
    ['voluntary block, empty end (null) is open-ended', { own_disabled_start: '2026-10-09', own_disabled_end: null }, 3],
    ['voluntary block, empty end ("") is open-ended', { own_disabled_start: '2020-01-01', own_disabled_end: '' }, 3],
    ['voluntary block as datetimes', { own_disabled_start: '2026-11-20 00:00:00', own_disabled_end: '2026-11-30 23:59:59' }, 3],
    ['voluntary block in the future', { own_disabled_start: '2026-11-24', own_disabled_end: '2026-12-24' }, 2],
    ['voluntary block that ended yesterday', { own_disabled_start: '2026-10-01', own_disabled_end: '2026-11-22' }, 2],
    ['only an end date', { own_disabled_start: null, own_disabled_end: '2026-12-01' }, 2],
    ['voluntary block before activation', { activate_date: null, own_disabled_start: '2026-11-01' }, 3],
    ['never activated (null)', { activate_date: null }, 1],
    ['never activated ("")', { activate_date: '' }, 1],
    ['activated with a datetime', { activate_date: '2019-01-15 10:00:00' }, 2],
    ['enabled null is not "disabled"', { enabled: null }, 2],
  ];
  it.each(cases)('%s → %i', (_name, fields, expected) => {
    expect(contractState(abonent(fields), settings, TODAY)).toBe(expected);
  });

  it('the disabled/deleted fields are settings', () => {
    const custom = CarbonSettings.parse({ disabled: { field: 'blocked', is: true }, deleted: { field: '' } });
    expect(contractState(abonent({ blocked: 1, deleted: 1 }), custom, TODAY)).toBe(3);
    expect(contractState(abonent({ blocked: 0, enabled: 0 }), custom, TODAY)).toBe(2);
  });

  it('a malformed flag or date is a BillingDataError, not a guess', () => {
    expect(() => contractState(abonent({ deleted: 'maybe' }), settings, TODAY)).toThrow(/subscriber 42: deleted is "maybe"/);
    expect(() => contractState(abonent({ own_disabled_start: '13.11.2026' }), settings, TODAY)).toThrow(BillingDataError);
  });
});

describe('forced block', () => {
  const cases: Array<[unknown, boolean]> = [['0', true], [0, true], [false, true], ['1', false], [1, false], [null, false]];
  it.each(cases)('allow_internet %j → forced block %s', (value, blocked) => {
    const contract = toContract(abonent({ allow_internet: value }), [], { settings, phone }, TODAY);
    expect(contract.settings).toEqual(blocked ? [FORCED_BLOCK_SETTING] : []);
    // The administrative block does not change the state by itself.
    expect(contract.state).toBe(2);
  });

  it('the field is a setting', () => {
    const custom = CarbonSettings.parse({ adminBlock: { field: 'promise_pay', is: true } });
    expect(toContract(abonent({ promise_pay: 1, allow_internet: '0' }), [], { settings: custom, phone }, TODAY).settings).toEqual([FORCED_BLOCK_SETTING]);
    expect(toContract(abonent({ promise_pay: 0, allow_internet: '0' }), [], { settings: custom, phone }, TODAY).settings).toEqual([]);
  });
});

describe('phones', () => {
  const users = (...list: Array<[number, string, string]>): CarbonRow[] => list.map(([pk, login, sms]) => ({ pk, fields: { login, sms, gen_pwd: 'p', abonent_id: 42 } }));

  it('several numbers in one sms field, de-duplicated with Users.sms', () => {
    const user = toUser(abonent({ sms: '+7 (909) 083-34-14, 8-351-222-33-44; 89123456789' }), users([121, 'volkova', '+79090833414']), { settings, phone });
    expect(user?.phones).toEqual([
      { number: '9090833414', confirmed: false },
      { number: '3512223344', confirmed: false },
      { number: '9123456789', confirmed: false },
    ]);
  });

  it('numbers separated only by spaces, or by a slash', () => {
    const user = toUser(abonent({ sms: '89123456789 9001112233/8 (351) 265-40-17' }), users([1, 'a', '']), { settings, phone });
    expect(user?.phones.map((p) => p.number)).toEqual(['9123456789', '9001112233', '3512654017']);
  });

  it('international format and confirmed flag follow the settings', () => {
    const confirmed = CarbonSettings.parse({ phonesConfirmed: true });
    const user = toUser(abonent({ sms: '8 912 345 67 89' }), users([1, 'a', '']), { settings: confirmed, phone: { format: 'international', defaultCountry: 'RU' } });
    expect(user?.phones).toEqual([{ number: '79123456789', confirmed: true }]);
  });

  it('no phone at all, and garbage that is not a phone', () => {
    expect(toUser(abonent({ sms: '' }), users([1, 'a', '']), { settings, phone })?.phones).toEqual([]);
    expect(toUser(abonent({ sms: 'нет' }), users([1, 'a', '12']), { settings, phone })?.phones).toEqual([]);
  });

  it('the login is the lowest Users pk; its sms and the others\' sms all count', () => {
    const user = toUser(abonent({ sms: '+7 (922) 633-44-55' }), users([120, 'morozov_av2', '+7 (922) 633-44-56'], [119, 'morozov_av', '']), { settings, phone });
    expect(user?.login).toBe('morozov_av');
    expect(user?.phones.map((p) => p.number)).toEqual(['9226334455', '9226334456']);
  });

  it('no Users row: not a core user', () => {
    expect(toUser(abonent({}), [], { settings, phone })).toBeNull();
  });
});
