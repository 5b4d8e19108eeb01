/**
 * Stand-in for the Electron preload when the renderer runs in a normal browser through the web
 * bridge: the same `window.linkDesk` (one function per contract channel + subscribe), carried
 * over HTTP to the bridge, which runs the very same handler table as Electron's main.
 */
import { CHANNEL_NAMES } from '../shared/contract/channel-names';

type Listener = (event: unknown) => void;

const listeners = new Set<Listener>();
let source: EventSource | null = null;

function ensureEventStream(): void {
  if (source !== null) return;
  source = new EventSource('/__bridge/events');
  source.onmessage = (message) => {
    let payload: unknown;
    try {
      payload = JSON.parse(message.data as string);
    } catch {
      return;
    }
    for (const listener of listeners) listener(payload);
  };
}

async function invoke(channel: string, input: unknown): Promise<unknown> {
  const response = await fetch(`/ipc/${encodeURIComponent(channel)}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      // Electron tells main which frame called; here the page says whether it is the top frame.
      'x-link-desk-frame': window.top === window ? 'top' : 'sub',
    },
    body: JSON.stringify(input ?? {}),
  });
  return response.json();
}

const api: Record<string, unknown> = {};
for (const name of CHANNEL_NAMES) api[name] = (input: unknown) => invoke(name, input);
api.subscribe = (listener: Listener) => {
  listeners.add(listener);
  ensureEventStream();
  return () => {
    listeners.delete(listener);
  };
};

Object.defineProperty(window, 'linkDesk', { value: Object.freeze(api), writable: false, configurable: false });
