/**
 * Countries the customer address picker offers (ISO 3166-1 alpha-2, API-NOTES §8), with German
 * and English names. Not the full ISO list: the countries a German-speaking merchant's customers
 * come from. DE, AT and CH come first because they are by far the most common.
 */
export interface Country {
  code: string;
  de: string;
  en: string;
}

const FIRST = ['DE', 'AT', 'CH'];

export const COUNTRIES: readonly Country[] = [
  { code: 'DE', de: 'Deutschland', en: 'Germany' },
  { code: 'AT', de: 'Österreich', en: 'Austria' },
  { code: 'CH', de: 'Schweiz', en: 'Switzerland' },
  { code: 'AD', de: 'Andorra', en: 'Andorra' },
  { code: 'AE', de: 'Vereinigte Arabische Emirate', en: 'United Arab Emirates' },
  { code: 'AL', de: 'Albanien', en: 'Albania' },
  { code: 'AU', de: 'Australien', en: 'Australia' },
  { code: 'BA', de: 'Bosnien und Herzegowina', en: 'Bosnia and Herzegovina' },
  { code: 'BE', de: 'Belgien', en: 'Belgium' },
  { code: 'BG', de: 'Bulgarien', en: 'Bulgaria' },
  { code: 'BR', de: 'Brasilien', en: 'Brazil' },
  { code: 'BY', de: 'Belarus', en: 'Belarus' },
  { code: 'CA', de: 'Kanada', en: 'Canada' },
  { code: 'CN', de: 'China', en: 'China' },
  { code: 'CY', de: 'Zypern', en: 'Cyprus' },
  { code: 'CZ', de: 'Tschechien', en: 'Czechia' },
  { code: 'DK', de: 'Dänemark', en: 'Denmark' },
  { code: 'EE', de: 'Estland', en: 'Estonia' },
  { code: 'EG', de: 'Ägypten', en: 'Egypt' },
  { code: 'ES', de: 'Spanien', en: 'Spain' },
  { code: 'FI', de: 'Finnland', en: 'Finland' },
  { code: 'FR', de: 'Frankreich', en: 'France' },
  { code: 'GB', de: 'Vereinigtes Königreich', en: 'United Kingdom' },
  { code: 'GR', de: 'Griechenland', en: 'Greece' },
  { code: 'HR', de: 'Kroatien', en: 'Croatia' },
  { code: 'HU', de: 'Ungarn', en: 'Hungary' },
  { code: 'IE', de: 'Irland', en: 'Ireland' },
  { code: 'IL', de: 'Israel', en: 'Israel' },
  { code: 'IN', de: 'Indien', en: 'India' },
  { code: 'IS', de: 'Island', en: 'Iceland' },
  { code: 'IT', de: 'Italien', en: 'Italy' },
  { code: 'JP', de: 'Japan', en: 'Japan' },
  { code: 'LI', de: 'Liechtenstein', en: 'Liechtenstein' },
  { code: 'LT', de: 'Litauen', en: 'Lithuania' },
  { code: 'LU', de: 'Luxemburg', en: 'Luxembourg' },
  { code: 'LV', de: 'Lettland', en: 'Latvia' },
  { code: 'MA', de: 'Marokko', en: 'Morocco' },
  { code: 'MC', de: 'Monaco', en: 'Monaco' },
  { code: 'MD', de: 'Moldau', en: 'Moldova' },
  { code: 'ME', de: 'Montenegro', en: 'Montenegro' },
  { code: 'MK', de: 'Nordmazedonien', en: 'North Macedonia' },
  { code: 'MT', de: 'Malta', en: 'Malta' },
  { code: 'NL', de: 'Niederlande', en: 'Netherlands' },
  { code: 'NO', de: 'Norwegen', en: 'Norway' },
  { code: 'NZ', de: 'Neuseeland', en: 'New Zealand' },
  { code: 'PL', de: 'Polen', en: 'Poland' },
  { code: 'PT', de: 'Portugal', en: 'Portugal' },
  { code: 'RO', de: 'Rumänien', en: 'Romania' },
  { code: 'RS', de: 'Serbien', en: 'Serbia' },
  { code: 'RU', de: 'Russland', en: 'Russia' },
  { code: 'SE', de: 'Schweden', en: 'Sweden' },
  { code: 'SI', de: 'Slowenien', en: 'Slovenia' },
  { code: 'SK', de: 'Slowakei', en: 'Slovakia' },
  { code: 'SM', de: 'San Marino', en: 'San Marino' },
  { code: 'TN', de: 'Tunesien', en: 'Tunisia' },
  { code: 'TR', de: 'Türkei', en: 'Türkiye' },
  { code: 'UA', de: 'Ukraine', en: 'Ukraine' },
  { code: 'US', de: 'Vereinigte Staaten', en: 'United States' },
  { code: 'VA', de: 'Vatikanstadt', en: 'Vatican City' },
  { code: 'XK', de: 'Kosovo', en: 'Kosovo' },
  { code: 'ZA', de: 'Südafrika', en: 'South Africa' },
];

/** The picker's order: DE, AT, CH, then the rest alphabetically in the given language. */
export function countryOptions(language: 'de' | 'en'): { code: string; name: string }[] {
  const collator = new Intl.Collator(language);
  const rest = COUNTRIES.filter((c) => !FIRST.includes(c.code)).sort((a, b) => collator.compare(a[language], b[language]));
  const first = FIRST.map((code) => COUNTRIES.find((c) => c.code === code)).filter((c): c is Country => c !== undefined);
  return [...first, ...rest].map((c) => ({ code: c.code, name: c[language] }));
}

export function countryName(code: string, language: 'de' | 'en'): string {
  return COUNTRIES.find((c) => c.code === code.toUpperCase())?.[language] ?? code;
}
