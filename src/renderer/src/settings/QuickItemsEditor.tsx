import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { ITEM_NAME_MAX, MAX_QUICK_ITEMS, QUICK_ITEM_KEYS, VAT_RATES, VatRateSchema, type QuickItem } from '../../../shared/basket';
import { useI18n } from '../i18n';
import { Field } from '../components/Field';
import { Dialog } from '../history/Dialog';
import {
  blankItem, followItemErrors, isBlank, moveItem, orderAfterMove, orderAfterRemove, priceFromInput, priceProblem, priceText,
} from './quick-items';
import '../history.css';
import './quick-items.css';

export interface QuickItemsEditorProps {
  items: readonly QuickItem[];
  /** The form's field errors (paths like `quickItems.2.name`), as SettingsSchema reported them at save. */
  errors: Readonly<Record<string, string>>;
  onChange: (items: QuickItem[]) => void;
  /** Lets the errors follow their items when the list is reordered or shortened. */
  onErrorsChange: (change: (errors: Record<string, string>) => Record<string, string>) => void;
}

/** Which control of a row gets focus back after the list changed under it. */
type Part = 'name' | 'price' | 'vat' | 'up' | 'down' | 'remove';

/**
 * Settings' quick-pick items: the buttons (keys 1–9 for the first nine) the New-link screen
 * offers for the basket. Edits go into the form's draft; the form validates and saves them.
 */
