import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type HandlerTable } from '../../src/main/ipc/dispatcher';
import { createRedactor } from '../../src/main/redaction';
import { AppFailure } from '../../src/shared/errors';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { CHANNEL_NAMES, CUSTOMER_DISPLAY_CHANNELS, PIN_PROTECTED_CHANNELS } from '../../src/shared/contract';

const top = { url: 'file:///app/out/renderer/index.html', isTopFrame: true };

const unused = async (): Promise<never> => {
  throw new Error('not used here');
};

function setup(overrides: Partial<HandlerTable> = {}, requireOwnerPin?: () => Promise<void>) {
  const pin = { set: false, unlockedUntil: null, lockedUntil: null };
  const view = { settings: DEFAULT_SETTINGS, secretStored: false, keychain: { available: true }, pin };
  // Channels this test does not use answer "not used"; new channels need no change here.
  const notUsed = Object.fromEntries(CHANNEL_NAMES.map((name) => [name, unused])) as unknown as HandlerTable;
  const handlers: HandlerTable = {
    ...notUsed,
    'app.info': async () => ({ version: '1.0.0', environment: 'demo', isDemo: true, shell: 'electron', platform: 'linux', systemLanguage: 'en' }),
    'settings.get': async () => view,
    'settings.save': vi.fn(async () => view),
    'secret.set': async () => view,
    'secret.remove': async () => view,
    'connection.test': async () => ({ environment: 'demo', baseUrl: 'http://127.0.0.1:1', tokenExpiresInSeconds: 1200 }),
    'links.create': async () => {
      throw new Error('not used here');
    },
    'links.get': async () => {
      throw new Error('not used here');
    },
    'links.refresh': async () => {
      throw new Error('not used here');
    },
    'shell.openExternal': async () => ({ opened: false }),
    'display.open': async () => ({ opened: false }),
    'links.cancel': unused,
    'links.ship': unused,
    'links.refund': unused,
    'links.cancelExpired': unused,
    'history.query': unused,
    'history.exportCsv': unused,
    'history.status': unused,
    'overview.get': unused,
    'print.document': unused,
    'account.warmUp': async () => ({}),
    'pin.status': async () => pin,
    'pin.unlock': async () => pin,
    'pin.lock': async () => pin,
    'pin.set': async () => view,
    'pin.remove': async () => view,
    'diagnostics.get': async () => ({ text: 'Link Desk' }),
    'log.report': async () => ({ logged: true }),
    ...overrides,
  };
  const redactor = createRedactor();
  const logged: string[] = [];
  const dispatch = createDispatcher({
    handlers,
    isTrustedSender: (s) => s.isTopFrame && s.url.startsWith('file:///app/'),
    redactor,
    logError: (l) => logged.push(l),
    ...(requireOwnerPin ? { requireOwnerPin } : {}),
  });
  return { dispatch, handlers, redactor, logged };
}

