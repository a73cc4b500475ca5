// Phone numbers as core wants them: digits only, in the configured format (spec §2.2).
// Billings hold phones as typed by people ("+7 (909) 083-34-14", "8 909 083 34 14", several in
// one field); libphonenumber-js does the country-aware parsing.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';

/** `national`: 10 digits for Russia (the newest seed); `international`: with the country code (79090833414). */
export type PhoneFormat = 'national' | 'international';

export interface PhoneOptions {
  format: PhoneFormat;
  /** Country assumed for numbers written without `+` (an 8 or 7 trunk prefix in Russia). */
  defaultCountry: string;
}

export const DEFAULT_PHONE_OPTIONS: PhoneOptions = { format: 'national', defaultCountry: 'RU' };

/** One number in any common writing → digits in the configured format, or null if it is not a phone number. */
export function normalizePhone(raw: string, options: PhoneOptions = DEFAULT_PHONE_OPTIONS): string | null {
  const parsed = parsePhoneNumberFromString(raw.trim(), options.defaultCountry as CountryCode);
  if (!parsed || !parsed.isPossible()) return null;
  return options.format === 'national' ? parsed.nationalNumber : parsed.countryCallingCode + parsed.nationalNumber;
}

export interface SplitPhones {
  numbers: string[];
  /** Pieces that looked like an attempt at a number but are not one (for the sync report). */
  rejected: string[];
}

/**
 * A free-text phone field → distinct normalised numbers. Numbers are separated by `, ; /` or new
 * lines, or only by spaces ("89123456789 9001112233"); spaces inside one number are kept together
 * by growing a run of words until it reads as a whole number.
 */
export function splitPhones(field: string | null | undefined, options: PhoneOptions = DEFAULT_PHONE_OPTIONS): SplitPhones {
  const numbers: string[] = [];
  const rejected: string[] = [];
  for (const chunk of (field ?? '').split(/[,;/\\|\n\r]+/)) {
    const words = chunk.trim().split(/\s+/).filter(Boolean);
    let run: string[] = [];
    for (const word of words) {
      run.push(word);
      const text = run.join(' ');
      if (text.replace(/\D/g, '').length < 10) continue;
      const number = normalizePhone(text, options);
      if (number !== null) {
        if (!numbers.includes(number)) numbers.push(number);
        run = [];
      }
    }
    const rest = run.join(' ');
    if (/\d/.test(rest)) {
      const number = normalizePhone(rest, options);
      if (number === null) rejected.push(rest);
      else if (!numbers.includes(number)) numbers.push(number);
    }
  }
  return { numbers, rejected };
}
