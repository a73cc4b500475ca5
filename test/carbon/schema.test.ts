// Reading the live Carbon's field names, whatever shape its listing comes in; Django's "Choices
// are"; the replacement for a missing name; the address template.
import { describe, expect, it } from 'vitest';
import { choicesFromError, parseListing, type ModelInfo } from '../../main/billing/carbon/schema.js';
import { likelyReplacement } from '../../main/billing/carbon/fieldmap.js';
import { fillTemplate } from '../../main/billing/carbon/mapping.js';

const names = (m: Map<string, ModelInfo> | null, model: string) => [...(m?.get(model)?.fields ?? [])].sort();

describe('the model listing at GET /rest_api/v2/', () => {
  const want = ['city', 'id', 'street'];
  const cases: Array<[string, string, string]> = [
    ['an object of field lists', 'application/json', JSON.stringify({ Homes: ['id', 'city', 'street'], Tarif: ['name'] })],
    ['wrapped in result', 'application/json', JSON.stringify({ call: '/rest_api/v2/', result: { Homes: ['id', 'city', 'street'] } })],
    ['an object of {fields}', 'application/json', JSON.stringify({ Homes: { fields: ['id', 'city', 'street'], methods: ['objects.filter'] } })],
    ['fields keyed by name with types', 'application/json', JSON.stringify({ Homes: { id: 'AutoField', city: 'CharField', street: { type: 'CharField' } } })],
    ['a list of models', 'application/json', JSON.stringify([{ model: 'Homes', fields: [{ name: 'id' }, { name: 'city' }, { name: 'street' }] }])],
    ['{models: [...]}', 'application/json', JSON.stringify({ models: [{ name: 'Homes', fields: ['id', 'city', 'street'] }] })],
    ['HTML headings and lists', 'text/html', '<html><body><h1>API</h1><h2>Homes</h2><ul><li>id</li><li>city</li><li>street</li></ul><h2>Tarif</h2><ul><li>name</li></ul></body></html>'],
    ['an HTML table', 'text/html', '<h3>Homes</h3><table><tr><td>id</td><td>AutoField</td></tr><tr><td>city</td><td>CharField</td></tr><tr><td>street</td></tr></table>'],
    ['plain text', 'text/plain', 'Homes: id, city, street\nTarif: name'],
    ['JSON sent as text/html', 'text/html', JSON.stringify({ Homes: ['id', 'city', 'street'] })],
  ];
  it.each(cases)('%s', (_name, contentType, body) => {
    expect(names(parseListing({ contentType, body }), 'Homes')).toEqual(want);
  });

  it('relations the listing names are kept', () => {
    const listed = parseListing({ contentType: 'application/json', body: JSON.stringify({ Abonents: { home: { type: 'ForeignKey', to: 'Homes' }, name: 'CharField' } }) });
    expect(listed?.get('Abonents')?.relations.get('home')).toBe('Homes');
  });

  it('nothing that names models and fields is no listing', () => {
    for (const body of ['', '<h1>Not Found</h1>', '{"error": "x"}', '[]', 'Server Error (500)']) {
      expect(parseListing({ contentType: 'text/html', body }), body).toBeNull();
    }
  });
});

describe('Django\'s "Choices are"', () => {
  it('names a model\'s fields', () => {
    expect(choicesFromError("Cannot resolve keyword 'billing_bridge_probe' into field. Choices are: account, account_id, id, name")).toEqual(['account', 'account_id', 'id', 'name']);
    expect(choicesFromError("Cannot resolve keyword 'x' into field. Choices are: 'a', 'b'.")).toEqual(['a', 'b']);
    expect(choicesFromError("Homes has no field named 'x'")).toBeNull();
  });
});

describe('the likely replacement of a missing name', () => {
  it.each([
    ['gen_pwd', ['login', 'password', 'sms'], 'password'],
    ['abonent_pay', ['name', 'price'], 'price'],
    ['balance', ['ostatok', 'credit'], 'ostatok'],
    ['street', ['city', 'street_name', 's_number'], 'street_name'],
    ['s_liter', ['s_number', 'liter'], 'liter'],
    ['comment', ['descr', 'op_date'], 'descr'],
    ['fias_guid', ['city', 'street'], null],
  ] as const)('%s among %j → %s', (name, candidates, expected) => {
    expect(likelyReplacement(name, candidates)).toBe(expected);
  });
});

describe('the address template', () => {
  const parts = (values: Record<string, string>) => (part: string) => values[part] ?? '';
  const format = '{city}[, {settlement}], {street}, д. {s_number}{s_liter}';
  it('fills the parts, leaves out an empty optional part and a number without a house', () => {
    expect(fillTemplate(format, parts({ city: 'г. Челябинск', street: 'ул. Кирова', s_number: '104' }))).toBe('г. Челябинск, ул. Кирова, д. 104');
    expect(fillTemplate(format, parts({ city: 'г. Челябинск', settlement: 'пос. Шершни', street: 'ул. Молдавская', s_number: '16' }))).toBe('г. Челябинск, пос. Шершни, ул. Молдавская, д. 16');
    expect(fillTemplate(format, parts({ city: 'г. Челябинск', street: 'пр. Ленина', s_number: '21', s_liter: 'А' }))).toBe('г. Челябинск, пр. Ленина, д. 21А');
    expect(fillTemplate(format, parts({ city: 'г. Челябинск' }))).toBe('г. Челябинск');
    expect(fillTemplate(format, parts({}))).toBe('');
  });
});
