import { existsSync, readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, CUSTOMER_DISPLAY_CHANNELS, IPC_PREFIX } from '../../src/shared/contract/channel-names';
import { createDispatcher, type HandlerTable } from '../../src/main/ipc/dispatcher';
import { createRedactor } from '../../src/main/redaction';

vi.mock('electron', () => ({}));
const { bindIpc, createWindowRoles } = await import('../../src/main/electron/ipc-binding');

/** Runs a built preload with a stand-in `electron` and returns what it put on `window`. */
function exposedBy(file: string): { keys: string[]; invoked: string[]; requires: string[] } {
  const exposed: Record<string, Record<string, (input: unknown) => unknown>> = {};
  const invoked: string[] = [];
  const requires: string[] = [];
  const electron = {
    contextBridge: { exposeInMainWorld: (name: string, api: Record<string, (input: unknown) => unknown>) => (exposed[name] = api) },
    ipcRenderer: { invoke: (channel: string) => invoked.push(channel), on: () => undefined, removeListener: () => undefined },
  };
  const require = (name: string) => {
    requires.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
    return electron;
  };
  runInNewContext(readFileSync(file, 'utf8'), { require, module: { exports: {} }, exports: {} });
  const api = exposed['linkDesk'] ?? {};
  for (const key of Object.keys(api)) if (key !== 'subscribe') void api[key]?.({});
  return { keys: Object.keys(api).sort(), invoked, requires };
}

const built = existsSync('out/preload/customer-display.cjs') && existsSync('out/preload/index.cjs');

describe('customer display window', () => {
  it.skipIf(!built)('gets a preload with only its own channels; the main window gets them all', () => {
    const display = exposedBy('out/preload/customer-display.cjs');
    expect(display.keys).toEqual([...CUSTOMER_DISPLAY_CHANNELS, 'subscribe'].sort());
    expect(display.invoked.sort()).toEqual(CUSTOMER_DISPLAY_CHANNELS.map((c) => `${IPC_PREFIX}${c}`).sort());
    expect(display.requires).toEqual(['electron']);
    const main = exposedBy('out/preload/index.cjs');
    expect(main.keys).toEqual([...CHANNEL_NAMES, 'subscribe'].sort());
    expect(main.requires).toEqual(['electron']);
  });

  it('is refused by main on every channel but its own, whatever its preload sends', async () => {
    const handlers = Object.fromEntries(CHANNEL_NAMES.map((name) => [name, vi.fn(async () => ({}))])) as unknown as HandlerTable;
    const dispatch = createDispatcher({ handlers, isTrustedSender: () => true, redactor: createRedactor(), logError: () => undefined });
    const registered = new Map<string, (event: unknown, payload: unknown) => Promise<{ ok: boolean; error?: { code: string } }>>();
    bindIpc({ handle: (name: string, fn: never) => registered.set(name, fn) } as never, dispatch, roles);
    const frame = { url: 'file:///app/out/renderer/index.html', parent: null };
    const ran = () => CHANNEL_NAMES.filter((name) => vi.mocked(handlers[name]).mock.calls.length > 0);
    for (const channel of CHANNEL_NAMES) {
      const fromDisplay = await registered.get(`${IPC_PREFIX}${channel}`)?.({ sender: displayContents, senderFrame: frame }, {});
      const allowed = (CUSTOMER_DISPLAY_CHANNELS as readonly string[]).includes(channel);
      if (!allowed) expect(fromDisplay, channel).toEqual({ ok: false, error: { code: 'ipc.forbidden_sender', message: expect.any(String) } });
      else expect(fromDisplay?.error?.code, channel).not.toBe('ipc.forbidden_sender');
    }
    // Of all handlers, the display reached only those of its own channels that took `{}` as input.
    expect(ran().every((name) => (CUSTOMER_DISPLAY_CHANNELS as readonly string[]).includes(name))).toBe(true);
    for (const channel of CHANNEL_NAMES) {
      const fromMain = await registered.get(`${IPC_PREFIX}${channel}`)?.({ sender: mainContents, senderFrame: frame }, {});
      expect(fromMain?.error?.code, channel).not.toBe('ipc.forbidden_sender');
    }
    expect(ran().length).toBeGreaterThan(CUSTOMER_DISPLAY_CHANNELS.length);
  });
});

const roles = createWindowRoles();
const mainContents = {};
const displayContents = {};
roles.assign({ webContents: mainContents } as never, 'main');
roles.assign({ webContents: displayContents } as never, 'customer-display');
