import { useState, type Ref } from 'react';
import { formatAmount, parseAmount, type AmountParseResult, type UiLocale } from '../../../shared/money';
import { useI18n } from '../i18n';
import { Field } from './Field';

export interface AmountFieldProps {
  value: string;
  onChange: (text: string, parsed: AmountParseResult) => void;
  locale: UiLocale;
  currency: string;
  /** A message key from the form's check, or the API's own words when it names the amount. */
  error?: string | undefined;
  inputRef?: Ref<HTMLInputElement>;
  autoFocus?: boolean;
  /** Shown instead of what was typed, read-only: the basket's total, when the link has a basket. */
  fixed?: { text: string; hint: string };
}

/**
 * The amount as people type money in their language. While typing it shows what it understood
 * ("= 1.234,56 €"); what it cannot understand is said once the person leaves the field or submits.
 */
export function AmountField({ value, onChange, locale, currency, error, inputRef, autoFocus, fixed }: AmountFieldProps) {
  const { t, tKey } = useI18n();
  const [left, setLeft] = useState(false);
  const parsed = parseAmount(value, locale);
  const ownError = left && value.trim() !== '' && !parsed.ok ? parsed.reason : undefined;
  const errorKey = error ?? ownError;
  const hint = fixed ? fixed.hint : parsed.ok ? t('amount.preview', { amount: formatAmount(parsed.cents, currency, locale) }) : t('amount.example');
  return (
    <Field label={t('new.amount')} hint={hint} error={errorKey ? tKey(errorKey) : undefined} className="amount-field">
      {(f) => (
        <input
          id={f.id}
          ref={inputRef}
          aria-describedby={f.describedBy}
          aria-invalid={f.invalid}
          className="amount-input"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          autoFocus={autoFocus}
          placeholder={locale === 'de' ? '0,00' : '0.00'}
          value={fixed ? fixed.text : value}
          readOnly={fixed !== undefined}
          onChange={(e) => {
            setLeft(false);
            onChange(e.target.value, parseAmount(e.target.value, locale));
          }}
          onBlur={() => setLeft(true)}
        />
      )}
    </Field>
  );
}