export function QuickItemsEditor({ items, errors, onChange, onErrorsChange }: QuickItemsEditorProps) {
  const { t, tKey, lang } = useI18n();
  /** Price texts as typed, per item id ("2,5" is kept while it still means the price). */
  const [typedPrices, setTypedPrices] = useState<Record<string, string>>({});
  const [removing, setRemoving] = useState<string | null>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const addRef = useRef<HTMLButtonElement>(null);
  const focusNext = useRef<{ id: string; part: Part } | 'add' | null>(null);

  useEffect(() => {
    const target = focusNext.current;
    if (target === null) return;
    focusNext.current = null;
    if (target === 'add') return addRef.current?.focus();
    const row = listRef.current?.querySelector(`[data-item-id="${target.id}"]`);
    const wanted = row?.querySelector<HTMLElement>(`[data-part="${target.part}"]:not(:disabled)`);
    // A move button that the move disabled (first or last place) hands focus to its partner.
    const fallback = row?.querySelector<HTMLElement>('[data-part="up"]:not(:disabled), [data-part="down"]:not(:disabled)');
    (wanted ?? fallback)?.focus();
  });

  const err = (index: number, field: string) => {
    const message = errors[`quickItems.${index}.${field}`];
    return message ? tKey(message) : undefined;
  };
  const change = (index: number, patch: Partial<QuickItem>) => onChange(items.map((item, i) => (i === index ? { ...item, ...patch } : item)));

  const move = (index: number, delta: -1 | 1, part: Part) => {
    const item = items[index];
    if (!item || index + delta < 0 || index + delta >= items.length) return;
    focusNext.current = { id: item.id, part };
    onChange(moveItem(items, index, delta));
    onErrorsChange((current) => followItemErrors(current, orderAfterMove(items.length, index, delta)));
  };

  const add = () => {
    const item = blankItem();
    focusNext.current = { id: item.id, part: 'name' };
    onChange([...items, item]);
  };

  const remove = (id: string) => {
    const index = items.findIndex((item) => item.id === id);
    if (index < 0) return;
    const after = items[index + 1] ?? items[index - 1];
    focusNext.current = after ? { id: after.id, part: 'remove' } : 'add';
    setRemoving(null);
    setTypedPrices(({ [id]: _gone, ...rest }) => rest);
    onChange(items.filter((item) => item.id !== id));
    onErrorsChange((current) => followItemErrors(current, orderAfterRemove(items.length, index)));
  };

  const askRemove = (item: QuickItem) => (isBlank(item, typedPrices[item.id]) ? remove(item.id) : setRemoving(item.id));

  const onRowKey = (event: KeyboardEvent<HTMLElement>, index: number) => {
    if (!event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.key !== 'ArrowUp' && event.key !== 'ArrowDown') return;
    // Also keeps a focused select from opening its list (Alt+↓ does that in Chromium).
    event.preventDefault();
    const part = (event.target as HTMLElement).closest<HTMLElement>('[data-part]')?.dataset['part'] as Part | undefined;
    move(index, event.key === 'ArrowUp' ? -1 : 1, part ?? 'name');
  };

  const removingIndex = items.findIndex((item) => item.id === removing);
  const removingItem = items[removingIndex];
  const listError = errors['quickItems'];
  const full = items.length >= MAX_QUICK_ITEMS;

  return (
    <section className="card quick-items-card" aria-labelledby="sec-quick-items">
      <h2 id="sec-quick-items">{t('settings.section.quickItems')}</h2>
      <p className="muted quick-items-hint">{t('settings.quickItems.hint')}</p>
      {items.length === 0 ? (
        <p className="quick-items-empty" data-testid="quick-items-empty">{t('settings.quickItems.empty')}</p>
      ) : (
        <div className="quick-items" ref={listRef} data-testid="quick-items">
          <div className="quick-items-head" aria-hidden="true">
            <span>{t('settings.quickItems.key')}</span>
            <span>{t('settings.quickItems.name')}</span>
            <span>{t('settings.quickItems.price')}</span>
            <span>{t('settings.quickItems.vat')}</span>
          </div>
          {items.map((item, index) => {
            const number = index + 1;
            const hasKey = index < QUICK_ITEM_KEYS;
            const shownPrice = priceText(item.priceCents, typedPrices[item.id], lang);
            const priceError = errors[`quickItems.${index}.priceCents`];
            return (
              <div key={item.id} className="quick-item" role="group" data-testid="quick-item" data-item-id={item.id}
                aria-label={hasKey ? t('settings.quickItems.rowWithKey', { number }) : t('settings.quickItems.row', { number })}
                onKeyDown={(event) => onRowKey(event, index)}>
                <span className="quick-item-key" aria-hidden="true">{hasKey && <kbd data-testid="quick-item-key">{number}</kbd>}</span>
                <Field label={t('settings.quickItems.name')} error={err(index, 'name')} className="quick-item-field quick-item-name">
                  {(f) => (
                    <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} data-part="name" autoComplete="off"
                      maxLength={ITEM_NAME_MAX} value={item.name} onChange={(e) => change(index, { name: e.target.value })} />
                  )}
                </Field>
                <Field label={t('settings.quickItems.price')} error={priceError ? tKey(priceProblem(shownPrice, lang) ?? priceError) : undefined}
                  className="quick-item-field">
                  {(f) => (
                    <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} data-part="price" className="quick-item-price"
                      inputMode="decimal" autoComplete="off" spellCheck={false} placeholder={lang === 'de' ? '0,00' : '0.00'} value={shownPrice}
                      onChange={(e) => {
                        const text = e.target.value;
                        setTypedPrices((current) => ({ ...current, [item.id]: text }));
                        change(index, { priceCents: priceFromInput(text, lang) });
                      }} />
                  )}
                </Field>
                <Field label={t('settings.quickItems.vat')} error={err(index, 'vatRate')} className="quick-item-field">
                  {(f) => (
                    <select id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} data-part="vat" value={item.vatRate}
                      onChange={(e) => {
                        const rate = VatRateSchema.safeParse(Number(e.target.value));
                        if (rate.success) change(index, { vatRate: rate.data });
                      }}>
                      {VAT_RATES.map((rate) => <option key={rate} value={rate}>{t('basket.rate', { rate })}</option>)}
                    </select>
                  )}
                </Field>
                <div className="quick-item-actions">
                  <button type="button" className="button secondary quick-item-move" data-part="up" disabled={index === 0}
                    aria-label={t('settings.quickItems.moveUp')} title={t('settings.quickItems.moveUp.title')} onClick={() => move(index, -1, 'up')}>
                    <span aria-hidden="true">↑</span>
                  </button>
                  <button type="button" className="button secondary quick-item-move" data-part="down" disabled={index === items.length - 1}
                    aria-label={t('settings.quickItems.moveDown')} title={t('settings.quickItems.moveDown.title')} onClick={() => move(index, 1, 'down')}>
                    <span aria-hidden="true">↓</span>
                  </button>
                  <button type="button" className="button secondary quick-item-remove" data-part="remove"
                    aria-label={t('settings.quickItems.remove')} title={t('settings.quickItems.remove')} onClick={() => askRemove(item)}>
                    <span aria-hidden="true">✕</span>
                  </button>
                </div>
              </div>
            );
          })}
        </div>
      )}
      {listError && <p className="field-error" role="alert">{tKey(listError)}</p>}
      <div className="quick-items-add">
        <button type="button" ref={addRef} className="button secondary" disabled={full} onClick={add} data-testid="quick-items-add">
          <span aria-hidden="true">+</span> {t('settings.quickItems.add')}
        </button>
        {full && <span className="field-hint">{t('basket.too_many_items')}</span>}
      </div>

      {removingItem && (
        <Dialog
          title={removingItem.name.trim() !== ''
            ? t('settings.quickItems.remove.title', { name: removingItem.name.trim() })
            : t('settings.quickItems.remove.titleUnnamed', { number: removingIndex + 1 })}
          tone="danger"
          testId="quick-item-remove-dialog"
          onClose={() => setRemoving(null)}
          footer={
            <>
              <button type="button" className="button secondary" onClick={() => setRemoving(null)}>{t('settings.quickItems.remove.keep')}</button>
              <button type="button" className="button primary danger-fill" onClick={() => remove(removingItem.id)} data-testid="dialog-confirm">
                {t('settings.quickItems.remove')}
              </button>
            </>
          }>
          <p>{t('settings.quickItems.remove.body')}</p>
        </Dialog>
      )}
    </section>
  );
}
