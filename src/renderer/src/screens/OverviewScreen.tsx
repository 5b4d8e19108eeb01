import { useEffect, useRef, useState } from 'react';
import '../overview.css';
import { call, subscribe } from '../api';
import { useI18n } from '../i18n';
import { ErrorBanner } from '../components/ErrorBanner';
import { methodLabel } from '../../../shared/i18n/labels';
import { OVERVIEW_STATUS_FILTERS, type Overview, type OverviewCurrency, type OverviewFigure } from '../../../shared/overview';
import type { AppError } from '../../../shared/errors';
import type { SettingsView } from '../../../shared/settings';
import { BarChart, axisMoney, durationText, hourLabel, percentText, shortDay } from './overview/charts';
import { RANGE_KINDS, daysBetween, dayIso, rangeFor, type DayRange, type RangeKind } from './overview/ranges';
import { PaymentSummary, loadPaidLinks, type SummaryData } from './overview/PaymentSummary';
import { printNow } from './overview/print';

/** What the history should list when a figure or bar is clicked. */
export interface HistoryFilterRequest {
  from: string;
  to: string;
  statuses: string[];
}

export interface OverviewScreenProps {
  view: SettingsView | null;
  onOpenHistory: (filters: HistoryFilterRequest) => void;
}

const RANGE_LABELS = {
  today: 'overview.range.today',
  yesterday: 'overview.range.yesterday',
  week: 'overview.range.week',
  month: 'overview.range.month',
  custom: 'overview.range.custom',
} as const;

/** A payment arriving changes the figures: they are fetched again, at most this often. */
const REFRESH_AFTER_CHANGE_MS = 1_000;

