import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, IPC_PREFIX } from '../shared/contract/channel-names';

/**
 * Exposes exactly one function per given channel plus `subscribe` as `window.linkDesk`, nothing
 * else: no raw ipcRenderer, no process. Validation happens in main; the page is not trusted.
 * Each preload is built as its own file (isolatedEntries), so this is inlined into both.
 */
export function exposeChannels(names: readonly string[]): void {
  const api: Record<string, unknown> = {};
  for (const name of names) {
    api[name] = (input: unknown) => ipcRenderer.invoke(`${IPC_PREFIX}${name}`, input);
  }
  api.subscribe = (listener: (event: unknown) => void) => {
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, forward);
    };
  };
  contextBridge.exposeInMainWorld('linkDesk', Object.freeze(api));
}
