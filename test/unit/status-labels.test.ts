import { describe, expect, it } from 'vitest';
import { KNOWN_STATUSES } from '../../src/shared/status';
import { HISTORY_PSEUDO_STATUSES } from '../../src/shared/history-query';
import { csvStatusLabel } from '../../src/shared/csv';
import { translator, UI_LANGUAGES } from '../../src/shared/i18n';
import { statusLabel } from '../../src/shared/i18n/labels';
import { outcomeNotification } from '../../src/main/notifications';
import { makeLinkRecord } from '../fixtures/history-records';

describe('one label per status', () => {
  it.each(UI_LANGUAGES)('screen, CSV and notification say the same in %s', (language) => {
    const t = translator(language);
    const labels = new Set<string>();
    for (const status of KNOWN_STATUSES) {
      const label = statusLabel(t, status);
      labels.add(label);
      expect(csvStatusLabel({ state: 'created', status }, language), status).toBe(label);
      if (status === 'failed') {
        expect(outcomeNotification(makeLinkRecord({ merchantRef: 'm', status, isDemo: false }), 'failed', language).title).toBe(label);
      }
      if (['ok', 'received', 'shipped', 'collection', 'collected'].includes(status)) {
        expect(outcomeNotification(makeLinkRecord({ merchantRef: 'm', status, isDemo: false }), 'paid', language).title, status).toBe(label);
      }
    }
    for (const status of HISTORY_PSEUDO_STATUSES) labels.add(statusLabel(t, status));
    // No two statuses read alike, and none is left without its own text.
    expect(labels.size).toBe(KNOWN_STATUSES.length + HISTORY_PSEUDO_STATUSES.length);
    expect(labels.has(t('status.unknown'))).toBe(false);
  });

  it('reads the order-flow states as paid, ready to ship or to pick up (API-NOTES §5.1), never as debt collection', () => {
    const en = translator('en');
    const de = translator('de');
    expect(statusLabel(en, 'collection')).toBe('Paid – ready for pickup');
    expect(statusLabel(de, 'collection')).toBe('Bezahlt – bereit zur Abholung');
    expect(statusLabel(en, 'received')).toBe('Paid – ready to ship');
    expect(statusLabel(de, 'collected')).toBe('Abgeholt');
    for (const t of [en, de]) expect(KNOWN_STATUSES.map((s) => statusLabel(t, s)).join(' ')).not.toMatch(/inkasso|in collection/i);
  });

  it('names an unknown status as unknown and marks Demo notifications', () => {
    expect(statusLabel(translator('de'), 'canceled')).toBe('Status unbekannt');
    expect(outcomeNotification(makeLinkRecord({ merchantRef: 'm', status: 'ok', isDemo: true }), 'paid', 'de').title).toBe('Bezahlt (Demo)');
  });
});
