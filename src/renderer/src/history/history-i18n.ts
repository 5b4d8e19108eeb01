import { useMemo } from 'react';
import { useI18n, type I18n } from '../i18n';
import { historyEn, type HistoryMessageKey } from '../i18n/history-en';
import { historyDe } from '../i18n/history-de';

export type { HistoryMessageKey };
export type HistoryTranslate = (key: HistoryMessageKey, vars?: Record<string, string | number>) => string;

export interface HistoryI18n extends I18n {
  th: HistoryTranslate;
  /** Like `th`, but uses the key's `.one` variant when `n` is 1; `{count}` is filled with `n`. */
  thn: (key: HistoryMessageKey, n: number, vars?: Record<string, string | number>) => string;
  /** "1,234" / "1.234". */
  count: (value: number) => string;
}

/**
 * The app's i18n plus the history's own texts. Looked up in the history dictionaries directly,
 * so the screen reads the same whether or not they have been merged into the main catalogs.
 */
export function useHistoryI18n(): HistoryI18n {
  const i18n = useI18n();
  return useMemo(() => {
    const catalog = i18n.lang === 'de' ? historyDe : historyEn;
    const th: HistoryTranslate = (key, vars) => {
      let text = catalog[key] ?? historyEn[key] ?? key;
      if (vars) for (const [name, value] of Object.entries(vars)) text = text.split(`{${name}}`).join(String(value));
      return text;
    };
    const numbers = new Intl.NumberFormat(i18n.lang === 'de' ? 'de-DE' : 'en-GB');
    const count = (value: number) => numbers.format(value);
    const thn = (key: HistoryMessageKey, n: number, vars?: Record<string, string | number>) => {
      const one = `${key}.one`;
      return th(n === 1 && one in catalog ? (one as HistoryMessageKey) : key, { count: count(n), ...vars });
    };
    return { ...i18n, th, thn, count };
  }, [i18n]);
}

const STATUS_KEYS = new Set<string>([
  'created', 'pending', 'approved', 'ok', 'failed', 'cancelled', 'received', 'shipped', 'collection', 'collected',
  'processing', 'creating', 'create_failed', 'needs_shipping',
]);

/** Label key for a history status (API status or pseudo status). */
export function historyStatusKey(status: string): HistoryMessageKey {
  return (STATUS_KEYS.has(status) ? `history.status.${status}` : 'history.status.unknown') as HistoryMessageKey;
}

const METHOD_KEYS = new Set<string>(['any', 'creditcard', 'debit', 'invoice', 'paypal', 'prepaid', 'sofort']);

/** Label of a payment method; an unknown one is shown as the API names it. */
export function methodLabel(method: string, th: HistoryTranslate): string {
  return METHOD_KEYS.has(method) ? th(`history.method.${method}` as HistoryMessageKey) : method;
}
