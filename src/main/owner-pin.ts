import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { AppFailure } from '../shared/errors';
import type { PinStatus } from '../shared/settings';
import type { SecretStore } from './secret-store';

/**
 * The owner PIN of a shared counter: refunds, cancels, exports and settings ask for it. Only a
 * salted scrypt hash is kept, in the OS keychain beside the client secret (never in a file the
 * renderer can read, never in an IPC answer or a log). Wrong tries are counted there too, so
 * restarting the app does not reset a lock.
 */

export const MAX_WRONG_TRIES = 5;
export const FIRST_LOCK_MS = 60_000;
/** The keychain entry that holds the hash (the client secrets are stored per environment). */
export const OWNER_PIN_ACCOUNT = 'owner-pin';

/** Where the PIN record lives. */
export interface OwnerPinVault {
  read(): Promise<string | null>;
  write(value: string): Promise<void>;
  remove(): Promise<void>;
}

export function keychainPinVault(secrets: SecretStore, account = OWNER_PIN_ACCOUNT): OwnerPinVault {
  return {
    read: () => secrets.get(account),
    write: (value) => secrets.set(account, value),
    remove: () => secrets.delete(account),
  };
}

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** About 50–100 ms on a till: slow enough to make guessing a stolen hash costly, quick at the counter. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

const PinRecordSchema = z.object({
  version: z.literal(1),
  salt: z.string().min(1),
  hash: z.string().min(1),
  cost: z.object({ N: z.number().int().positive(), r: z.number().int().positive(), p: z.number().int().positive() }),
  /** Wrong tries since the last right one or the last lock. */
  wrongTries: z.number().int().min(0),
  /** How many locks in a row: each one lasts twice as long as the one before. */
  locks: z.number().int().min(0),
  lockedUntil: z.number().nullable(),
});
type PinRecord = z.infer<typeof PinRecordSchema>;

export interface OwnerPinDeps {
  vault: OwnerPinVault;
  /** From Settings, read on every unlock so a change applies to the next one. */
  unlockMinutes: () => number;
  now?: () => number;
  cost?: ScryptCost;
  warn?: (line: string) => void;
  /**
   * A file that only says "a PIN is set" (no hash). When the keychain cannot be read, it decides:
   * with it the protected actions stay closed, without it there is no PIN to ask for.
   */
  markerFile?: string;
}

export interface OwnerPin {
  status(): Promise<PinStatus>;
  /** Checks the PIN and opens the protected actions; throws `pin.wrong` or `pin.locked`. */
  unlock(pin: string): Promise<PinStatus>;
  lock(): Promise<PinStatus>;
  /** Sets a new PIN (the dispatcher has checked that the old one is open). Opens it right away. */
  set(pin: string): Promise<PinStatus>;
  remove(): Promise<PinStatus>;
  /** Throws `pin.required` when a PIN is set and not open (or `pin.locked` while locked). */
  requireOpen(): Promise<void>;
}

