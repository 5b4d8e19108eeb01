import { INTL_LOCALE, type UiLanguage } from './i18n';

/**
 * Countries the customer address picker offers (ISO 3166-1 alpha-2, API-NOTES §8). Not the full
 * ISO list: the countries a German-speaking merchant's customers come from. Their names come from
 * Intl.DisplayNames (CLDR), in the app's language. DE, AT and CH come first: by far the most common.
 */
const FIRST = ['DE', 'AT', 'CH'] as const;

export const COUNTRY_CODES: readonly string[] = [
  ...FIRST,
  'AD', 'AE', 'AL', 'AU', 'BA', 'BE', 'BG', 'BR', 'BY', 'CA', 'CN', 'CY', 'CZ', 'DK', 'EE', 'EG', 'ES', 'FI', 'FR', 'GB',
  'GR', 'HR', 'HU', 'IE', 'IL', 'IN', 'IS', 'IT', 'JP', 'LI', 'LT', 'LU', 'LV', 'MA', 'MC', 'MD', 'ME', 'MK', 'MT', 'NL',
  'NO', 'NZ', 'PL', 'PT', 'RO', 'RS', 'RU', 'SE', 'SI', 'SK', 'SM', 'TN', 'TR', 'UA', 'US', 'VA', 'XK', 'ZA',
];

const displayNames = new Map<UiLanguage, Intl.DisplayNames>();

/** "Österreich" / "Austria"; a code Intl does not know is shown as the code. */
export function countryName(code: string, language: UiLanguage): string {
  let names = displayNames.get(language);
  if (!names) {
    names = new Intl.DisplayNames([INTL_LOCALE[language]], { type: 'region', fallback: 'code' });
    displayNames.set(language, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

/** The picker's order: DE, AT, CH, then the rest alphabetically in the given language. */
export function countryOptions(language: UiLanguage): { code: string; name: string }[] {
  const collator = new Intl.Collator(INTL_LOCALE[language]);
  const named = (code: string) => ({ code, name: countryName(code, language) });
  const rest = COUNTRY_CODES.filter((code) => !(FIRST as readonly string[]).includes(code)).map(named);
  return [...FIRST.map(named), ...rest.sort((a, b) => collator.compare(a.name, b.name))];
}
