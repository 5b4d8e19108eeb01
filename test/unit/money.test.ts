import { describe, expect, it } from 'vitest';
import { amountToInput, formatAmount, parseAmount } from '../../src/shared/money';

describe('parseAmount', () => {
  it.each([
    ['de', '17,50', 1750],
    ['de', '17.50', 1750],
    ['de', '17,5', 1750],
    ['de', '17', 1700],
    ['de', '1.234,56', 123456],
    ['de', '1.234', 123400],
    ['de', '12.345,8', 1234580],
    ['de', ' 17,50 € ', 1750],
    ['de', ',99', 99],
    ['de', '0,01', 1],
    ['en', '17.50', 1750],
    ['en', '17,50', 1750],
    ['en', '1,234.56', 123456],
    ['en', '1,234', 123400],
    ['en', '€17.50', 1750],
    ['en', "1'234.50", 123450],
    ['en', '100000', 10000000],
  ] as const)('%s "%s" → %i cents', (locale, text, cents) => {
    expect(parseAmount(text, locale)).toEqual({ ok: true, cents });
  });

  it.each([
    ['de', '', 'amount.empty'],
    ['de', '   ', 'amount.empty'],
    ['de', 'abc', 'amount.invalid'],
    ['de', '17,505', 'amount.too_many_decimals'],
    ['en', '17.505', 'amount.too_many_decimals'],
    ['de', '0', 'amount.not_positive'],
    ['de', '0,00', 'amount.not_positive'],
    ['de', '-5', 'amount.not_positive'],
    ['de', '1,2,3', 'amount.invalid'],
    ['de', '1.23,45', 'amount.invalid'],
    ['en', '1,23.45', 'amount.invalid'],
    ['de', '100.000,01', 'amount.too_large'],
    ['de', '99999999999', 'amount.too_large'],
    ['de', '1e5', 'amount.invalid'],
    ['en', '12.34.56', 'amount.invalid'],
  ] as const)('%s "%s" is refused as %s', (locale, text, reason) => {
    expect(parseAmount(text, locale)).toEqual({ ok: false, reason });
  });
});

describe('formatAmount / amountToInput', () => {
  it('formats as the locale writes money', () => {
    expect(formatAmount(123456, 'EUR', 'de').replace(/\s/g, ' ')).toBe('1.234,56 €');
    expect(formatAmount(123456, 'EUR', 'en')).toBe('€1,234.56');
    expect(formatAmount(5, 'GBP', 'en')).toBe('£0.05');
  });
  it('round-trips through the input field', () => {
    for (const cents of [1, 99, 1750, 123456]) {
      expect(parseAmount(amountToInput(cents, 'de'), 'de')).toEqual({ ok: true, cents });
      expect(parseAmount(amountToInput(cents, 'en'), 'en')).toEqual({ ok: true, cents });
    }
  });
});
