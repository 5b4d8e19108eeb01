import { lineTotalCents, vatContained, type RecordedBasketLine } from '../../../shared/basket';
import { useI18n } from '../i18n';
import '../basket.css';

/**
 * What a link sells, line by line, and the VAT it contains: the one list the link screen, the
 * customer display and the history row show (each in its own place and size).
 */
export function BasketSummary({ basket, currency, className, testId }: {
  basket: readonly RecordedBasketLine[];
  currency: string;
  className?: string;
  testId?: string;
}) {
  const { t, money } = useI18n();
  return (
    <ul className={`basket-summary ${className ?? ''}`} data-testid={testId} aria-label={t('basket.title')}>
      {basket.map((line, index) => (
        <li key={index} data-testid="basket-summary-line" title={`${t('basket.line', { quantity: line.quantity, name: line.name })} ${money(lineTotalCents(line), currency)}`}>
          <span className="basket-summary-name">{t('basket.line', { quantity: line.quantity, name: line.name })}</span>
          <span className="basket-summary-amount">{money(lineTotalCents(line), currency)}</span>
        </li>
      ))}
      {vatContained(basket).map((share) => (
        <li key={`vat-${share.rate}`} className="basket-summary-vat">
          {t('basket.contains_vat', { rate: share.rate, amount: money(share.vatCents, currency) })}
        </li>
      ))}
    </ul>
  );
}
