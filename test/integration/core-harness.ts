import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Conf from 'conf';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { createInMemorySecretStore } from '../../src/main/secret-store';
import { createRedactor } from '../../src/main/redaction';
import type { AppEvent } from '../../src/shared/contract';
import type { LinkRecord } from '../../src/shared/link';
import type { RunningSimulator } from '../../src/simulator';
import type { RequestBudget } from '../../src/main/watcher/request-budget';

/** The whole app core in Demo mode (embedded simulator, real history, in-memory keychain), driven through its IPC dispatcher. */
export const sender = { url: 'app://link-desk/', isTopFrame: true };
export const baseInput = { amountCents: 1750, currency: 'EUR', reference: 'Order 4711', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } } as const;

const cores = new Set<AppCore>();

export async function stopCores(): Promise<void> {
  for (const core of cores) await core.dispose().catch(() => undefined);
  cores.clear();
}

export type CallResult<T> = { ok: true; value: T } | { ok: false; error: { code: string; message: string; fields?: Record<string, string>; supportId?: string } };

export interface CoreOptions {
  /**
   * A simulator the test started (`startSimulator({ testControl: true })`): this core's Demo mode
   * uses it instead of an embedded one, so several cores share one secuconnect account.
   */
  simulator?: RunningSimulator;
  /** A request budget of the test's (default: the app's 1 request per second). */
  budget?: RequestBudget;
  requestTimeoutMs?: number;
}

export async function startCore(dataDir?: string, options: CoreOptions = {}) {
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), 'link-desk-core-')));
  const notifications: Array<{ title: string; body: string; merchantRef: string }> = [];
  const opened: string[] = [];
  const core = await createAppCore({
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
    startWatcher: false,
    ...(options.budget ? { budget: options.budget } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    // Tests drive payments and faults over the control routes, which the shipped Demo lacks.
    demoSimulator: options.simulator ? { shared: options.simulator } : { testControl: true },
  });
  cores.add(core);
  const events: AppEvent[] = [];
  core.events.subscribe((e) => events.push(e));
  const call = async <T = LinkRecord>(channel: string, input: unknown): Promise<CallResult<T>> => (await core.dispatch(channel, sender, input)) as CallResult<T>;
  const control = async (path: string, init: { method?: string; body?: unknown } = {}) => {
    const response = await fetch(`${(await core.demo.get()).baseUrl}/__control/${path}`, {
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
  return { core, dir, call, control, apiRequests, notifications, opened, events };
}

export async function createLink(call: Awaited<ReturnType<typeof startCore>>['call'], input: object = baseInput): Promise<LinkRecord> {
  const result = await call('links.create', input);
  if (!result.ok) throw new Error(`create failed: ${JSON.stringify(result.error)}`);
  return result.value;
}
