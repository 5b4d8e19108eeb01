import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Conf from 'conf';
import { createKeytarSecretStore } from '../../src/main/secret-store';
import { createSettingsHandlers } from '../../src/main/handlers/settings-handlers';
import { createSettingsRepository } from '../../src/main/settings-repository';
import { createEventHub } from '../../src/main/event-hub';
import { createRedactor } from '../../src/main/redaction';
import { createOwnerPin, keychainPinVault, OWNER_PIN_ACCOUNT } from '../../src/main/owner-pin';
import { AppFailure } from '../../src/shared/errors';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';

// Runs against the real Secret Service of the test command's private D-Bus session (see scripts/test-all.sh).
const service = `Link Desk vitest ${randomUUID()}`;
const store = createKeytarSecretStore({ service });

afterEach(async () => {
  for (const account of ['testing', 'live', OWNER_PIN_ACCOUNT]) await store.delete(account).catch(() => undefined);
});

async function setup() {
  const dataDir = await mkdtemp(join(tmpdir(), 'link-desk-keychain-'));
  const settings = createSettingsRepository(new Conf({ cwd: dataDir, configName: 'settings', projectName: 'link-desk' }));
  const events = createEventHub();
  const seen: unknown[] = [];
  events.subscribe((e) => seen.push(e));
  const ownerPin = createOwnerPin({ vault: keychainPinVault(store), unlockMinutes: () => 5, cost: { N: 2 ** 10, r: 8, p: 1 } });
  const handlers = createSettingsHandlers({ settings, secrets: store, events, redactor: createRedactor(), ownerPin, onCredentialsChanged: () => undefined });
  return { dataDir, settings, handlers, seen };
}

describe('client secret in the OS keychain', () => {
  it('stores, reports and removes a secret in the real keychain', async () => {
    expect(await store.availability()).toEqual({ available: true });
    await store.set('testing', 'very-secret-value-1');
    expect(await store.has('testing')).toBe(true);
    expect(await store.get('testing')).toBe('very-secret-value-1');
    await store.delete('testing');
    expect(await store.has('testing')).toBe(false);
  });

  it('keeps the secret out of the settings file and out of every view the renderer gets', async () => {
    const { dataDir, settings, handlers, seen } = await setup();
    settings.save({ ...DEFAULT_SETTINGS, environment: 'testing', clientId: 'client-1' });
    const view = await handlers['secret.set']({ secret: 'sEcReT-ab12cd34' });
    expect(view.secretStored).toBe(true);
    expect(await store.get('testing')).toBe('sEcReT-ab12cd34');
    for (const file of await readdir(dataDir)) {
      expect(await readFile(join(dataDir, file), 'utf8')).not.toContain('sEcReT-ab12cd34');
    }
    expect(JSON.stringify(view)).not.toContain('sEcReT-ab12cd34');
    expect(JSON.stringify(seen)).not.toContain('sEcReT-ab12cd34');

    // One secret per environment: Live has none yet.
    settings.save({ ...DEFAULT_SETTINGS, environment: 'live', clientId: 'client-1' });
    expect((await handlers['settings.get']({})).secretStored).toBe(false);
    settings.save({ ...DEFAULT_SETTINGS, environment: 'testing', clientId: 'client-1' });
    const removed = await handlers['secret.remove']({});
    expect(removed.secretStored).toBe(false);
    expect(await store.get('testing')).toBeNull();
  });

  it('refuses a secret in Demo mode, which needs none', async () => {
    const { handlers } = await setup();
    await expect(handlers['secret.set']({ secret: 'whatever-123' })).rejects.toMatchObject({ code: 'settings.invalid' });
  });

  it('says plainly when no keychain is reachable and stores nothing anywhere', async () => {
    const broken = createKeytarSecretStore({ service, loadKeytar: () => Promise.reject(new Error('libsecret-1.so.0: cannot open shared object file')) });
    const availability = await broken.availability();
    expect(availability.available).toBe(false);
    expect(availability.problem).toMatch(/keychain cannot be reached/);
    const failure = await broken.set('testing', 'abc-secret-1').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(AppFailure);
    expect((failure as AppFailure).code).toBe('keychain.unavailable');
    expect((failure as AppFailure).message).not.toContain('abc-secret-1');
    expect(await store.has('testing')).toBe(false);
  });

  it('checks that the keychain answers without reading any stored secret', async () => {
    const read: string[] = [];
    const fake = {
      getPassword: async (_service: string, account: string) => {
        read.push(account);
        return null;
      },
      setPassword: async () => undefined,
      deletePassword: async () => true,
      findCredentials: async () => {
        read.push('* every secret *');
        return [];
      },
    };
    const probed = createKeytarSecretStore({ service, loadKeytar: async () => fake });
    expect(await probed.availability()).toEqual({ available: true });
    expect(read).toHaveLength(1);
    expect(read[0]).not.toMatch(/^(testing|live|custom:|owner-pin)/);
  });

  it('keeps the owner PIN hash in the real keychain, in no file and in no view', async () => {
    const { dataDir, handlers, seen } = await setup();
    const view = await handlers['pin.set']({ pin: '86420' });
    expect(view.pin).toMatchObject({ set: true });
    const record = await store.get(OWNER_PIN_ACCOUNT);
    const { hash } = JSON.parse(record ?? '{}') as { hash: string };
    expect(hash.length).toBeGreaterThan(20);
    for (const file of await readdir(dataDir)) expect(await readFile(join(dataDir, file), 'utf8')).not.toContain(hash);
    expect(JSON.stringify([view, seen, await handlers['pin.status']({})])).not.toContain(hash);
    await handlers['pin.remove']({});
    expect(await store.get(OWNER_PIN_ACCOUNT)).toBeNull();
  });
});
