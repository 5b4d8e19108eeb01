import { useState, type KeyboardEvent } from 'react';
import {
  QUICK_ITEM_KEYS,
  VAT_RATES,
  basketTotalCents,
  changeQuantity,
  freeLine,
  lineTotalCents,
  vatContained,
  type BasketLine,
  type QuickItem,
  type VatRate,
} from '../../../shared/basket';
import { formatAmount, parseAmount, type UiLocale } from '../../../shared/money';
import { useI18n } from '../i18n';
import '../basket.css';

export interface BasketPanelProps {
  items: readonly QuickItem[];
  basket: readonly BasketLine[];
  /** False when the basket was refused (too many lines): what was typed stays in its field. */
  onBasketChange: (basket: BasketLine[]) => boolean;
  /** An item button was pressed (the screen also binds keys 1–9 to the first nine). */
  onItem: (item: QuickItem) => void;
  currency: string;
  locale: UiLocale;
  /** The name a free line gets, in the payment page's language (the payer reads it). */
  freeLineName: string;
  /** What is wrong with the basket as a whole (too many lines), already in words. */
  error?: string | undefined;
}

/**
 * The counter's quick-pick buttons and the basket they fill: quantities, a free line for an
 * amount typed at the till, the total and the VAT it contains. The amount field shows the total.
 */
export function BasketPanel({ items, basket, onBasketChange, onItem, currency, locale, freeLineName, error }: BasketPanelProps) {
  const { t, tKey } = useI18n();
  const [freeText, setFreeText] = useState('');
  const [freeError, setFreeError] = useState<string | null>(null);
  const money = (cents: number) => formatAmount(cents, currency, locale);

  const addFreeLine = () => {
    const parsed = parseAmount(freeText, locale);
    if (!parsed.ok) {
      setFreeError(parsed.reason);
      return;
    }
    if (!onBasketChange([...basket, freeLine(freeLineName, parsed.cents)])) return;
    setFreeText('');
    setFreeError(null);
  };
  const onFreeKey = (event: KeyboardEvent<HTMLInputElement>) => {
    // Enter here adds the line; creating the link is the form's Enter elsewhere (or Ctrl+Enter).
    if (event.key === 'Enter' && !event.ctrlKey && !event.metaKey) {
      event.preventDefault();
      event.stopPropagation();
      addFreeLine();
    }
  };
  const setVat = (index: number, vatRate: VatRate) => void onBasketChange(basket.map((line, i) => (i === index ? { ...line, vatRate } : line)));

  const total = basketTotalCents(basket);
  return (
    <div className="basket-panel">
      {items.length > 0 && (
        <div className="pick-items" role="group" aria-label={t('basket.items')}>
          {items.map((item, index) => (
            <button key={item.id} type="button" className="pick-item" data-testid="pick-item" title={item.name}
              aria-keyshortcuts={index < QUICK_ITEM_KEYS ? `${index + 1} Alt+${index + 1}` : undefined}
              onClick={() => onItem(item)}>
              {index < QUICK_ITEM_KEYS && <kbd>{index + 1}</kbd>}
              <span className="pick-item-name">{item.name}</span>
              <span className="pick-item-price">{money(item.priceCents)}</span>
            </button>
          ))}
        </div>
      )}
      {basket.length > 0 && (
        <div className="basket" data-testid="basket">
          <ul className="basket-lines" aria-label={t('basket.title')}>
            {basket.map((line, index) => (
              <li key={`${line.itemId ?? 'free'}-${index}`} className="basket-line">
                <span className="basket-line-name">{line.name}</span>
                <span className="basket-qty">
                  <button type="button" className="button secondary qty-button" aria-label={t('basket.less', { name: line.name })}
                    onClick={() => void onBasketChange(changeQuantity(basket, index, -1))}>−</button>
                  <output aria-label={t('basket.quantity')} data-testid="basket-qty">{line.quantity}</output>
                  <button type="button" className="button secondary qty-button" aria-label={t('basket.more', { name: line.name })}
                    onClick={() => void onBasketChange(changeQuantity(basket, index, +1))}>+</button>
                </span>
                {line.itemId === undefined ? (
                  <select className="basket-vat" aria-label={t('basket.vat')} value={line.vatRate}
                    onChange={(e) => setVat(index, Number(e.target.value) as VatRate)}>
                    {VAT_RATES.map((rate) => <option key={rate} value={rate}>{t('basket.rate', { rate })}</option>)}
                  </select>
                ) : (
                  <span className="basket-vat muted small">{t('basket.rate', { rate: line.vatRate })}</span>
                )}
                <span className="basket-line-total">{money(lineTotalCents(line))}</span>
                <button type="button" className="button link basket-remove" aria-label={t('basket.remove', { name: line.name })}
                  onClick={() => void onBasketChange(basket.filter((_, i) => i !== index))}>×</button>
              </li>
            ))}
          </ul>
          <p className="basket-total">
            <span>{t('basket.total')}</span>
            <strong data-testid="basket-total">{money(total)}</strong>
          </p>
          <p className="basket-vat-split muted small">
            {vatContained(basket).map((share) => t('basket.contains_vat', { rate: share.rate, amount: money(share.vatCents) })).join(' · ')}
          </p>
        </div>
      )}
      {error && <p className="field-error" role="alert" data-testid="basket-error">{error}</p>}
      {basket.length > 0 && (
        <div className="basket-free">
          <label htmlFor="basket-free-amount" className="small">{t('basket.free_amount')}</label>
          <input id="basket-free-amount" inputMode="decimal" autoComplete="off" spellCheck={false} value={freeText}
            placeholder={locale === 'de' ? '0,00' : '0.00'} aria-invalid={freeError !== null}
            aria-describedby={freeError ? 'basket-free-error' : undefined}
            onChange={(e) => { setFreeText(e.target.value); setFreeError(null); }} onKeyDown={onFreeKey} />
          <button type="button" className="button secondary" onClick={addFreeLine}>{t('basket.add_free')}</button>
          {freeError && <span id="basket-free-error" className="field-error" role="alert">{tKey(freeError)}</span>}
        </div>
      )}
    </div>
  );
}
