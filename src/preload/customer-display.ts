import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CUSTOMER_DISPLAY_CHANNELS, EVENT_CHANNEL, IPC_PREFIX } from '../shared/contract/channel-names';

/**
 * The customer display's preload: only the channels the display needs to show one link's
 * amount, QR and status (and to report its own crash). Main refuses every other channel from
 * this window anyway; not exposing them keeps a compromised display page from even trying.
 */
const api: Record<string, unknown> = {};
for (const name of CUSTOMER_DISPLAY_CHANNELS) {
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
