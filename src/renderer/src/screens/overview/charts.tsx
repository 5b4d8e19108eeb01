import type { KeyboardEvent } from 'react';
import { INTL_LOCALE, type UiLanguage } from '../../../../shared/i18n';
import { dayIso } from './ranges';

/**
 * Plain SVG charts (no chart library: three kinds of bars do not need 100 KB). Colours come from
 * the stylesheet's custom properties, so they follow dark mode; every label goes through Intl.
 */

const WIDTH = 720;
const HEIGHT = 190;
const PLOT_TOP = 10;
const PLOT_BOTTOM = 160;
const PLOT_LEFT = 64;
const PLOT_RIGHT = WIDTH - 8;

export interface Bar {
  key: string;
  /** Label under the bar (only some are shown when there are many). */
  label: string;
  /** Full text for screen readers and the tooltip. */
  description: string;
  value: number;
}

/** Rounds a maximum up to 1, 2 or 5 × a power of ten, for an axis that reads easily. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 5, 10].find((factor) => factor * power >= value) ?? 10;
  return step * power;
}

export function BarChart({ bars, title, axisLabel, onPick, testId }: {
  bars: Bar[];
  title: string;
  /** Formats a value for the axis. */
  axisLabel: (value: number) => string;
  /** When set, each bar is a button. */
  onPick?: (key: string) => void;
  testId: string;
}) {
  const max = niceMax(Math.max(0, ...bars.map((bar) => bar.value)));
  const slot = (PLOT_RIGHT - PLOT_LEFT) / Math.max(1, bars.length);
  const barWidth = Math.max(2, Math.min(36, slot * 0.7));
  const labelEvery = Math.ceil(bars.length / 10);
  const y = (value: number) => PLOT_BOTTOM - (value / max) * (PLOT_BOTTOM - PLOT_TOP);
  const onKey = (event: KeyboardEvent, key: string) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onPick?.(key);
    }
  };
  return (
    <svg className="ov-chart" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role={onPick ? 'group' : 'img'} aria-label={title} data-testid={testId}>
      {[0, 0.5, 1].map((share) => (
        <g key={share} className="ov-grid">
          <line x1={PLOT_LEFT} x2={PLOT_RIGHT} y1={y(max * share)} y2={y(max * share)} />
          <text x={PLOT_LEFT - 6} y={y(max * share) + 4} textAnchor="end">{axisLabel(max * share)}</text>
        </g>
      ))}
      {bars.map((bar, index) => {
        const x = PLOT_LEFT + index * slot + (slot - barWidth) / 2;
        const top = y(bar.value);
        const interactive = onPick !== undefined && bar.value > 0;
        return (
          <g key={bar.key} className={interactive ? 'ov-bar interactive' : 'ov-bar'}
            {...(interactive
              ? { role: 'button', tabIndex: 0, 'aria-label': bar.description, onClick: () => onPick(bar.key), onKeyDown: (e: KeyboardEvent) => onKey(e, bar.key) }
              : { 'aria-hidden': onPick ? true : undefined })}
            data-key={bar.key}>
            <title>{bar.description}</title>
            {/* A full-height hit area, so a small bar is easy to click. */}
            <rect className="ov-bar-hit" x={PLOT_LEFT + index * slot} y={PLOT_TOP} width={slot} height={PLOT_BOTTOM - PLOT_TOP} />
            <rect className="ov-bar-fill" x={x} y={top} width={barWidth} height={Math.max(bar.value > 0 ? 1.5 : 0, PLOT_BOTTOM - top)} rx={2} />
            {index % labelEvery === 0 && (
              <text className="ov-axis" x={x + barWidth / 2} y={PLOT_BOTTOM + 18} textAnchor="middle">{bar.label}</text>
            )}
          </g>
        );
      })}
      <line className="ov-baseline" x1={PLOT_LEFT} x2={PLOT_RIGHT} y1={PLOT_BOTTOM} y2={PLOT_BOTTOM} />
    </svg>
  );
}

const shortDayFormats = new Map<UiLanguage, Intl.DateTimeFormat>();

/** "12 Mar" / "12. März". */
export function shortDay(day: string, lang: UiLanguage): string {
  let format = shortDayFormats.get(lang);
  if (!format) shortDayFormats.set(lang, (format = new Intl.DateTimeFormat(INTL_LOCALE[lang], { day: 'numeric', month: 'short' })));
  return format.format(new Date(dayIso(day)));
}

/** "09:00" in both languages (24-hour clocks). */
export function hourLabel(hour: number, lang: UiLanguage): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[lang], { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(2000, 0, 1, hour));
}

/** Axis money without cents: "1.200 €" / "€1,200", compact for large sums ("12.000 €" → "12.000 €", "1,2 Mio. €"). */
export function axisMoney(cents: number, currency: string, lang: UiLanguage): string {
  return new Intl.NumberFormat(INTL_LOCALE[lang], {
    style: 'currency', currency, maximumFractionDigits: 0, ...(cents >= 100_000_00 ? { notation: 'compact' } : {}),
  }).format(cents / 100);
}

/** "10 minutes", "3 hours", "2 days" / "10 Minuten", … from milliseconds. */
export function durationText(ms: number, lang: UiLanguage): string {
  const minutes = ms / 60_000;
  const [value, unit] = minutes < 1 ? [ms / 1000, 'second'] : minutes < 120 ? [minutes, 'minute'] : minutes < 48 * 60 ? [minutes / 60, 'hour'] : [minutes / 1440, 'day'];
  return new Intl.NumberFormat(INTL_LOCALE[lang], { style: 'unit', unit, unitDisplay: 'long', maximumFractionDigits: unit === 'minute' || unit === 'second' ? 0 : 1 }).format(value);
}

export function percentText(share: number, lang: UiLanguage): string {
  return new Intl.NumberFormat(INTL_LOCALE[lang], { style: 'percent', maximumFractionDigits: 0 }).format(share);
}
