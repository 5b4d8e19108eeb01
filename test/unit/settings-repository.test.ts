import { describe, expect, it } from 'vitest';
import { createSettingsRepository, type KeyValueBackend } from '../../src/main/settings-repository';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { AppFailure } from '../../src/shared/errors';

function memoryBackend(initial?: unknown): KeyValueBackend & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  if (initial !== undefined) data.set('settings', initial);
  return { data, get: (k) => data.get(k), set: (k, v) => void data.set(k, v) };
}

describe('settings repository', () => {
  it('starts in Demo with defaults on first start', () => {
    const settings = createSettingsRepository(memoryBackend()).load();
    expect(settings.environment).toBe('demo');
    expect(settings).toEqual(DEFAULT_SETTINGS);
  });

  it('saves valid settings and loads them back', () => {
    const backend = memoryBackend();
    const repo = createSettingsRepository(backend);
    repo.save({ ...DEFAULT_SETTINGS, environment: 'testing', clientId: 'client-1', contractId: 'GCR_2H69XY35227V2VKP9WRA3SJ0W95RP0', returnUrls: { success: 'https://shop.example/ok', error: '', abort: '' } });
    expect(createSettingsRepository(backend).load()).toMatchObject({ environment: 'testing', clientId: 'client-1', returnUrls: { success: 'https://shop.example/ok' } });
  });

  it('refuses invalid values with a message per field and stores nothing', () => {
    const backend = memoryBackend();
    const repo = createSettingsRepository(backend);
    let failure: unknown;
    try {
      repo.save({ ...DEFAULT_SETTINGS, environment: 'custom', customBaseUrl: '', returnUrls: { success: 'http://insecure.example', error: 'x'.repeat(2100), abort: '' }, linkExpiryDays: 900 });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('settings.invalid');
    expect((failure as AppFailure).fields).toMatchObject({
      customBaseUrl: 'validation.required',
      'returnUrls.success': 'validation.https_url',
      'returnUrls.error': 'validation.url_too_long',
      linkExpiryDays: 'validation.expiry_days',
    });
    expect(backend.data.has('settings')).toBe(false);
  });

  it('keeps valid fields of a partly damaged settings file', () => {
    const warnings: string[] = [];
    const repo = createSettingsRepository(memoryBackend({ environment: 'live', clientId: 'abc', sound: 'loud', contractId: 12 }), (l) => warnings.push(l));
    const settings = repo.load();
    expect(settings.environment).toBe('live');
    expect(settings.clientId).toBe('abc');
    expect(settings.sound).toBe(DEFAULT_SETTINGS.sound);
    expect(settings.contractId).toBe('');
    expect(warnings.join()).toContain('sound');
  });
});
