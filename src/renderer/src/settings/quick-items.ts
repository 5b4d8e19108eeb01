import type { QuickItem } from '../../../shared/basket';
import { amountToInput, parseAmount, type AmountParseFailure, type UiLocale } from '../../../shared/money';

/**
 * The quick-pick list as the Settings form edits it. The draft keeps a price it cannot read as
 * NaN, so that SettingsSchema refuses it at save like every other field of the form.
 */

const ITEM_ID_CHARS = /[^A-Za-z0-9_-]/g;

/** A new item's id, within QuickItemSchema's `^[A-Za-z0-9_-]{1,40}$`. */
export function newItemId(): string {
  return crypto.randomUUID().replace(ITEM_ID_CHARS, '').slice(0, 40);
}

/** A fresh row: nothing typed yet, the standard rate chosen. */
export function blankItem(): QuickItem {
  return { id: newItemId(), name: '', priceCents: Number.NaN, vatRate: 19 };
}

/** The cents a price text means, or NaN for a text that is not a price. */
export function priceFromInput(text: string, locale: UiLocale): number {
  const parsed = parseAmount(text, locale);
  return parsed.ok ? parsed.cents : Number.NaN;
}

/** Why a price text is no price (more precise than the schema's "not a number"), or null. */
export function priceProblem(text: string, locale: UiLocale): AmountParseFailure | null {
  const parsed = parseAmount(text, locale);
  return parsed.ok ? null : parsed.reason;
}

/**
 * What the price field shows: what the person typed while it still means the item's price
 * ("2,5" stays "2,5"), otherwise the price written out ("2,50") or empty.
 */
export function priceText(priceCents: number, typed: string | undefined, locale: UiLocale): string {
  if (typed !== undefined && Object.is(priceFromInput(typed, locale), priceCents)) return typed;
  return Number.isFinite(priceCents) ? amountToInput(priceCents, locale) : '';
}

/** Whether a row holds nothing worth a question before it goes. */
export function isBlank(item: QuickItem, typedPrice: string | undefined): boolean {
  return item.name.trim() === '' && (typedPrice ?? '').trim() === '' && !Number.isFinite(item.priceCents);
}

/** The list with the item at `index` moved by `delta` places; unchanged when that leaves the list. */
export function moveItem<T>(items: readonly T[], index: number, delta: -1 | 1): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  const [moved] = next.splice(index, 1) as [T];
  next.splice(target, 0, moved);
  return next;
}

const ITEM_ERROR_PATH = /^quickItems\.(\d+)\.(.+)$/;

/**
 * Field errors keyed by list position (`quickItems.2.name`) follow their items when the list is
 * reordered or shortened: `previousIndexOf[newIndex]` is where each item was before. Errors of a
 * removed item go; errors of other fields stay as they are.
 */
export function followItemErrors(errors: Readonly<Record<string, string>>, previousIndexOf: readonly number[]): Record<string, string> {
  const newIndexOf = new Map(previousIndexOf.map((previous, index) => [previous, index]));
  const next: Record<string, string> = {};
  for (const [path, message] of Object.entries(errors)) {
    const match = ITEM_ERROR_PATH.exec(path);
    if (!match) {
      next[path] = message;
      continue;
    }
    const index = newIndexOf.get(Number(match[1]));
    if (index !== undefined) next[`quickItems.${index}.${match[2] ?? ''}`] = message;
  }
  return next;
}

/** The list order after moving `index` by `delta`, as previous positions (for `followItemErrors`). */
export function orderAfterMove(length: number, index: number, delta: -1 | 1): number[] {
  return moveItem([...Array(length).keys()], index, delta);
}

/** The list order after removing `index`, as previous positions. */
export function orderAfterRemove(length: number, index: number): number[] {
  return [...Array(length).keys()].filter((i) => i !== index);
}