function derive(pin: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(pin.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export function createOwnerPin(deps: OwnerPinDeps): OwnerPin {
  const now = deps.now ?? Date.now;
  const cost = deps.cost ?? DEFAULT_SCRYPT_COST;
  // Read once, then kept in main-process memory; every change is written back before it counts.
  let loaded: Promise<PinRecord | null> | null = null;
  let openUntil = 0;

  const marker = deps.markerFile;
  const markSet = (set: boolean) => {
    if (marker === undefined) return;
    if (set) {
      mkdirSync(dirname(marker), { recursive: true });
      writeFileSync(marker, 'An owner PIN is set (its hash is in the OS keychain).\n');
    } else {
      rmSync(marker, { force: true });
    }
  };
  const read = (): Promise<PinRecord | null> => {
    loaded ??= deps.vault.read().then((text) => {
      if (text === null) return null;
      const parsed = PinRecordSchema.safeParse(safeJson(text));
      if (parsed.success) return parsed.data;
      // A damaged entry must not silently remove the protection: treat it as a PIN nobody knows.
      deps.warn?.('[pin] the stored owner PIN record is damaged; no PIN is accepted until it is removed from the keychain');
      return { version: 1 as const, salt: 'AA==', hash: 'AA==', cost, wrongTries: 0, locks: 0, lockedUntil: null };
    });
    return loaded.catch((error: unknown) => {
      loaded = null;
      if (marker !== undefined && !existsSync(marker)) return null;
      throw error;
    });
  };
  const store = async (record: PinRecord | null): Promise<void> => {
    if (record === null) await deps.vault.remove();
    else await deps.vault.write(JSON.stringify(record));
    markSet(record !== null);
    loaded = Promise.resolve(record);
  };

  const statusOf = (record: PinRecord | null): PinStatus => {
    const at = now();
    if (record === null) return { set: false, unlockedUntil: null, lockedUntil: null };
    const lockedUntil = record.lockedUntil !== null && record.lockedUntil > at ? new Date(record.lockedUntil).toISOString() : null;
    return { set: true, unlockedUntil: openUntil > at ? new Date(openUntil).toISOString() : null, lockedUntil };
  };

  // One check at a time, so two quick wrong tries cannot both read the same count.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const run = queue.then(operation, operation);
    queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };

  const lockedFailure = (until: number) =>
    new AppFailure({ code: 'pin.locked', message: `Too many wrong PINs. Try again after ${new Date(until).toISOString()}.` });

  return {
    status: async () => {
      try {
        return statusOf(await read());
      } catch (error) {
        deps.warn?.(`[pin] the keychain did not answer, protected actions stay closed: ${String(error)}`);
        // The keychain is not answering; the marker says a PIN exists, so it counts as closed.
        return { set: true, unlockedUntil: null, lockedUntil: null };
      }
    },

    unlock: (pin) => serial(async () => {
      const record = await read();
      if (record === null) return statusOf(null);
      const at = now();
      if (record.lockedUntil !== null && record.lockedUntil > at) throw lockedFailure(record.lockedUntil);
      const expected = Buffer.from(record.hash, 'base64');
      const actual = await derive(pin, Buffer.from(record.salt, 'base64'), record.cost);
      if (expected.length === actual.length && timingSafeEqual(expected, actual)) {
        await store({ ...record, wrongTries: 0, locks: 0, lockedUntil: null });
        openUntil = now() + deps.unlockMinutes() * 60_000;
        return statusOf(record);
      }
      openUntil = 0;
      const wrongTries = record.wrongTries + 1;
      if (wrongTries >= MAX_WRONG_TRIES) {
        const lockedUntil = at + FIRST_LOCK_MS * 2 ** record.locks;
        await store({ ...record, wrongTries: 0, locks: record.locks + 1, lockedUntil });
        throw lockedFailure(lockedUntil);
      }
      await store({ ...record, wrongTries, lockedUntil: null });
      const left = MAX_WRONG_TRIES - wrongTries;
      throw new AppFailure({ code: 'pin.wrong', message: `Wrong PIN. ${left} more ${left === 1 ? 'try' : 'tries'} before it locks.` });
    }),

    async lock() {
      openUntil = 0;
      return statusOf(await read());
    },

    set: (pin) => serial(async () => {
      const salt = randomBytes(16);
      const hash = await derive(pin, salt, cost);
      const record: PinRecord = { version: 1, salt: salt.toString('base64'), hash: hash.toString('base64'), cost, wrongTries: 0, locks: 0, lockedUntil: null };
      await store(record);
      openUntil = now() + deps.unlockMinutes() * 60_000;
      return statusOf(record);
    }),

    remove: () => serial(async () => {
      await store(null);
      openUntil = 0;
      return statusOf(null);
    }),

    async requireOpen() {
      const record = await read();
      if (record === null) return;
      const at = now();
      if (openUntil > at) return;
      if (record.lockedUntil !== null && record.lockedUntil > at) throw lockedFailure(record.lockedUntil);
      throw new AppFailure({ code: 'pin.required', message: 'This action needs the owner PIN.' });
    },
  };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}
