import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { en, type MessageKey } from './en';
import { de } from './de';
import { formatAmount, type UiLocale } from '../../../shared/money';
import type { AppError } from '../../../shared/errors';

const catalogs: Record<UiLocale, Record<MessageKey, string>> = { en, de };

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export interface I18n {
  lang: UiLocale;
  t: Translate;
  /** Translates a key that came from data (zod messages, error codes); unknown keys fall back. */
  tKey: (key: string, fallback?: MessageKey) => string;
  money: (cents: number, currency: string) => string;
  dateTime: (iso: string) => string;
  errorText: (error: AppError) => string;
}

export function isMessageKey(key: string): key is MessageKey {
  return key in en;
}

export function createI18n(lang: UiLocale): I18n {
  const catalog = catalogs[lang];
  const t: Translate = (key, vars) => {
    let text = catalog[key] ?? en[key] ?? key;
    if (vars) for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
    return text;
  };
  const tKey = (key: string, fallback: MessageKey = 'validation.invalid') => (isMessageKey(key) ? t(key) : t(fallback));
  const dateFormat = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return {
    lang,
    t,
    tKey,
    money: (cents, currency) => formatAmount(cents, currency, lang),
    dateTime: (iso) => {
      const date = new Date(iso);
      return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
    },
    errorText: (error) => tKey(`error.${error.code}`, 'error.generic'),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ lang, children }: { lang: UiLocale; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export type { MessageKey };