export function OverviewScreen({ view, onOpenHistory }: OverviewScreenProps) {
  const { t, lang } = useI18n();
  const [kind, setKind] = useState<RangeKind>('today');
  const [custom, setCustom] = useState<DayRange>(() => rangeFor('month', new Date()));
  const [overview, setOverview] = useState<Overview | null>(null);
  const [error, setError] = useState<AppError | null>(null);
  const [reloadToken, setReloadToken] = useState(0);
  const [summary, setSummary] = useState<SummaryData | null>(null);
  const [preparing, setPreparing] = useState(false);
  const range = kind === 'custom' ? custom : rangeFor(kind, new Date());
  const rangeInvalid = kind === 'custom' && (custom.from === '' || custom.to === '' || custom.from > custom.to);
  const requestSeq = useRef(0);

  useEffect(() => {
    if (rangeInvalid) return;
    const seq = ++requestSeq.current;
    void call('overview.get', { from: range.from, to: range.to }).then((result) => {
      if (seq !== requestSeq.current) return;
      if (result.ok) {
        setOverview(result.value);
        setError(null);
      } else setError(result.error);
    });
  }, [range.from, range.to, rangeInvalid, reloadToken]);

  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    const stop = subscribe((event) => {
      if (event.type !== 'link.updated' || timer) return;
      timer = setTimeout(() => {
        timer = null;
        setReloadToken((n) => n + 1);
      }, REFRESH_AFTER_CHANGE_MS);
    });
    return () => {
      stop();
      if (timer) clearTimeout(timer);
    };
  }, []);

  const openFigure = (figure: OverviewFigure | 'created', from = range.from, to = range.to) =>
    onOpenHistory({ from, to, statuses: figure === 'created' ? [] : [...OVERVIEW_STATUS_FILTERS[figure]] });

  const printSummary = async () => {
    if (!overview) return;
    setPreparing(true);
    const links = await loadPaidLinks(overview.from, overview.to);
    setPreparing(false);
    if (!links.ok) {
      setError(links.error);
      return;
    }
    setSummary({ overview, links: links.value, merchantName: view?.settings.merchantName ?? '', printedAt: new Date().toISOString() });
  };
  useEffect(() => {
    if (summary) void printNow({ name: `${t('summary.title')} ${summary.overview.from}_${summary.overview.to}` });
  }, [summary, t]);

  const shown = overview && overview.from === range.from && overview.to === range.to ? overview : null;
  return (
    <div className="screen overview-screen" aria-labelledby="overview-title">
      <header className="screen-header overview-header">
        <div>
          <h1 id="overview-title">{t('overview.title')}</h1>
          <p className="subtitle">{t('overview.subtitle')}</p>
        </div>
        <button type="button" className="button secondary" onClick={() => void printSummary()} disabled={!shown || preparing} data-testid="print-summary">
          {t('overview.printSummary')}
        </button>
      </header>

      <section className="card ov-ranges" aria-label={t('overview.range')}>
        <div className="segmented" role="radiogroup" aria-label={t('overview.range')}>
          {RANGE_KINDS.map((choice) => (
            <button key={choice} type="button" role="radio" aria-checked={kind === choice} className={kind === choice ? 'active' : undefined}
              onClick={() => setKind(choice)} data-testid={`range-${choice}`}>
              {t(RANGE_LABELS[choice])}
            </button>
          ))}
        </div>
        {kind === 'custom' && (
          <div className="ov-custom">
            <div className={`field${rangeInvalid ? ' has-error' : ''}`}>
              <label htmlFor="overview-from">{t('history.filter.from')}</label>
              <input id="overview-from" type="date" value={custom.from} max={custom.to || undefined}
                onChange={(e) => setCustom((c) => ({ ...c, from: e.target.value }))} />
            </div>
            <div className={`field${rangeInvalid ? ' has-error' : ''}`}>
              <label htmlFor="overview-to">{t('history.filter.to')}</label>
              <input id="overview-to" type="date" value={custom.to} min={custom.from || undefined} aria-invalid={rangeInvalid || undefined}
                onChange={(e) => setCustom((c) => ({ ...c, to: e.target.value }))} />
            </div>
            {rangeInvalid && <p className="field-error" role="alert">{t('validation.date_range')}</p>}
          </div>
        )}
        <p className="ov-range-text" data-testid="range-text">{rangeText(range, lang, t)}</p>
      </section>

      {error && <ErrorBanner error={error} testId="overview-error" />}
      {!shown && !error && !rangeInvalid && <p className="loading">{t('app.loading')}</p>}
      {shown && shown.currencies.length === 0 && (
        <div className="card ov-empty" data-testid="overview-empty"><p>{t('overview.empty')}</p></div>
      )}
      {shown?.currencies.map((figures) => (
        <CurrencySection key={figures.currency} overview={shown} figures={figures} showCurrency={shown.currencies.length > 1}
          onFigure={openFigure} />
      ))}
      {/* The prepared summary belongs to its range (and is what Ctrl+P prints meanwhile). */}
      {summary && summary.overview.from === range.from && summary.overview.to === range.to && <PaymentSummary data={summary} />}
    </div>
  );
}

function rangeText(range: DayRange, lang: 'de' | 'en', t: ReturnType<typeof useI18n>['t']): string {
  const format = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'full' });
  if (range.from === range.to) return format.format(new Date(dayIso(range.from)));
  return t('overview.rangeText', { from: format.format(new Date(dayIso(range.from))), to: format.format(new Date(dayIso(range.to))) });
}

