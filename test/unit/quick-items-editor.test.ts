import { describe, expect, it } from 'vitest';
import { QuickItemSchema, type QuickItem } from '../../src/shared/basket';
import {
  blankItem, followItemErrors, isBlank, moveItem, newItemId, orderAfterMove, orderAfterRemove, priceFromInput, priceProblem, priceText,
} from '../../src/renderer/src/settings/quick-items';

const item = (id: string, name: string, priceCents: number): QuickItem => ({ id, name, priceCents, vatRate: 19 });

describe('quick-pick items in the settings form', () => {
  it('gives new items distinct ids that the settings schema accepts', () => {
    const ids = new Set(Array.from({ length: 50 }, () => newItemId()));
    expect(ids.size).toBe(50);
    for (const id of ids) expect(QuickItemSchema.shape.id.safeParse(id).success, id).toBe(true);
  });

  it('starts a new row empty, which the schema refuses until name and price are typed', () => {
    const row = blankItem();
    expect(row).toMatchObject({ name: '', vatRate: 19 });
    expect(isBlank(row, undefined)).toBe(true);
    const issues = QuickItemSchema.safeParse(row).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues).toEqual(expect.arrayContaining(['name', 'priceCents']));
  });

  it('reads prices in the UI language and keeps an unreadable one as NaN', () => {
    expect(priceFromInput('2,50', 'de')).toBe(250);
    expect(priceFromInput('1.234,5', 'de')).toBe(123450);
    expect(priceFromInput('2.50', 'en')).toBe(250);
    expect(priceFromInput('zwei', 'de')).toBeNaN();
    expect(priceFromInput('', 'en')).toBeNaN();
    expect(priceProblem('2,555', 'de')).toBe('amount.too_many_decimals');
    expect(priceProblem('-3', 'en')).toBe('amount.not_positive');
    expect(priceProblem('3', 'en')).toBeNull();
  });

  it('shows what was typed while it means the price, otherwise the price written out', () => {
    expect(priceText(250, '2,5', 'de')).toBe('2,5');
    expect(priceText(Number.NaN, '2,5x', 'de')).toBe('2,5x');
    // The draft was replaced (saved, reloaded): the typed text no longer applies.
    expect(priceText(390, '2,5', 'de')).toBe('3,90');
    expect(priceText(390, undefined, 'en')).toBe('3.90');
    expect(priceText(Number.NaN, undefined, 'de')).toBe('');
  });

  it('treats a row with a name or a typed price as worth asking about before removing', () => {
    expect(isBlank(item('a', 'Brezel', Number.NaN), undefined)).toBe(false);
    expect(isBlank(item('a', '', Number.NaN), 'abc')).toBe(false);
    expect(isBlank(item('a', ' ', 120), undefined)).toBe(false);
  });

  it('moves an item one place and leaves the list alone at its ends', () => {
    const list = ['a', 'b', 'c'];
    expect(moveItem(list, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveItem(list, 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(list, 0, -1)).toEqual(list);
    expect(moveItem(list, 2, 1)).toEqual(list);
    expect(list).toEqual(['a', 'b', 'c']);
  });

  it('lets field errors follow their item through a move and a removal', () => {
    const errors = { 'quickItems.0.name': 'validation.required', 'quickItems.2.priceCents': 'amount.invalid', clientId: 'validation.client_id' };
    expect(followItemErrors(errors, orderAfterMove(3, 2, -1))).toEqual({
      'quickItems.0.name': 'validation.required', 'quickItems.1.priceCents': 'amount.invalid', clientId: 'validation.client_id',
    });
    expect(followItemErrors(errors, orderAfterRemove(3, 0))).toEqual({
      'quickItems.1.priceCents': 'amount.invalid', clientId: 'validation.client_id',
    });
  });
});
