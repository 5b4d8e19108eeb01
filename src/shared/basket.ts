import { z } from 'zod';
import { MAX_AMOUNT_CENTS } from './money';

/**
 * Quick-pick items and the basket a counter link can carry. Prices are gross (VAT included), as a
 * German counter quotes them; the VAT split is worked out from the gross sum per rate.
 */

/** The German VAT rates a small shop meets: standard, reduced, none. */
export const VAT_RATES = [19, 7, 0] as const;
export const VatRateSchema = z.union([z.literal(19), z.literal(7), z.literal(0)], { message: 'basket.vat_rate' });
export type VatRate = z.infer<typeof VatRateSchema>;

export const ITEM_NAME_MAX = 60;
export const MAX_QUICK_ITEMS = 30;
/** Item buttons 1–9 have a key each. */
export const QUICK_ITEM_KEYS = 9;
export const MAX_BASKET_LINES = 50;
export const MAX_LINE_QUANTITY = 999;

const ItemNameSchema = z.string().trim()
  .min(1, { message: 'validation.required' })
  .max(ITEM_NAME_MAX, { message: 'validation.too_long' })
  .refine((v) => !/[\u0000-\u001f]/.test(v), { message: 'validation.reference' });

const PriceCentsSchema = z.number({ message: 'amount.invalid' }).int({ message: 'amount.too_many_decimals' })
  .positive({ message: 'amount.not_positive' }).max(MAX_AMOUNT_CENTS, { message: 'amount.too_large' });

/** One quick-pick item as Settings keeps it; `id` keeps a basket line tied to it while the list is edited. */
export const QuickItemSchema = z.object({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/),
  name: ItemNameSchema,
  priceCents: PriceCentsSchema,
  vatRate: VatRateSchema,
}).strict();
export type QuickItem = z.infer<typeof QuickItemSchema>;

export const QuickItemsSchema = z.array(QuickItemSchema).max(MAX_QUICK_ITEMS, { message: 'basket.too_many_items' });

/**
 * One basket line as the New-link form sends it. A free line (an amount typed at the counter) has
 * no `itemId`; the form names it with the catalog's "Amount" in the payment page's language.
 */
export const BasketLineSchema = z.object({
  itemId: z.string().max(40).optional(),
  name: ItemNameSchema,
  quantity: z.number().int().min(1).max(MAX_LINE_QUANTITY),
  unitPriceCents: PriceCentsSchema,
  vatRate: VatRateSchema,
}).strict();
export type BasketLine = z.infer<typeof BasketLineSchema>;

export const BasketSchema = z.array(BasketLineSchema).min(1).max(MAX_BASKET_LINES, { message: 'basket.too_many_lines' });

/**
 * A basket line as a history record keeps it. Looser than the form's: a link made elsewhere on the
 * account can carry longer names and other VAT rates, and the history shows them as they are.
 */
export const RecordedBasketLineSchema = z.object({
  itemId: z.string().optional(),
  name: z.string(),
  quantity: z.number().int().positive(),
  unitPriceCents: z.number().int(),
  vatRate: z.number().min(0).max(100),
});
export type RecordedBasketLine = z.infer<typeof RecordedBasketLineSchema>;

export const lineTotalCents = (line: Pick<BasketLine, 'quantity' | 'unitPriceCents'>): number => line.quantity * line.unitPriceCents;

export function basketTotalCents(lines: ReadonlyArray<Pick<BasketLine, 'quantity' | 'unitPriceCents'>>): number {
  return lines.reduce((sum, line) => sum + lineTotalCents(line), 0);
}

export interface VatShare {
  rate: number;
  grossCents: number;
  netCents: number;
  vatCents: number;
}

/**
 * The VAT contained in the gross sums, one share per rate that occurs, highest rate first. Rounded
 * once per rate (not per line), the way a till receipt shows it.
 */
export function vatSplit(lines: ReadonlyArray<Pick<RecordedBasketLine, 'quantity' | 'unitPriceCents' | 'vatRate'>>): VatShare[] {
  const rates = [...new Set(lines.map((line) => line.vatRate))].sort((a, b) => b - a);
  return rates.flatMap((rate) => {
    const grossCents = basketTotalCents(lines.filter((line) => line.vatRate === rate));
    if (grossCents === 0) return [];
    const vatCents = Math.round((grossCents * rate) / (100 + rate));
    return [{ rate, grossCents, netCents: grossCents - vatCents, vatCents }];
  });
}

/** The shares a receipt or a basket shows: those with VAT in them (a 0 % line has none to state). */
export function vatContained(lines: ReadonlyArray<Pick<RecordedBasketLine, 'quantity' | 'unitPriceCents' | 'vatRate'>>): VatShare[] {
  return vatSplit(lines).filter((share) => share.vatCents !== 0);
}

/** A free line starts at the standard rate (most counter sales); the basket lets the merchant change it. */
export const FREE_LINE_VAT_RATE: VatRate = 19;

/** An amount typed at the counter as a basket line, named for the payer (see {@link BasketLineSchema}). */
export function freeLine(name: string, cents: number): BasketLine {
  return { name, quantity: 1, unitPriceCents: cents, vatRate: FREE_LINE_VAT_RATE };
}

/**
 * Adds one of an item: a second tap on the same item raises its quantity instead of adding a line,
 * as on a till. Returns a new array (the renderer keeps the basket as state).
 */
export function addItem(lines: readonly BasketLine[], item: QuickItem): BasketLine[] {
  const index = lines.findIndex((line) => line.itemId === item.id);
  if (index < 0) return [...lines, { itemId: item.id, name: item.name, quantity: 1, unitPriceCents: item.priceCents, vatRate: item.vatRate }];
  return lines.map((line, i) => (i === index ? { ...line, quantity: Math.min(MAX_LINE_QUANTITY, line.quantity + 1) } : line));
}

/** Changes a line's quantity by `delta`; a line that reaches 0 is removed. */
export function changeQuantity(lines: readonly BasketLine[], index: number, delta: number): BasketLine[] {
  return lines.flatMap((line, i) => {
    if (i !== index) return [line];
    const quantity = Math.min(MAX_LINE_QUANTITY, line.quantity + delta);
    return quantity > 0 ? [{ ...line, quantity }] : [];
  });
}