function CurrencySection({ overview, figures, showCurrency, onFigure }: {
  overview: Overview;
  figures: OverviewCurrency;
  showCurrency: boolean;
  onFigure: (figure: OverviewFigure | 'created', from?: string, to?: string) => void;
}) {
  const { t, lang, money, count } = useI18n();
  const { currency } = figures;
  const dayValues = new Map(overview.days.items.filter((d) => d.currency === currency).map((d) => [d.day, d]));
  const dayBars = daysBetween(overview.days.from, overview.days.to).map((day) => {
    const value = dayValues.get(day);
    const cents = value?.cents ?? 0;
    return {
      key: day,
      label: shortDay(day, lang),
      description: t('overview.chart.dayBar', { day: shortDay(day, lang), amount: money(cents, currency), links: t('overview.links', { count: value?.count ?? 0 }) }),
      value: cents,
    };
  });
  const hours = overview.hours?.filter((h) => h.currency === currency) ?? null;
  const hourBars = hours === null ? null : Array.from({ length: 24 }, (_, hour) => {
    const value = hours.find((h) => h.hour === hour);
    return {
      key: String(hour),
      label: hourLabel(hour, lang),
      description: t('overview.chart.hourBar', { hour: hourLabel(hour, lang), payments: t('overview.payments', { count: value?.count ?? 0 }), amount: money(value?.cents ?? 0, currency) }),
      value: value?.count ?? 0,
    };
  });
  const paidTotal = Math.max(1, figures.paid.cents);
  const figure = (name: OverviewFigure | 'created', label: string, value: { count: number; cents: number }, tone: string) => (
    <button type="button" className={`ov-figure tone-${tone}`} onClick={() => onFigure(name)} data-testid={`figure-${name}`}
      title={t('overview.figure.open', { label, links: t('overview.links', { count: value.count }), amount: money(value.cents, currency) })}>
      <span className="ov-figure-label">{label}</span>
      <span className="ov-figure-amount">{money(value.cents, currency)}</span>
      <span className="ov-figure-count">{t('overview.links', { count: value.count })}</span>
    </button>
  );
  return (
    <section className="ov-currency" aria-label={currency} data-currency={currency}>
      {showCurrency && <h2 className="ov-currency-title">{currency}</h2>}
      <div className="ov-figures">
        {figure('paid', t('overview.figure.paid'), figures.paid, 'paid')}
        {figure('waiting', t('overview.figure.waiting'), figures.waiting, 'waiting')}
        {figure('failed', t('overview.figure.failed'), figures.failed, 'failed')}
        {figure('cancelled', t('overview.figure.cancelled'), figures.cancelled, 'cancelled')}
        {figure('created', t('overview.figure.created'), figures.created, 'neutral')}
      </div>
      <dl className="ov-facts">
        <div>
          <dt>{t('overview.fact.sharePaid')}</dt>
          <dd data-testid="fact-share">{figures.sharePaid === null ? '–' : percentText(figures.sharePaid, lang)}</dd>
        </div>
        <div>
          <dt>{t('overview.fact.median')}</dt>
          <dd data-testid="fact-median">{figures.medianPaidAfterMs === null ? '–' : durationText(figures.medianPaidAfterMs, lang)}</dd>
        </div>
        <div>
          <dt>{t('overview.fact.refunded')}</dt>
          <dd data-testid="fact-refunded">{money(figures.refundedCents, currency)}</dd>
        </div>
      </dl>

      <div className="ov-charts">
        <figure className="card ov-chart-card ov-wide">
          <figcaption>
            <h2>{t('overview.chart.days')}</h2>
            <p className="ov-chart-hint">{t('overview.chart.days.hint', { from: shortDay(overview.days.from, lang), to: shortDay(overview.days.to, lang) })}</p>
          </figcaption>
          <BarChart bars={dayBars} title={t('overview.chart.days')} axisLabel={(cents) => axisMoney(cents, currency, lang)}
            onPick={(day) => onFigure('paid', day, day)} testId="chart-days" />
        </figure>
        {hourBars && (
          <figure className="card ov-chart-card ov-wide">
            <figcaption><h2>{t('overview.chart.hours')}</h2></figcaption>
            <BarChart bars={hourBars} title={t('overview.chart.hours')} axisLabel={(value) => count(Math.round(value))} testId="chart-hours" />
            <table className="ov-sr-only">
              <caption>{t('overview.chart.hours')}</caption>
              <thead><tr><th scope="col">{t('overview.table.hour')}</th><th scope="col">{t('overview.table.payments')}</th><th scope="col">{t('overview.table.amount')}</th></tr></thead>
              <tbody>
                {hours?.map((h) => (
                  <tr key={h.hour}><td>{hourLabel(h.hour, lang)}</td><td>{count(h.count)}</td><td>{money(h.cents, currency)}</td></tr>
                ))}
              </tbody>
            </table>
          </figure>
        )}
        <figure className="card ov-chart-card">
          <figcaption><h2>{t('overview.chart.methods')}</h2></figcaption>
          {figures.byMethod.length === 0 ? (
            <p className="ov-chart-hint">{t('overview.chart.none')}</p>
          ) : (
            <ul className="ov-mix" data-testid="method-mix">
              {figures.byMethod.map((entry) => (
                <li key={entry.method}>
                  <span className="ov-mix-label">{entry.method === 'unknown' ? t('overview.method.unknown') : methodLabel(t, entry.method)}</span>
                  <span className="ov-mix-bar" aria-hidden="true"><span style={{ width: `${(entry.cents / paidTotal) * 100}%` }} /></span>
                  <span className="ov-mix-value">
                    {money(entry.cents, currency)} · {t('overview.links', { count: entry.count })} · {percentText(entry.cents / paidTotal, lang)}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </figure>
        {figures.byDesk.length > 0 && (figures.byDesk.length > 1 || figures.byDesk[0]?.origin !== 'this-desk') && (
          <figure className="card ov-chart-card">
            <figcaption><h2>{t('overview.chart.desks')}</h2></figcaption>
            <ul className="ov-mix" data-testid="desk-mix">
              {figures.byDesk.map((entry) => (
                <li key={`${entry.origin}|${entry.deskName ?? ''}`}>
                  <span className="ov-mix-label">{deskLabel(t, entry.origin, entry.deskName)}</span>
                  <span className="ov-mix-bar" aria-hidden="true"><span style={{ width: `${(entry.cents / paidTotal) * 100}%` }} /></span>
                  <span className="ov-mix-value">{money(entry.cents, currency)} · {t('overview.links', { count: entry.count })}</span>
                </li>
              ))}
            </ul>
          </figure>
        )}
        {figures.topItems.length > 0 && (
          <figure className="card ov-chart-card" data-testid="overview-items">
            <figcaption><h2>{t('overview.items.title')}</h2></figcaption>
            <ul className="ov-mix">
              {figures.topItems.map((item) => (
                <li key={item.name}>
                  <span className="ov-mix-label">{item.name}</span>
                  <span className="ov-mix-bar" aria-hidden="true"><span style={{ width: `${(item.cents / paidTotal) * 100}%` }} /></span>
                  <span className="ov-mix-value">{money(item.cents, currency)} · {t('overview.items.sold', { count: item.quantity })}</span>
                </li>
              ))}
            </ul>
            <table className="ov-vat" data-testid="overview-vat">
              <caption>{t('overview.vat.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('overview.vat.rate')}</th><th scope="col">{t('overview.vat.gross')}</th>
                  <th scope="col">{t('overview.vat.net')}</th><th scope="col">{t('overview.vat.vat')}</th>
                </tr>
              </thead>
              <tbody>
                {figures.vat.map((share) => (
                  <tr key={share.rate}>
                    <th scope="row">{t('basket.rate', { rate: share.rate })}</th><td>{money(share.grossCents, currency)}</td>
                    <td>{money(share.netCents, currency)}</td><td>{money(share.vatCents, currency)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {figures.withoutItemsCents > 0 && (
              <p className="ov-chart-hint">{t('overview.vat.without_items', { amount: money(figures.withoutItemsCents, currency) })}</p>
            )}
          </figure>
        )}
      </div>
    </section>
  );
}

function deskLabel(t: ReturnType<typeof useI18n>['t'], origin: string, deskName: string | null): string {
  if (origin === 'elsewhere') return t('overview.desk.elsewhere');
  if (deskName) return deskName;
  return origin === 'this-desk' ? t('overview.desk.this') : t('overview.desk.other');
}

