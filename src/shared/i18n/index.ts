/**
 * Link Desk's one text catalog, for the renderer and for main (tray, notifications, CSV, e-mail).
 *
 * Built on i18next because it brings real CLDR plural rules (through Intl.PluralRules, so "1 Link"
 * / "2 Links" and any later language come out right without `.one` hacks), typed keys and
 * interpolation variables from the catalog itself (see i18next.d.ts), number formatting through
 * Intl inside texts, and it is mature and maintained. Money and dates go through Intl directly.
 */
import i18next, { type TFunction } from 'i18next';
import { en } from './en';
import { de } from './de';
import type { MessageKey } from './catalog-type';

export type { MessageKey, PlainKey, Catalog } from './catalog-type';

export const UI_LANGUAGES = ['de', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The locale Intl formats with: German as in Germany, English with British dates and "€17.50". */
export const INTL_LOCALE: Record<UiLanguage, string> = { de: 'de-DE', en: 'en-GB' };

export type Translate = TFunction<'translation', undefined>;

const catalogs = i18next.createInstance();
void catalogs.init({
  resources: { en: { translation: en }, de: { translation: de } },
  lng: 'en',
  fallbackLng: 'en',
  supportedLngs: UI_LANGUAGES,
  keySeparator: false,
  nsSeparator: false,
  // React and the notification/tray APIs take plain text; nothing here is inserted as HTML.
  interpolation: { escapeValue: false },
  returnNull: false,
  // Resources are bundled, so initialising synchronously makes `t` usable right away.
  initAsync: false,
});

/** `t` for one language; several languages can be in use at once (customer display, e-mail). */
export function translator(language: UiLanguage): Translate {
  return catalogs.getFixedT(language);
}

/** For texts named by data (zod messages, error codes): true when the catalog has that key. */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}

/**
 * The app language for a choice of 'system': the first preferred language Link Desk has, else
 * English. `preferred` is the OS's list in Electron and `navigator.languages` in a browser.
 */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split(/[-_.]/)[0];
    const match = UI_LANGUAGES.find((language) => language === base);
    if (match) return match;
  }
  return 'en';
}

export function resolveUiLanguage(choice: 'system' | UiLanguage, systemLanguage: UiLanguage): UiLanguage {
  return choice === 'system' ? systemLanguage : choice;
}

const numberFormats = new Map<UiLanguage, Intl.NumberFormat>();

/** "1.234" / "1,234". */
export function formatCount(value: number, language: UiLanguage): string {
  let format = numberFormats.get(language);
  if (!format) {
    format = new Intl.NumberFormat(INTL_LOCALE[language]);
    numberFormats.set(language, format);
  }
  return format.format(value);
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** "12.03.2025, 14:05" / "12 Mar 2025, 14:05"; an unreadable date is shown as it came. */
export function formatDateTime(iso: string, language: UiLanguage, style: 'dateTime' | 'date' | 'time' = 'dateTime'): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const key = `${language}|${style}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    const options: Intl.DateTimeFormatOptions =
      style === 'date' ? { dateStyle: 'medium' } : style === 'time' ? { timeStyle: 'short' } : { dateStyle: 'medium', timeStyle: 'short' };
    format = new Intl.DateTimeFormat(INTL_LOCALE[language], options);
    dateTimeFormats.set(key, format);
  }
  return format.format(date);
}

/** "E-Mail, Telefon und Land" / "E-mail, Phone and Country". */
export function listFormat(language: UiLanguage, items: readonly string[]): string {
  return new Intl.ListFormat(INTL_LOCALE[language], { type: 'conjunction' }).format(items);
}
