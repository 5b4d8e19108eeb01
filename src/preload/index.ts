import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, EVENT_CHANNEL, IPC_PREFIX } from '../shared/contract/channel-names';

/**
 * Exposes exactly one function per contract channel plus `subscribe`, nothing else: no raw
 * ipcRenderer, no process. Validation happens in main; the renderer is not trusted.
 */
const api: Record<string, unknown> = {};
for (const name of CHANNEL_NAMES) {
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
