import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import Conf from 'conf';
import { createAppCore, type AppCore } from '../../src/main/app-core';
import { createInMemorySecretStore, type SecretStore } from '../../src/main/secret-store';
import { createRedactor } from '../../src/main/redaction';
import { OWNER_PIN_ACCOUNT } from '../../src/main/owner-pin';
import { CHANNEL_NAMES, PIN_PROTECTED_CHANNELS } from '../../src/shared/contract';
import { DEFAULT_SETTINGS } from '../../src/shared/settings';
import { DEMO_ACCOUNT, startSimulator, type RunningSimulator } from '../../src/simulator';

/**
 * The shared-counter rules through the real app core (real settings file, history, log file,
 * a simulator over loopback; an in-memory keychain so the PIN record can be inspected).
 */
const sender = { url: 'app://link-desk/', isTopFrame: true } as const;
const linkInput = { amountCents: 1250, currency: 'EUR', reference: 'Counter 1', language: 'de', paymentMethod: 'any', returnUrls: { success: '', error: '', abort: '' } };
type Answer = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };

let simulator: RunningSimulator;
const cores: AppCore[] = [];

beforeAll(async () => {
  simulator = await startSimulator({ testControl: true });
});
afterAll(() => simulator.stop());
afterEach(async () => {
  for (const core of cores.splice(0)) await core.dispose();
});

async function start(secrets: SecretStore = createInMemorySecretStore()) {
  const dataDir = await mkdtemp(join(tmpdir(), 'link-desk-counter-'));
  const logged: string[] = [];
  const core = await createAppCore({
    dataDir,
    settingsBackend: new Conf({ cwd: dataDir, configName: 'settings', projectName: 'link-desk', watch: true }),
    secretStore: secrets,
    redactor: createRedactor(),
    isTrustedSender: () => true,
    info: { version: 'test', shell: 'web-bridge', platform: 'linux', systemLanguage: 'en' },
    openExternal: async () => false,
    openCustomerDisplay: () => false,
    notifier: { notify: () => undefined },
    startWatcher: false,
    logError: (line) => logged.push(line),
    pinCost: { N: 2 ** 10, r: 8, p: 1 },
  });
  cores.push(core);
  const events: unknown[] = [];
  core.events.subscribe((event) => events.push(event));
  const call = async (channel: string, input: unknown = {}) => (await core.dispatch(channel, sender, input)) as Answer;
  return { core, dataDir, secrets, call, events, logged };
}

/** Testing against our simulator: a custom API address on loopback with the simulator's account. */
async function connect(call: (channel: string, input?: unknown) => Promise<Answer>) {
  const settings = { ...DEFAULT_SETTINGS, environment: 'custom', customBaseUrl: simulator.baseUrl, clientId: DEMO_ACCOUNT.clientId, contractId: DEMO_ACCOUNT.contractId };
  expect(await call('settings.save', { settings })).toMatchObject({ ok: true });
  expect(await call('secret.set', { secret: DEMO_ACCOUNT.clientSecret })).toMatchObject({ ok: true });
}

const creates = () => simulator.stats.requests.filter((r) => r.method === 'POST' && r.path.startsWith('/api/v2/Smart/Transactions')).length;

