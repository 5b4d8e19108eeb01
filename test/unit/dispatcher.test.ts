import { describe, expect, it, vi } from 'vitest';
import { createDispatcher, type HandlerTable } from '../../src/main/ipc/dispatcher';
import { createRedactor } from '../../src/main/redaction';
import { AppFailure } from '../../src/shared/errors';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

const top = { url: 'file:///app/out/renderer/index.html', isTopFrame: true };

const unused = async (): Promise<never> => {
  throw new Error('not used here');
};

function setup(overrides: Partial<HandlerTable> = {}) {
  const view = { settings: DEFAULT_SETTINGS, secretStored: false, keychain: { available: true } };
  const handlers: HandlerTable = {
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
    ...overrides,
  };
  const redactor = createRedactor();
  const logged: string[] = [];
  const dispatch = createDispatcher({ handlers, isTrustedSender: (s) => s.isTopFrame && s.url.startsWith('file:///app/'), redactor, logError: (l) => logged.push(l) });
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
      'settings.get': async () => ({ settings: DEFAULT_SETTINGS, secretStored: true, keychain: { available: true }, clientSecret: 'oops' }) as never,
    });
    const result = await dispatch('settings.get', top, {});
    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('oops');
  });
});
