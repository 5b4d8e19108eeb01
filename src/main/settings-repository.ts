import { DEFAULT_SETTINGS, SettingsSchema, type Settings } from '../shared/settings';
import { AppFailure, describeZodIssues, zodIssuesByField } from '../shared/errors';

/**
 * The part of electron-store / conf that settings need. electron-store is conf with Electron's
 * defaults, so main passes an electron-store and the web bridge and tests pass a conf with the
 * same key — same code, same file format.
 */
export interface KeyValueBackend {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
  /** conf / electron-store with `watch: true` also call this when another process edits the file. */
  onDidAnyChange?(callback: () => void): () => void;
  /** conf's way to stop watching the file (it would keep a test process alive). */
  _closeWatcher?(): void;
}

const SETTINGS_KEY = 'settings';

export interface SettingsRepository {
  /** The settings, read and checked once and then kept; read again when the file changes. */
  load(): Settings;
  /** Validates and stores; throws `settings.invalid` (with per-field messages) and stores nothing when invalid. */
  save(candidate: unknown): Settings;
  /** Called after the stored settings changed (saved here or edited in the file). */
  onChange(listener: () => void): () => void;
  dispose(): void;
}

export function createSettingsRepository(backend: KeyValueBackend, warn: (line: string) => void = console.warn): SettingsRepository {
  let cached: Settings | null = null;
  const listeners = new Set<() => void>();
  const stopWatching = backend.onDidAnyChange?.(() => {
    cached = null;
    for (const listener of listeners) listener();
  });

  const read = (): Settings => {
    const stored = backend.get(SETTINGS_KEY);
    if (stored === undefined) return structuredClone(DEFAULT_SETTINGS);
    const merged = mergeOverDefaults(stored);
    const parsed = SettingsSchema.safeParse(merged);
    if (parsed.success) return parsed.data;
    // A hand-edited or older file: keep the fields that are still valid rather than losing everything.
    warn(`[settings] stored settings are partly invalid, using defaults for: ${describeZodIssues(parsed.error)}`);
    return repairField(merged, parsed.error.issues.map((i) => i.path));
  };

  return {
    load() {
      cached ??= read();
      // A copy, so no caller can change what the next one reads.
      return structuredClone(cached);
    },
    onChange(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    dispose() {
      stopWatching?.();
      backend._closeWatcher?.();
      listeners.clear();
    },
    save(candidate) {
      const parsed = SettingsSchema.safeParse(candidate);
      if (!parsed.success) {
        throw new AppFailure({
          code: 'settings.invalid',
          message: `Settings not saved: ${describeZodIssues(parsed.error)}`,
          fields: zodIssuesByField(parsed.error),
        });
      }
      backend.set(SETTINGS_KEY, parsed.data);
      cached = parsed.data;
      // A backend without change events (tests) is told about here; conf reports its own writes.
      if (stopWatching === undefined) for (const listener of listeners) listener();
      return structuredClone(parsed.data);
    },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeOverDefaults(stored: unknown): unknown {
  if (!isPlainObject(stored)) return structuredClone(DEFAULT_SETTINGS);
  const deepMerge = (base: unknown, over: unknown): unknown => {
    if (!isPlainObject(base) || !isPlainObject(over)) return over === undefined ? base : over;
    const result: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(over)) {
      if (key in base) result[key] = deepMerge(base[key], value);
    }
    return result;
  };
  return deepMerge(structuredClone(DEFAULT_SETTINGS), stored);
}

function repairField(merged: unknown, badPaths: PropertyKey[][]): Settings {
  const copy = structuredClone(merged) as Record<string, unknown>;
  for (const path of badPaths) {
    const top = path[0];
    if (typeof top === 'string' && top in DEFAULT_SETTINGS) {
      copy[top] = structuredClone(DEFAULT_SETTINGS[top as keyof Settings]);
    }
  }
  const parsed = SettingsSchema.safeParse(copy);
  return parsed.success ? parsed.data : structuredClone(DEFAULT_SETTINGS);
}
