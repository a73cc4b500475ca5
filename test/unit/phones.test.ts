import { describe, expect, it } from 'vitest';
import { normalizePhone, splitPhones } from '../../main/billing/phones.js';

const national = { format: 'national', defaultCountry: 'RU' } as const;
const international = { format: 'international', defaultCountry: 'RU' } as const;

describe('normalizePhone', () => {
  it.each([
    '79090833414', '+79090833414', '+7 (909) 083-34-14', '8 909 083 34 14', '8(909)0833414', '9090833414', '909-083-34-14', ' +7 909 083 34 14 ',
  ])('%s → 9090833414 (national) and 79090833414 (international)', (raw) => {
    expect(normalizePhone(raw, national)).toBe('9090833414');
    expect(normalizePhone(raw, international)).toBe('79090833414');
  });

  it('keeps city numbers with their area code', () => {
    expect(normalizePhone('8 (351) 222-33-44', national)).toBe('3512223344');
  });

  it('keeps a foreign number\'s own country code in international form', () => {
    expect(normalizePhone('+375 29 123-45-67', international)).toBe('375291234567');
  });

  it.each(['', '12345', 'не указан', '2223344', '+7 909'])('%j is not a phone number', (raw) => {
    expect(normalizePhone(raw, national)).toBeNull();
  });
});

describe('splitPhones', () => {
  it('splits on , ; / and new lines, de-duplicates', () => {
    expect(splitPhones('+7 (909) 083-34-14, 8-351-222-33-44; 89123456789 / 9090833414\n8 922 765 43 21', national).numbers)
      .toEqual(['9090833414', '3512223344', '9123456789', '9227654321']);
  });

  it('splits numbers separated only by spaces without breaking spaced numbers', () => {
    expect(splitPhones('89123456789 9001112233', national).numbers).toEqual(['9123456789', '9001112233']);
    expect(splitPhones('8 912 345 67 89 +7 900 111 22 33', national).numbers).toEqual(['9123456789', '9001112233']);
  });

  it('reports what it could not read', () => {
    expect(splitPhones('9090833414, 12-34', national)).toEqual({ numbers: ['9090833414'], rejected: ['12-34'] });
    expect(splitPhones('нет', national)).toEqual({ numbers: [], rejected: [] });
    expect(splitPhones(null, national)).toEqual({ numbers: [], rejected: [] });
  });
});
