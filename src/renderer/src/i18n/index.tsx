import { createContext, useContext, useMemo, type ReactNode } from 'react';
import { formatAmount } from '../../../shared/money';
import type { AppError } from '../../../shared/errors';
import { formatCount, formatDateTime, isMessageKey, translator, type MessageKey, type Translate, type UiLanguage } from '../../../shared/i18n';
import { errorText as errorLabel } from '../../../shared/i18n/labels';

/**
 * The screens' handle on the shared catalog (src/shared/i18n): `t` fixed to the app language plus
 * Intl formatting. A plain context rather than react-i18next's global language: the customer
 * display and e-mail previews speak another language than the merchant's screen at the same time.
 */
export interface I18n {
  lang: UiLanguage;
  t: Translate;
  /**
   * A field message from data: a catalog key (zod schemas, the amount parser) is translated, an
   * unknown key reads "invalid", and anything else is secupay's own words, shown as they are.
   */
  tKey: (message: string) => string;
  money: (cents: number, currency: string) => string;
  count: (value: number) => string;
  dateTime: (iso: string) => string;
  /** The day alone: "12.03.2025" / "12 Mar 2025". */
  day: (iso: string) => string;
  errorText: (error: AppError) => string;
}

const MESSAGE_KEY = /^[a-z_]+(\.[a-z_]+)+$/;

export function createI18n(lang: UiLanguage): I18n {
  const t = translator(lang);
  return {
    lang,
    t,
    tKey: (message) => {
      if (isMessageKey(message)) return (t as (key: string) => string)(message);
      return MESSAGE_KEY.test(message) ? t('validation.invalid') : message;
    },
    money: (cents, currency) => formatAmount(cents, currency, lang),
    count: (value) => formatCount(value, lang),
    dateTime: (iso) => formatDateTime(iso, lang),
    day: (iso) => formatDateTime(iso, lang, 'date'),
    errorText: (error) => errorLabel(t, error.code),
  };
}

const I18nContext = createContext<I18n>(createI18n('en'));

export function I18nProvider({ lang, children }: { lang: UiLanguage; children: ReactNode }) {
  const value = useMemo(() => createI18n(lang), [lang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  return useContext(I18nContext);
}

export { isMessageKey };
export type { MessageKey, Translate };