describe('owner PIN through the dispatcher', () => {
  it('asks for the PIN on every protected channel, and only there', async () => {
    const { call } = await start();
    expect(await call('pin.set', { pin: '2468' })).toMatchObject({ ok: true, value: { pin: { set: true } } });
    await call('pin.lock');
    for (const channel of PIN_PROTECTED_CHANNELS) {
      const input = channel === 'links.refund' ? { merchantRef: 'LD-x', amountCents: 100 } : channel.startsWith('links.cancel') && channel !== 'links.cancelExpired' ? { merchantRef: 'LD-x' }
        : channel === 'history.exportCsv' ? { query: {}, separator: ';' } : channel === 'settings.save' ? { settings: DEFAULT_SETTINGS }
        : channel === 'secret.set' ? { secret: 'abcdefgh' } : channel === 'pin.set' ? { pin: '1111' } : {};
      expect(await call(channel, input), channel).toMatchObject({ ok: false, error: { code: 'pin.required' } });
    }
    // Everyday counter work goes on without it.
    expect(await call('links.create', linkInput)).toMatchObject({ ok: true });
    expect(await call('history.query', {})).toMatchObject({ ok: true });
    // The PIN is still the first one: "pin.set" above was refused.
    expect(await call('pin.unlock', { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin.wrong' } });
    expect(await call('pin.unlock', { pin: '2468' })).toMatchObject({ ok: true, value: { unlockedUntil: expect.any(String) } });
    expect(await call('history.exportCsv', { query: {}, separator: ';' })).toMatchObject({ ok: true, value: { rows: 1 } });
    expect(await call('settings.save', { settings: { ...DEFAULT_SETTINGS, deskName: 'Kasse 2' } })).toMatchObject({ ok: true });
  });

  it('locks after five wrong PINs, even for the right one, and says so', async () => {
    const { call } = await start();
    await call('pin.set', { pin: '2468' });
    for (let i = 1; i <= 4; i++) expect(await call('pin.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'pin.wrong' } });
    expect(await call('pin.unlock', { pin: '0000' })).toMatchObject({ ok: false, error: { code: 'pin.locked' } });
    expect(await call('pin.unlock', { pin: '2468' })).toMatchObject({ ok: false, error: { code: 'pin.locked' } });
    expect(await call('links.refund', { merchantRef: 'LD-x', amountCents: 1 })).toMatchObject({ ok: false, error: { code: 'pin.locked' } });
    const status = await call('pin.status');
    expect(status).toMatchObject({ ok: true, value: { set: true, unlockedUntil: null, lockedUntil: expect.any(String) } });
  });

  it('never lets the PIN or its hash out: not in any answer, event, settings file or log line', async () => {
    const { call, secrets, events, dataDir, core } = await start();
    await call('pin.set', { pin: '97531' });
    const record = await secrets.get(OWNER_PIN_ACCOUNT);
    expect(record).not.toBeNull();
    const { hash, salt } = JSON.parse(record ?? '{}') as { hash: string; salt: string };
    await call('pin.unlock', { pin: '11111' });
    const answers: unknown[] = [];
    for (const channel of CHANNEL_NAMES) answers.push(await call(channel, {}));
    answers.push(await call('pin.unlock', { pin: '97531' }), await call('pin.status'), await call('settings.get'), await call('diagnostics.get'));
    const files = await Promise.all((await readdir(dataDir, { recursive: true, withFileTypes: true }))
      .filter((entry) => entry.isFile() && !entry.name.endsWith('.db') && !entry.name.includes('sqlite'))
      .map((entry) => readFile(join(entry.parentPath, entry.name), 'utf8')));
    const everything = JSON.stringify({ answers, events, files, recent: core.log.recent() });
    for (const leaked of [hash, salt, '97531']) expect(everything).not.toContain(leaked);
    expect(everything).toContain('"set":true');
  });
});

describe('credentials', () => {
  it('drops the cached token with the secret: after "Remove" no link can be created', async () => {
    const { call } = await start();
    await connect(call);
    expect(await call('links.create', linkInput)).toMatchObject({ ok: true });
    const before = creates();
    expect(await call('secret.remove')).toMatchObject({ ok: true, value: { secretStored: false } });
    expect(await call('links.create', linkInput)).toMatchObject({ ok: false, error: { code: 'auth.missing_secret' } });
    expect(await call('links.create', linkInput)).toMatchObject({ ok: false });
    expect(creates()).toBe(before);
  });

  it('logs in afresh when the client ID changes (no token of the old credentials is reused)', async () => {
    const { call } = await start();
    await connect(call);
    expect(await call('links.create', linkInput)).toMatchObject({ ok: true });
    const tokens = simulator.stats.tokenRequests;
    const view = (await call('settings.get')) as { ok: true; value: { settings: typeof DEFAULT_SETTINGS } };
    await call('settings.save', { settings: { ...view.value.settings, clientId: 'someone-else' } });
    expect(await call('links.create', linkInput)).toMatchObject({ ok: false, error: { code: 'auth.invalid_credentials' } });
    expect(simulator.stats.tokenRequests).toBeGreaterThan(tokens);
  });
});

describe('settings file edited outside the app', () => {
  it('is read again, drops tokens of the old credentials and tells the screens', async () => {
    const { call, dataDir, events } = await start();
    await connect(call);
    expect(await call('links.create', linkInput)).toMatchObject({ ok: true });
    const view = (await call('settings.get')) as { ok: true; value: { settings: typeof DEFAULT_SETTINGS } };
    const edited = { ...view.value.settings, clientId: 'edited-by-hand', merchantName: 'Laden am Eck' };
    await writeFile(join(dataDir, 'settings.json'), JSON.stringify({ settings: edited }));
    await expect.poll(async () => ((await call('settings.get')) as { value: { settings: { merchantName: string } } }).value.settings.merchantName, { timeout: 8000 }).toBe('Laden am Eck');
    expect(JSON.stringify(events)).toContain('Laden am Eck');
    // The cached token belonged to the old client ID: the next create must log in again, and fails.
    expect(await call('links.create', linkInput)).toMatchObject({ ok: false, error: { code: 'auth.invalid_credentials' } });
  });
});

describe('log file', () => {
  it('holds main and renderer errors, without the secret or customer e-mail addresses', async () => {
    const { call, core } = await start();
    await connect(call);
    // An unexpected failure inside a handler whose text carries the secret and an address.
    core.handlers['history.status'] = async () => {
      throw new Error(`disk said ${DEMO_ACCOUNT.clientSecret} for anna.kunde@example.com`);
    };
    expect(await call('history.status')).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(await call('log.report', { where: 'HistoryScreen', message: 'TypeError: x is undefined (max@example.org)' })).toMatchObject({ ok: true });
    const text = await readFile(core.log.filePath, 'utf8');
    expect(text).toContain('history.status failed');
    expect(text).toContain('[renderer] HistoryScreen: TypeError: x is undefined');
    expect(text).not.toContain(DEMO_ACCOUNT.clientSecret);
    expect(text).not.toMatch(/anna\.kunde@|max@example/);
    const diagnostics = (await call('diagnostics.get')) as { ok: true; value: { text: string } };
    expect(diagnostics.value.text).toContain('Environment: custom');
    expect(diagnostics.value.text).toContain('history.status failed');
    expect(diagnostics.value.text).not.toContain(DEMO_ACCOUNT.clientSecret);
  });
});
