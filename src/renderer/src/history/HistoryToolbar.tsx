import type { Ref } from 'react';
import { statusLabel } from '../../../shared/i18n/labels';
import { useI18n } from '../i18n';
import type { HistoryFilters } from './use-history';
import { shortcutLabel } from '../shortcuts';

/**
 * The statuses a merchant filters by, in the order they think of them. No "authorised": links
 * are created with auto capture, so the API never leaves them there.
 */
export const FILTER_STATUSES = ['created', 'pending', 'ok', 'needs_shipping', 'failed', 'cancelled', 'create_failed'] as const;

export interface HistoryToolbarProps {
  filters: HistoryFilters;
  onChange: (update: (previous: HistoryFilters) => HistoryFilters) => void;
  searchRef: Ref<HTMLInputElement>;
  dateRangeInvalid: boolean;
  filtersActive: boolean;
}

export function HistoryToolbar({ filters, onChange, searchRef, dateRangeInvalid, filtersActive }: HistoryToolbarProps) {
  const { t } = useI18n();
  const toggleStatus = (status: string) =>
    onChange((f) => ({ ...f, statuses: f.statuses.includes(status) ? f.statuses.filter((s) => s !== status) : [...f.statuses, status] }));
  return (
    <section className="history-toolbar card" aria-label={t('history.filters')}>
      <div className="history-search-row">
        <div className="field history-search">
          <label htmlFor="history-search">{t('history.search')}</label>
          <input
            id="history-search"
            ref={searchRef}
            type="search"
            autoComplete="off"
            spellCheck={false}
            placeholder={t('history.search.placeholder')}
            value={filters.search}
            aria-keyshortcuts="/ Control+F"
            onChange={(e) => onChange((f) => ({ ...f, search: e.target.value }))}
          />
        </div>
        <div className={`field history-date${dateRangeInvalid ? ' has-error' : ''}`}>
          <label htmlFor="history-from">{t('history.filter.from')}</label>
          <input id="history-from" type="date" value={filters.from} max={filters.to || undefined}
            onChange={(e) => onChange((f) => ({ ...f, from: e.target.value }))} />
        </div>
        <div className={`field history-date${dateRangeInvalid ? ' has-error' : ''}`}>
          <label htmlFor="history-to">{t('history.filter.to')}</label>
          <input id="history-to" type="date" value={filters.to} min={filters.from || undefined}
            aria-invalid={dateRangeInvalid || undefined} aria-describedby={dateRangeInvalid ? 'history-date-error' : undefined}
            onChange={(e) => onChange((f) => ({ ...f, to: e.target.value }))} />
        </div>
      </div>
      {dateRangeInvalid && (
        <p className="field-error" id="history-date-error" role="alert">
          {t('validation.date_range')}
        </p>
      )}
      <div className="history-chips-row">
        <div className="history-chips" role="group" aria-label={t('history.filter.status')}>
          <span className="chips-label" aria-hidden="true">{t('history.filter.status')}</span>
          {FILTER_STATUSES.map((status) => {
            const on = filters.statuses.includes(status);
            return (
              <button key={status} type="button" className={on ? `chip on chip-${status}` : `chip chip-${status}`} aria-pressed={on}
                onClick={() => toggleStatus(status)} data-testid={`filter-${status}`}>
                {statusLabel(t, status)}
              </button>
            );
          })}
        </div>
        {filtersActive && (
          <button type="button" className="button link" onClick={() => onChange(() => ({ search: '', statuses: [], from: '', to: '' }))}>
            {t('history.filter.clear')}
          </button>
        )}
      </div>
      <p className="history-keys muted">{t('history.keys', { find: shortcutLabel('f') })}</p>
    </section>
  );
}
