import { mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createOwnerPin, FIRST_LOCK_MS, MAX_WRONG_TRIES, type OwnerPinVault } from '../../src/main/owner-pin';
import { AppFailure } from '../../src/shared/errors';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

function memoryVault(): OwnerPinVault & { value: string | null } {
  const vault = {
    value: null as string | null,
    read: async () => vault.value,
    write: async (value: string) => void (vault.value = value),
    remove: async () => void (vault.value = null),
  };
  return vault;
}

function setup(vault = memoryVault()) {
  const clock = { now: 1_000_000 };
  const pin = createOwnerPin({ vault, unlockMinutes: () => 5, now: () => clock.now, cost: cheap });
  return { pin, vault, clock };
}

const codeOf = async (promise: Promise<unknown>) => {
  try {
    await promise;
    return 'ok';
  } catch (error) {
    return error instanceof AppFailure ? error.code : String(error);
  }
};

describe('owner PIN', () => {
  it('without a PIN nothing is asked', async () => {
    const { pin } = setup();
    await expect(pin.requireOpen()).resolves.toBeUndefined();
    expect(await pin.status()).toEqual({ set: false, unlockedUntil: null, lockedUntil: null });
  });

  it('stores a salted hash, not the PIN, and two equal PINs hash differently', async () => {
    const first = setup();
    const second = setup();
    await first.pin.set('4711');
    await second.pin.set('4711');
    expect(first.vault.value).not.toContain('4711');
    const a = JSON.parse(first.vault.value ?? '') as { hash: string; salt: string };
    const b = JSON.parse(second.vault.value ?? '') as { hash: string; salt: string };
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
  });

  it('stays open for the configured minutes after the right PIN, then asks again', async () => {
    const { pin, clock } = setup();
    await pin.set('4711');
    await pin.lock();
    expect(await codeOf(pin.requireOpen())).toBe('pin.required');
    const status = await pin.unlock('4711');
    expect(status.unlockedUntil).toBe(new Date(clock.now + 5 * 60_000).toISOString());
    clock.now += 5 * 60_000 - 1;
    expect(await codeOf(pin.requireOpen())).toBe('ok');
    clock.now += 1;
    expect(await codeOf(pin.requireOpen())).toBe('pin.required');
  });

  it('locks for a minute after five wrong tries, then for two, and the right PIN resets it', async () => {
    const { pin, clock } = setup();
    await pin.set('4711');
    await pin.lock();
    for (let i = 1; i < MAX_WRONG_TRIES; i++) expect(await codeOf(pin.unlock('0000'))).toBe('pin.wrong');
    expect(await codeOf(pin.unlock('0000'))).toBe('pin.locked');
    expect((await pin.status()).lockedUntil).toBe(new Date(clock.now + FIRST_LOCK_MS).toISOString());
    // While locked, even the right PIN is refused and not even checked.
    expect(await codeOf(pin.unlock('4711'))).toBe('pin.locked');
    clock.now += FIRST_LOCK_MS;
    for (let i = 1; i < MAX_WRONG_TRIES; i++) expect(await codeOf(pin.unlock('1234'))).toBe('pin.wrong');
    expect(await codeOf(pin.unlock('1234'))).toBe('pin.locked');
    expect((await pin.status()).lockedUntil).toBe(new Date(clock.now + 2 * FIRST_LOCK_MS).toISOString());
    clock.now += 2 * FIRST_LOCK_MS;
    expect((await pin.unlock('4711')).unlockedUntil).not.toBeNull();
    await pin.lock();
    for (let i = 1; i < MAX_WRONG_TRIES; i++) await codeOf(pin.unlock('0000'));
    await codeOf(pin.unlock('0000'));
    expect((await pin.status()).lockedUntil).toBe(new Date(clock.now + FIRST_LOCK_MS).toISOString());
  });

  it('counts wrong tries in the vault, so a restart does not lift a lock', async () => {
    const { pin, vault, clock } = setup();
    await pin.set('4711');
    for (let i = 0; i < MAX_WRONG_TRIES; i++) await codeOf(pin.unlock('0000'));
    const restarted = createOwnerPin({ vault, unlockMinutes: () => 5, now: () => clock.now, cost: cheap });
    expect(await codeOf(restarted.unlock('4711'))).toBe('pin.locked');
    expect(await codeOf(restarted.requireOpen())).toBe('pin.locked');
  });

  it('counts quick wrong tries one by one (no two checks read the same count)', async () => {
    const { pin } = setup();
    await pin.set('4711');
    const codes = await Promise.all(Array.from({ length: MAX_WRONG_TRIES + 2 }, () => codeOf(pin.unlock('0000'))));
    expect(codes.filter((c) => c === 'pin.wrong')).toHaveLength(MAX_WRONG_TRIES - 1);
    expect(codes.filter((c) => c === 'pin.locked')).toHaveLength(3);
  });

  it('keeps protected actions closed when the keychain cannot be read but a PIN was set', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'link-desk-pin-'));
    const markerFile = join(dir, 'owner-pin-set');
    const vault = memoryVault();
    const pin = createOwnerPin({ vault, unlockMinutes: () => 5, cost: cheap, markerFile });
    await pin.set('4711');
    expect(existsSync(markerFile)).toBe(true);
    const broken: OwnerPinVault = { read: () => Promise.reject(new Error('keychain locked')), write: vault.write, remove: vault.remove };
    const restarted = createOwnerPin({ vault: broken, unlockMinutes: () => 5, cost: cheap, markerFile });
    expect(await codeOf(restarted.requireOpen())).not.toBe('ok');
    expect(await restarted.status()).toMatchObject({ set: true, unlockedUntil: null });
    // Without the marker (no PIN was ever set here) an unreachable keychain asks for nothing.
    await pin.remove();
    expect(existsSync(markerFile)).toBe(false);
    const fresh = createOwnerPin({ vault: broken, unlockMinutes: () => 5, cost: cheap, markerFile });
    expect(await codeOf(fresh.requireOpen())).toBe('ok');
  });

  it('treats a damaged record as a PIN nobody knows, not as no PIN', async () => {
    const vault = memoryVault();
    vault.value = '{"not":"a pin record"}';
    const { pin } = setup(vault);
    expect(await codeOf(pin.requireOpen())).toBe('pin.required');
    expect(await codeOf(pin.unlock('0000'))).toBe('pin.wrong');
  });
});
