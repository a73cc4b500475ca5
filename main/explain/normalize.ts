// How logins, phones and contract numbers are written before they are hashed, so that what a
// person types at the desk finds what the billing holds: case, spaces, dashes and the Latin
// letters that look Cyrillic in contract numbers ("2048-C" for "2048-С") do not matter.
import { normalizePhone, type PhoneOptions } from '../billing/phones.js';

export function normalizeLogin(login: string): string {
  return login.normalize('NFKC').trim().toLowerCase();
}

const LOOKALIKES: Record<string, string> = { a: 'а', b: 'в', c: 'с', e: 'е', h: 'н', k: 'к', m: 'м', o: 'о', p: 'р', t: 'т', x: 'х', y: 'у' };

export function normalizeAccount(account: string): string {
  return account
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\-‐‑‒–—―−_./№#]+/gu, '')
    .replace(/[abcehkmoptxy]/g, (ch) => LOOKALIKES[ch]!);
}

/**
 * A typed phone in both forms core may be served (10-digit national, or with the country code),
 * so a lookup works whichever `phones.format` the index was built with. Empty when it is no phone.
 */
export function phoneForms(text: string, options: PhoneOptions): string[] {
  if (text.replace(/\D/g, '').length < 5) return [];
  const forms = new Set<string>();
  for (const format of ['national', 'international'] as const) {
    const number = normalizePhone(text, { ...options, format });
    if (number !== null) forms.add(number);
  }
  return [...forms];
}
