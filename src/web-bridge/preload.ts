/**
 * Stand-in for the Electron preload when the renderer runs in a normal browser through the web
 * bridge: the same `window.linkDesk` (one function per contract channel + subscribe), carried
 * over HTTP to the bridge, which runs the very same handler table as Electron's main.
 */
import { CHANNEL_NAMES, CUSTOMER_DISPLAY_CHANNELS, type WindowRole } from '../shared/contract/channel-names';

type Listener = (event: unknown) => void;

/**
 * The customer display is the same page under `#customer-display/<ref>` (the renderer opens it
 * itself behind a browser). Like Electron's display preload it gets only the display's
 * channels, and it tells the bridge which page it is so main applies the same refusals.
 */
const role: WindowRole = window.location.hash.startsWith('#customer-display/') ? 'customer-display' : 'main';

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
      'x-link-desk-window': role,
    },
    body: JSON.stringify(input ?? {}),
  });
  if (response.ok) return response.json();
  // The bridge refused the request itself (size, type, origin): the same error value as any other failure.
  const code = response.status === 403 ? 'ipc.forbidden_sender' : response.status < 500 ? 'ipc.invalid_input' : 'internal';
  return { ok: false, error: { code, message: await response.text() } };
}

const api: Record<string, unknown> = {};
const channels: readonly string[] = role === 'main' ? CHANNEL_NAMES : CUSTOMER_DISPLAY_CHANNELS;
for (const name of channels) api[name] = (input: unknown) => invoke(name, input);
api.subscribe = (listener: Listener) => {
  listeners.add(listener);
  ensureEventStream();
  return () => {
    listeners.delete(listener);
  };
};

Object.defineProperty(window, 'linkDesk', { value: Object.freeze(api), writable: false, configurable: false });
