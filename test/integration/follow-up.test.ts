import { afterEach, describe, expect, it } from 'vitest';
import { baseInput, createLink, startCore, stopCores } from './core-harness';
import type { LinkRecord } from '../../src/shared/link';

afterEach(stopCores);

describe('follow-up actions against the simulator', () => {
  it('cancels an unpaid link and refuses to cancel a paid one', async () => {
    const { call, control } = await startCore();
    const unpaid = await createLink(call);
    expect(await call('links.cancel', { merchantRef: unpaid.merchantRef })).toMatchObject({ ok: true, value: { status: 'cancelled' } });

    const paid = await createLink(call);
    await control(`transactions/${paid.id}/pay`, { body: { method: 'creditcard' } });
    await call('links.refresh', { merchantRef: paid.merchantRef });
    expect(await call('links.cancel', { merchantRef: paid.merchantRef })).toMatchObject({ ok: false, error: { code: 'link.not_allowed' } });
  });

  it('refunds partly, then the rest, never more than was paid', async () => {
    const { call, control, apiRequests } = await startCore();
    const link = await createLink(call, { ...baseInput, amountCents: 5000 });
    await control(`transactions/${link.id}/pay`, { body: { method: 'creditcard' } });
    await call('links.refresh', { merchantRef: link.merchantRef });

    expect(await call('links.refund', { merchantRef: link.merchantRef, amountCents: 2000, reason: 'Broken cup' })).toMatchObject({ ok: true, value: { refundedCents: 2000 } });
    const tooMuch = await call('links.refund', { merchantRef: link.merchantRef, amountCents: 3001 });
    expect(tooMuch).toMatchObject({ ok: false, error: { code: 'link.not_allowed', fields: { amountCents: 'refund.too_much' } } });
    expect(await apiRequests('POST', '/api/v2/Payment/Transactions/')).toBe(1); // refused before sending
    expect(await call('links.refund', { merchantRef: link.merchantRef, amountCents: 3000 })).toMatchObject({ ok: true, value: { refundedCents: 5000 } });
    expect(await call('links.refund', { merchantRef: link.merchantRef, amountCents: 1 })).toMatchObject({ ok: false, error: { code: 'link.not_allowed' } });
    expect(await call('links.refund', { merchantRef: link.merchantRef, amountCents: 100, reason: 'Grund: <script>' })).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input', fields: { reason: 'validation.refund_reason' } } });
  });

  it('refuses to refund an unpaid link', async () => {
    const { call } = await startCore();
    const link = await createLink(call);
    expect(await call('links.refund', { merchantRef: link.merchantRef, amountCents: 100 })).toMatchObject({ ok: false, error: { code: 'link.not_allowed' } });
  });

  it('marks an invoice payment as shipped, and the history no longer lists it as needing shipping', async () => {
    const { call, control } = await startCore();
    const link = await createLink(call, { ...baseInput, paymentMethod: 'invoice' });
    await control(`transactions/${link.id}/pay`, { body: { method: 'invoice' } });
    await call('links.refresh', { merchantRef: link.merchantRef });
    const needing = await call<{ total: number }>('history.query', { statuses: ['needs_shipping'] });
    expect(needing).toMatchObject({ ok: true, value: { total: 1 } });
    const shipped = await call('links.ship', { merchantRef: link.merchantRef, carrier: 'DHL', trackingId: '00340434161094', invoiceNumber: 'RE-2026-17' });
    expect(shipped).toMatchObject({ ok: true, value: { shipped: { carrier: 'DHL', trackingId: '00340434161094', invoiceNumber: 'RE-2026-17' } } });
    expect(await call('history.query', { statuses: ['needs_shipping'] })).toMatchObject({ ok: true, value: { total: 0 } });
    expect(await call('links.ship', { merchantRef: link.merchantRef })).toMatchObject({ ok: false, error: { code: 'link.not_allowed' } });
  });

  it('searches, filters and exports the history as CSV for German spreadsheets', async () => {
    const { call, control } = await startCore();
    const anna = await createLink(call, { ...baseInput, amountCents: 1234, reference: 'Rechnung 17', customer: { forename: 'Anna', surname: 'Müller', email: 'anna@example.com' } });
    await createLink(call, { ...baseInput, amountCents: 999, reference: 'Kaffee' });
    await control(`transactions/${anna.id}/pay`, { body: { method: 'paypal' } });
    await call('links.refresh', { merchantRef: anna.merchantRef });

    const byName = await call<{ items: LinkRecord[]; total: number }>('history.query', { search: 'müller' });
    expect(byName.ok && byName.value.items.map((r) => r.reference)).toEqual(['Rechnung 17']);
    const byAmount = await call<{ items: LinkRecord[] }>('history.query', { search: '12,34' });
    expect(byAmount.ok && byAmount.value.items.map((r) => r.reference)).toEqual(['Rechnung 17']);
    const paidOnly = await call<{ total: number }>('history.query', { statuses: ['ok'] });
    expect(paidOnly).toMatchObject({ ok: true, value: { total: 1 } });

    const exported = await call<{ csv: string; rows: number; fileName: string }>('history.exportCsv', { query: {}, separator: ';' });
    expect(exported.ok).toBe(true);
    if (!exported.ok) return;
    expect(exported.value.rows).toBe(2);
    expect(exported.value.fileName).toMatch(/^link-desk-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = exported.value.csv.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toContain(';');
    expect(exported.value.csv).toContain('Müller');
    expect(exported.value.csv).toContain('12.34');
  });

  it('reports waiting and expired links, and cancels the expired ones in one action', async () => {
    const { core, call } = await startCore();
    const old = await createLink(call);
    await createLink(call);
    // Age one link by rewriting its creation time: the app-side expiry counts days since creation.
    await core.history.update(old.merchantRef, () => ({ set: { createdAt: new Date(Date.now() - 10 * 86_400_000).toISOString() } }));
    const view = await call<{ settings: Record<string, unknown> }>('settings.get', {});
    if (!view.ok) throw new Error('settings');
    await call('settings.save', { settings: { ...view.value.settings, linkExpiryDays: 7 } });
    expect(await call('history.status', {})).toMatchObject({ ok: true, value: { recovery: null, waitingCount: 2, expiredCount: 1 } });
    expect(await call('links.cancelExpired', {})).toMatchObject({ ok: true, value: { cancelled: 1, failed: 0 } });
    expect(core.history.get(old.merchantRef)?.status).toBe('cancelled');
    expect(await call('history.status', {})).toMatchObject({ ok: true, value: { waitingCount: 1, expiredCount: 0 } });
  });
});