describe('IPC dispatcher', () => {
  it('answers a valid call with the handler value', async () => {
    const { dispatch } = setup();
    const result = await dispatch('app.info', top, {});
    expect(result).toEqual({ ok: true, value: expect.objectContaining({ version: '1.0.0', isDemo: true }) });
  });

  it('refuses a sub-frame or a foreign page before running the handler', async () => {
    const { dispatch, handlers } = setup();
    for (const sender of [{ ...top, isTopFrame: false }, { url: 'https://evil.example/', isTopFrame: true }]) {
      const result = await dispatch('settings.save', sender, { settings: DEFAULT_SETTINGS });
      expect(result).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
    }
    expect(handlers['settings.save']).not.toHaveBeenCalled();
  });

  it('refuses unknown channels', async () => {
    const { dispatch } = setup();
    expect(await dispatch('shell.exec', top, {})).toMatchObject({ ok: false, error: { code: 'ipc.unknown_channel' } });
  });

  it('rejects a malformed payload with every failing field and does not call the handler', async () => {
    const { dispatch, handlers } = setup();
    const bad = { settings: { ...DEFAULT_SETTINGS, contractId: 'nope', returnUrls: { success: 'http://shop.example', error: '', abort: '' } } };
    const result = await dispatch('settings.save', top, bad);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('ipc.invalid_input');
    expect(result.error.fields).toMatchObject({ 'settings.contractId': 'validation.contract_id', 'settings.returnUrls.success': 'validation.https_url' });
    expect(handlers['settings.save']).not.toHaveBeenCalled();
    for (const payload of [null, 'text', 42, [], { settings: DEFAULT_SETTINGS, extra: true }]) {
      expect(await dispatch('settings.save', top, payload)).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input' } });
    }
  });

  it('turns an AppFailure into its error value with supportId, redacting registered secrets', async () => {
    const { dispatch, redactor } = setup({
      'settings.get': async () => {
        throw new AppFailure({ code: 'api.server', message: 'backend said s3cr3t-value-123', supportId: 'abc123' });
      },
    });
    redactor.register('s3cr3t-value-123');
    const result = await dispatch('settings.get', top, {});
    expect(result).toEqual({ ok: false, error: { code: 'api.server', message: 'backend said [redacted]', supportId: 'abc123' } });
  });

  it('hides the text and stack of unexpected errors from the renderer and redacts the log', async () => {
    const { dispatch, redactor, logged } = setup({
      'settings.get': async () => {
        throw new Error('token qb56tjj1bcvo9n2nj4u38k84lo leaked at /home/user/secret/path');
      },
    });
    redactor.register('qb56tjj1bcvo9n2nj4u38k84lo');
    const result = await dispatch('settings.get', top, {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: 'Something went wrong inside Link Desk.' } });
    expect(JSON.stringify(result)).not.toContain('/home/user');
    expect(logged.join('\n')).not.toContain('qb56tjj1bcvo9n2nj4u38k84lo');
    expect(logged.join('\n')).toContain('[redacted]');
  });

  it('strips fields the contract does not declare from handler output', async () => {
    const { dispatch } = setup({
      'settings.get': async () => ({ settings: DEFAULT_SETTINGS, secretStored: true, keychain: { available: true }, pin: { set: false, unlockedUntil: null, lockedUntil: null }, clientSecret: 'oops' }) as never,
    });
    const result = await dispatch('settings.get', top, {});
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('oops');
  });

  it('lets the customer display call only its own channels', async () => {
    const called: string[] = [];
    const tracked = Object.fromEntries(CHANNEL_NAMES.map((name) => [name, async () => {
      called.push(name);
      throw new AppFailure({ code: 'link.not_found', message: 'none' });
    }])) as unknown as HandlerTable;
    const { dispatch } = setup(tracked);
    const display = { ...top, role: 'customer-display' as const };
    for (const channel of CHANNEL_NAMES) {
      const result = await dispatch(channel, display, { merchantRef: 'LD-1' });
      if ((CUSTOMER_DISPLAY_CHANNELS as readonly string[]).includes(channel)) {
        expect(result, channel).not.toMatchObject({ error: { code: 'ipc.forbidden_sender' } });
      } else {
        expect(result, channel).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
      }
    }
    expect(await dispatch('shell.exec', display, {})).toMatchObject({ ok: false, error: { code: 'ipc.forbidden_sender' } });
    expect(called.sort()).toEqual(['links.get', 'links.refresh']);
    // The same channel from the main window reaches its handler.
    await dispatch('settings.get', { ...top, role: 'main' }, {});
    expect(called).toContain('settings.get');
  });

  it('refuses unknown keys, also __proto__, on every input instead of dropping them', async () => {
    const spy = vi.fn(async () => {
      throw new Error('must not run');
    });
    const { dispatch } = setup({ 'links.create': spy, 'history.query': spy, 'history.exportCsv': spy, 'settings.save': spy });
    const link = { amountCents: 100, currency: 'EUR', reference: '', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } };
    const withProto = (value: object) => JSON.parse(JSON.stringify(value).replace(/^\{/, '{"__proto__":{"admin":true},')) as unknown;
    const payloads: Array<[string, unknown]> = [
      ['links.create', { ...link, extra: 1 }],
      ['links.create', withProto(link)],
      ['links.create', { ...link, customer: { forename: 'Anna', nickname: 'A' } }],
      ['links.create', { ...link, customer: withProto({ forename: 'Anna' }) }],
      ['links.create', { ...link, customer: { address: { city: 'Berlin', planet: 'Earth' } } }],
      ['links.create', { ...link, returnUrls: { success: '', error: '', abort: '', other: '' } }],
      ['settings.save', { settings: { ...DEFAULT_SETTINGS, theme: 'dark' } }],
      ['settings.save', { settings: withProto(DEFAULT_SETTINGS) }],
      ['settings.save', { settings: { ...DEFAULT_SETTINGS, emailTemplates: { ...DEFAULT_SETTINGS.emailTemplates, fr: DEFAULT_SETTINGS.emailTemplates.de } } }],
      ['history.query', { search: 'x', admin: true }],
      ['history.query', withProto({ search: 'x' })],
      ['history.query', { sort: { field: 'createdAt', direction: 'asc', nulls: 'last' } }],
      ['history.exportCsv', { query: {}, separator: ';', path: '/etc/passwd' }],
      ['history.exportCsv', { query: { search: 'x', extra: 1 }, separator: ';' }],
    ];
    for (const [channel, payload] of payloads) {
      expect(await dispatch(channel, top, payload), `${channel} ${JSON.stringify(payload)}`).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input' } });
    }
    expect(spy).not.toHaveBeenCalled();
  });

  it('limits the length of every string: a 1 MB API address or reference is refused', async () => {
    const { dispatch, handlers } = setup();
    const huge = `https://api.example/${'a'.repeat(1024 * 1024)}`;
    const result = await dispatch('settings.save', top, { settings: { ...DEFAULT_SETTINGS, environment: 'custom', customBaseUrl: huge } });
    expect(result).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input', fields: { 'settings.customBaseUrl': 'validation.url_too_long' } } });
    expect(await dispatch('settings.save', top, { settings: { ...DEFAULT_SETTINGS, deskName: 'x'.repeat(41) } })).toMatchObject({ ok: false, error: { fields: { 'settings.deskName': 'validation.too_long' } } });
    expect(handlers['settings.save']).not.toHaveBeenCalled();
    const link = { amountCents: 100, currency: 'EUR', reference: 'r'.repeat(141), language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } };
    expect(await dispatch('links.create', top, link)).toMatchObject({ ok: false, error: { fields: { reference: 'validation.too_long' } } });
    expect(await dispatch('history.query', top, { from: '2025-01-01'.repeat(1000) })).toMatchObject({ ok: false, error: { code: 'ipc.invalid_input' } });
  });

  it('asks for the owner PIN before protected channels only, and never runs them without it', async () => {
    const gate = vi.fn(async () => {
      throw new AppFailure({ code: 'pin.required', message: 'This action needs the owner PIN.' });
    });
    const { dispatch, handlers } = setup({}, gate);
    expect(await dispatch('settings.save', top, { settings: DEFAULT_SETTINGS })).toEqual({ ok: false, error: { code: 'pin.required', message: 'This action needs the owner PIN.' } });
    expect(handlers['settings.save']).not.toHaveBeenCalled();
    expect(gate).toHaveBeenCalledTimes(1);
    for (const channel of ['settings.get', 'pin.unlock', 'pin.status', 'links.get', 'history.query', 'links.create']) {
      gate.mockClear();
      await dispatch(channel, top, channel === 'pin.unlock' ? { pin: '1234' } : {});
      expect(gate, channel).not.toHaveBeenCalled();
    }
    expect(PIN_PROTECTED_CHANNELS).toEqual(expect.arrayContaining(['links.refund', 'links.cancel', 'links.cancelExpired', 'history.exportCsv', 'settings.save', 'secret.set', 'secret.remove']));
  });
});
