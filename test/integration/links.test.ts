import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Conf from 'conf';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { createInMemorySecretStore } from '../../src/main/secret-store';
import { createRedactor } from '../../src/main/redaction';
import type { AppEvent } from '../../src/shared/contract';
import type { LinkRecord } from '../../src/shared/link';

const sender = { url: 'app://link-desk/', isTopFrame: true };
const baseInput = { amountCents: 1750, currency: 'EUR', reference: 'Order 4711', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } } as const;

let core: AppCore | null = null;
afterEach(async () => {
  await core?.dispose();
  core = null;
});

async function startCore(dataDir?: string) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'link-desk-links-')));
  const notifications: Array<{ title: string; body: string; merchantRef: string }> = [];
  const opened: string[] = [];
  const started = await createAppCore({
    dataDir: dir,
    settingsBackend: new Conf({ cwd: dir, configName: 'settings', projectName: 'link-desk' }),
    secretStore: createInMemorySecretStore(),
    redactor: createRedactor(),
    isTrustedSender: () => true,
    info: { version: 'test', shell: 'web-bridge', platform: 'linux', systemLanguage: 'en' },
    openExternal: async (url) => {
      opened.push(url);
      return true;
    },
    openCustomerDisplay: () => false,
    notifier: { notify: (n) => void notifications.push(n) },
  });
  core = started;
  const events: AppEvent[] = [];
  started.events.subscribe((e) => events.push(e));
  const call = async <T = LinkRecord>(channel: string, input: unknown): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; fields?: Record<string, string>; supportId?: string } }> =>
    (await started.dispatch(channel, sender, input)) as never;
  const control = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${(await started.demo.get()).baseUrl}/__control/${path}`, {
      method: init.method ?? 'POST',
      headers: { 'content-type': 'application/json' },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    return response.json() as Promise<Record<string, unknown>>;
  };
  const apiRequests = async (method: string, pathPrefix: string) => {
    const stats = (await control('stats', { method: 'GET' })) as { requests: Array<{ method: string; path: string }> };
    return stats.requests.filter((r) => r.method === method && r.path.startsWith(pathPrefix)).length;
  };
  return { core: started, dir, call, control, apiRequests, notifications, opened, events };
}

async function createLink(call: Awaited<ReturnType<typeof startCore>>['call'], input: object = baseInput): Promise<LinkRecord> {
  const result = await call('links.create', input);
  if (!result.ok) throw new Error(`create failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

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
    expect(core.history.all().filter((r) => r.state === 'created')).toHaveLength(1);
  });

  it('keeps a link whose answer was lost while offline and settles it on the next start', async () => {
    const { dir, call, control } = await startCore();
    await control('faults', { body: { route: 'POST /api/v2/Smart/Transactions', kind: 'drop-after-processing' } });
    await control('faults', { body: { route: 'GET /api/v2/Smart/Transactions', kind: 'drop', times: 'Infinity' } });
    const failed = await call('links.create', baseInput);
    expect(failed.ok).toBe(false);
    if (!failed.ok) expect(failed.error.code).toMatch(/^network\./);
    const unfinished = core!.history.unfinishedCreates();
    expect(unfinished).toHaveLength(1);
    await control('faults', { method: 'DELETE' });
    await core!.dispose();

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
    expect(core.history.all().map((r) => r.state)).toEqual(['create_failed']);
  });

  it('refuses invalid input before anything is recorded or sent', async () => {
    const { core, call } = await startCore();
    const result = await call('links.create', { ...baseInput, amountCents: 0, customer: { email: 'not-an-email' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input', fields: { amountCents: 'amount.not_positive', 'customer.email': 'validation.email' } } });
    expect(core.history.all()).toHaveLength(0);
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
