import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import Conf from 'conf';
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

  it('reads and checks the stored settings once, not on every call', () => {
    const backend = memoryBackend({ ...DEFAULT_SETTINGS, merchantName: 'Café Mitte' });
    const get = vi.spyOn(backend, 'get');
    const repo = createSettingsRepository(backend);
    for (let i = 0; i < 100; i++) expect(repo.load().merchantName).toBe('Café Mitte');
    expect(get).toHaveBeenCalledTimes(1);
    // What a caller does with its copy does not change what the next one reads.
    const copy = repo.load();
    copy.merchantName = 'changed';
    expect(repo.load().merchantName).toBe('Café Mitte');
  });

  it('refuses a 1 MB API address, unknown keys and over-long texts, and keeps the file small', () => {
    const backend = memoryBackend();
    const repo = createSettingsRepository(backend);
    const attempts = [
      { ...DEFAULT_SETTINGS, environment: 'custom', customBaseUrl: `https://api.example/${'a'.repeat(1024 * 1024)}` },
      { ...DEFAULT_SETTINGS, unknown: true },
      { ...DEFAULT_SETTINGS, contractId: `GCR_${'A'.repeat(60)}` },
      { ...DEFAULT_SETTINGS, deskName: 'D'.repeat(41) },
      { ...DEFAULT_SETTINGS, pinUnlockMinutes: 0 },
    ];
    for (const attempt of attempts) expect(() => repo.save(attempt)).toThrow(AppFailure);
    expect(backend.data.has('settings')).toBe(false);
    expect(repo.save({ ...DEFAULT_SETTINGS, deskName: '  Kasse 1 ' }).deskName).toBe('Kasse 1');
  });

  it('reads the file again when another process changes it (conf with watch)', async () => {
    const cwd = await mkdtemp(join(tmpdir(), 'link-desk-settings-'));
    const conf = new Conf({ cwd, configName: 'settings', projectName: 'link-desk', watch: true });
    const repo = createSettingsRepository(conf);
    const changes = vi.fn();
    repo.onChange(changes);
    try {
      expect(repo.load().merchantName).toBe('');
      await writeFile(conf.path, JSON.stringify({ settings: { ...DEFAULT_SETTINGS, merchantName: 'Edited by hand' } }));
      await vi.waitFor(() => expect(repo.load().merchantName).toBe('Edited by hand'), { timeout: 8000, interval: 100 });
      expect(changes).toHaveBeenCalled();
    } finally {
      repo.dispose();
    }
  });
});
