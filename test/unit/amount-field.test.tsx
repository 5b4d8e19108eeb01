// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState } from 'react';
import { AmountField } from '../../src/renderer/src/components/AmountField';
import { I18nProvider } from '../../src/renderer/src/i18n';
import type { AmountParseResult, UiLocale } from '../../src/shared/money';

afterEach(cleanup);

function Harness({ locale, onParsed, error }: { locale: UiLocale; onParsed: (r: AmountParseResult) => void; error?: string }) {
  const [text, setText] = useState('');
  return (
    <I18nProvider lang={locale}>
      <AmountField value={text} locale={locale} currency="EUR" error={error} onChange={(t, parsed) => {
        setText(t);
        onParsed(parsed);
      }} />
    </I18nProvider>
  );
}

function setup(locale: UiLocale, error?: string) {
  const onParsed = vi.fn<(r: AmountParseResult) => void>();
  render(<Harness locale={locale} onParsed={onParsed} error={error} />);
  const input = screen.getByLabelText(locale === 'de' ? 'Betrag' : 'Amount');
  return { input, onParsed };
}

describe('AmountField accepts money as people type it', () => {
  it.each([
    ['de', '17,50', 1750, '= 17,50 €'],
    ['de', '17.50', 1750, '= 17,50 €'],
    ['de', '1.234,56', 123456, '= 1.234,56 €'],
    ['de', '1.234', 123400, '= 1.234,00 €'],
    ['de', '0,99 €', 99, '= 0,99 €'],
    ['en', '17.50', 1750, '= €17.50'],
    ['en', '1,234.56', 123456, '= €1,234.56'],
    ['en', '1,234', 123400, '= €1,234.00'],
    ['en', '100000', 10000000, '= €100,000.00'],
  ] as const)('%s "%s" → %i cents, shown as "%s"', (locale, typed, cents, preview) => {
    const { input, onParsed } = setup(locale);
    fireEvent.change(input, { target: { value: typed } });
    expect(onParsed).toHaveBeenLastCalledWith({ ok: true, cents });
    // Testing Library folds Intl's no-break space before "€" into a plain space.
    expect(screen.getByText(preview)).toBeTruthy();
    fireEvent.blur(input);
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('AmountField says what is wrong once the person leaves the field', () => {
  it.each([
    ['de', '12,345', 'amount.too_many_decimals', 'Höchstens zwei Nachkommastellen.'],
    ['de', 'zwölf', 'amount.invalid', 'Das ist kein Betrag. Schreiben Sie ihn wie 17,50 oder 1.234,56.'],
    ['de', '1,2,3', 'amount.invalid', 'Das ist kein Betrag. Schreiben Sie ihn wie 17,50 oder 1.234,56.'],
    ['de', '0,00', 'amount.not_positive', 'Der Betrag muss größer als null sein.'],
    ['de', '-5', 'amount.not_positive', 'Der Betrag muss größer als null sein.'],
    ['de', '100.000,01', 'amount.too_large', 'Höchstens 100.000,00 pro Link.'],
    ['en', '12.345', 'amount.too_many_decimals', 'At most two decimal places.'],
    ['en', 'twelve', 'amount.invalid', 'This is not an amount. Type it like 17.50 or 1,234.56.'],
    ['en', '1,23,4', 'amount.invalid', 'This is not an amount. Type it like 17.50 or 1,234.56.'],
    ['en', '0', 'amount.not_positive', 'The amount must be greater than zero.'],
    ['en', '250000', 'amount.too_large', 'At most 100,000.00 per link.'],
  ] as const)('%s "%s" → %s', (locale, typed, reason, message) => {
    const { input, onParsed } = setup(locale);
    fireEvent.change(input, { target: { value: typed } });
    expect(onParsed).toHaveBeenLastCalledWith({ ok: false, reason });
    // Not while typing: a half-typed amount is not an error yet.
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.blur(input);
    expect(screen.getByRole('alert').textContent).toBe(message);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(screen.getByRole('alert').id);
    // Typing again clears the message until the field is left again.
    fireEvent.change(input, { target: { value: `${typed}x` } });
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('an empty field is not an error until the form asks for an amount', () => {
    const { input } = setup('en');
    fireEvent.blur(input);
    expect(screen.queryByRole('alert')).toBeNull();
    cleanup();
    setup('en', 'amount.empty');
    expect(screen.getByRole('alert').textContent).toBe('Enter an amount.');
  });

  it('shows the API’s own words when they are not one of the app’s messages', () => {
    setup('de', 'Betrag ungültig');
    expect(screen.getByRole('alert').textContent).toBe('Betrag ungültig');
  });

  it('shows an example in the UI language while empty', () => {
    setup('de');
    expect(screen.getByText('Zum Beispiel 17,50 oder 1.234,56')).toBeTruthy();
  });
});
