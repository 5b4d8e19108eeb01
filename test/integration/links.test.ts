import { afterEach, describe, expect, it } from 'vitest';
import type { LinkRecord } from '../../src/shared/link';
import { baseInput, createLink, startCore, stopCores } from './core-harness';

afterEach(stopCores);

describe('payment links in Demo mode (client ↔ embedded simulator)', () => {
  it('creates a link, records it, and follows it to "paid" with exactly one notification', async () => {
    const { core, call, control, notifications, events } = await startCore();
    const record = await createLink(call);
    expect(record).toMatchObject({ state: 'created', status: 'created', amountCents: 1750, environment: 'demo', isDemo: true, reference: 'Order 4711' });
    expect(record.id).toMatch(/^STX_[0-9A-Z]{30}$/);
    expect(record.paymentUrl).toMatch(new RegExp(`^${core.demoOrigin()}/pay\\?`));
    expect(record.paymentUrl).toContain(`stx=${record.id}`);
    expect(core.history.get(record.merchantRef)?.id).toBe(record.id);

    await control(`transactions/${record.id}/pay`, { body: { method: 'creditcard' } });
    const paid = await call('links.refresh', { merchantRef: record.merchantRef });
    expect(paid).toMatchObject({ ok: true, value: { status: 'ok', paidWith: 'creditcard', transactionId: expect.stringMatching(/^PCI_/) } });
    expect(notifications).toEqual([{ title: 'Paid (demo)', body: '€17.50 · Order 4711', merchantRef: record.merchantRef }]);
    expect(events.filter((e) => e.type === 'link.updated' && e.record.status === 'ok')).toHaveLength(1);

    // Final: asking again sends nothing and notifies nobody.
    await call('links.refresh', { merchantRef: record.merchantRef });
    expect(notifications).toHaveLength(1);
  });

  it('coalesces status requests: concurrent and too-frequent refreshes cause one API read', async () => {
    const { call, apiRequests } = await startCore();
    const record = await createLink(call);
    const before = await apiRequests('GET', '/api/v2/Smart/Transactions/');
    await Promise.all(Array.from({ length: 5 }, () => call('links.refresh', { merchantRef: record.merchantRef })));
    await call('links.refresh', { merchantRef: record.merchantRef });
    expect((await apiRequests('GET', '/api/v2/Smart/Transactions/')) - before).toBe(1);
  });

  it('finds a link again by merchantRef when the create answer is lost, creating it only once', async () => {
    const { core, call, control, apiRequests } = await startCore();
    await control('faults', { body: { route: 'POST /api/v2/Smart/Transactions', kind: 'drop-after-processing' } });
    const record = await createLink(call);
    expect(record.state).toBe('created');
    expect(await apiRequests('POST', '/api/v2/Smart/Transactions')).toBe(1);
    expect(core.history.query({ limit: 500 }).items.filter((r: LinkRecord) => r.state === 'created')).toHaveLength(1);
  });

  it('keeps a link whose answer was lost while offline and settles it on the next start', async () => {
    const started = await startCore();
    const { dir, call, control } = started;
    await control('faults', { body: { route: 'POST /api/v2/Smart/Transactions', kind: 'drop-after-processing' } });
    await control('faults', { body: { route: 'GET /api/v2/Smart/Transactions', kind: 'drop', times: 'Infinity' } });
    // Not an error for the merchant: the link is recorded and said to be checking with secupay.
    const unconfirmed = await call('links.create', baseInput);
    expect(unconfirmed).toMatchObject({ ok: true, value: { state: 'creating', id: null } });
    const unfinished = started.core.history.unfinishedCreates();
    expect(unfinished).toHaveLength(1);
    await control('faults', { method: 'DELETE' });
    await started.core.dispose();

    const restarted = await startCore(dir);
    await expect.poll(() => restarted.core.history.get(unfinished[0]!.merchantRef)?.state, { timeout: 5000 }).toBe('created');
    expect(restarted.core.history.get(unfinished[0]!.merchantRef)?.id).toMatch(/^STX_/);
  });

  it('reports API refusals with their support id and records the failed attempt', async () => {
    const { core, call, control } = await startCore();
    await control('faults', { body: { route: 'POST /api/v2/Smart/Transactions', kind: 'status', status: 400 } });
    const result = await call('links.create', baseInput);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('api.validation');
    expect(result.error.supportId).toMatch(/^[0-9a-f]{32}$/);
    expect(core.history.query({ limit: 500 }).items.map((r: LinkRecord) => r.state)).toEqual(['create_failed']);
  });

  it('refuses invalid input before anything is recorded or sent', async () => {
    const { core, call } = await startCore();
    const result = await call('links.create', { ...baseInput, amountCents: 0, customer: { email: 'not-an-email' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input', fields: { amountCents: 'amount.not_positive', 'customer.email': 'validation.email' } } });
    expect(core.history.query({ limit: 500 }).items).toHaveLength(0);
  });

  it('tests the Demo connection and opens only allow-listed URLs', async () => {
    const { call, opened } = await startCore();
    expect(await call('connection.test', {})).toMatchObject({ ok: true, value: { environment: 'demo', tokenExpiresInSeconds: 1200 } });
    const record = await createLink(call);
    expect(await call('shell.openExternal', { url: record.paymentUrl })).toEqual({ ok: true, value: { opened: true } });
    expect(await call('shell.openExternal', { url: 'https://evil.example/' })).toEqual({ ok: true, value: { opened: false } });
    expect(await call('shell.openExternal', { url: 'mailto:anna@example.com?subject=Link' })).toEqual({ ok: true, value: { opened: true } });
    expect(opened).toEqual([record.paymentUrl, 'mailto:anna@example.com?subject=Link']);
  });

  it('says what is missing when Testing is chosen without credentials', async () => {
    const { call } = await startCore();
    const view = (await call<{ settings: Record<string, unknown> }>('settings.get', {})) as { ok: true; value: { settings: Record<string, unknown> } };
    await call('settings.save', { settings: { ...view.value.settings, environment: 'testing' } });
    const result = await call('links.create', baseInput);
    expect(result).toMatchObject({ ok: false, error: { code: 'settings.not_configured', fields: { clientId: 'validation.required', contractId: 'validation.required' } } });
  });
});
