import type { Socket } from 'node:net';
import { Pool, buildConnector, fetch as undiciFetch } from 'undici';

/**
 * The HTTP connection to one API host, shared by every client that talks to it: token and
 * create requests go over the same kept-alive socket.
 *
 * Why undici's Pool (the npm package, the library behind Node's own fetch) and not node:https'
 * Agent: the client speaks fetch, and a Pool gives the connection limit and idle timeouts as
 * options, plus a connector hook through which a connection can be opened before it is needed.
 * An https Agent would mean giving up fetch for http.request and redoing streams and timeouts.
 *
 * - `connections: 1`: with more allowed, a request dispatched in the moment its predecessor's
 *   socket is not yet back in the pool (create right after the token) opens a second connection:
 *   one more round trip, more with TLS. The API allows about one request a second per account,
 *   so requests rarely wait for each other, and a stuck one waits at most the client's timeout.
 * - Idle timeout 10 minutes instead of undici's 4 s: at a counter the next link comes minutes
 *   later. Servers and load balancers close idle connections earlier; undici notices that and
 *   the warm-up (`preconnect`) opens a new one while the merchant types.
 * - TCP keep-alive probes after 30 s idle keep NAT and firewall state, at no API cost.
 */
export const CONNECTION_IDLE_TIMEOUT_MS = 10 * 60_000;
const CONNECT_TIMEOUT_MS = 10_000;
const TCP_KEEPALIVE_DELAY_MS = 30_000;

export interface ApiConnection {
  readonly origin: string;
  /** fetch through this connection; the same call shape as the global one. */
  readonly fetch: typeof fetch;
  /**
   * Opens a connection (TCP, and TLS for https) if none is open, without sending a request:
   * nothing is created, nothing counts against the API's request budget. True once one is open.
   */
  preconnect(): Promise<boolean>;
  /** Whether a connection to the host is open (in use, idle in the pool, or opened in advance). */
  isOpen(): boolean;
  close(): Promise<void>;
}

export function createApiConnection(baseUrl: string): ApiConnection {
  const url = new URL(baseUrl);
  const origin = url.origin;
  const https = url.protocol === 'https:';
  const port = url.port || (https ? '443' : '80');
  const connectNow = buildConnector({ timeout: CONNECT_TIMEOUT_MS, keepAlive: true, keepAliveInitialDelay: TCP_KEEPALIVE_DELAY_MS });

  const open = new Set<Socket>();
  /** Opened by preconnect and not yet taken by the pool. */
  let spare: Socket | null = null;
  let opening: Promise<boolean> | null = null;

  const usable = (socket: Socket) => !socket.destroyed && socket.readyState === 'open';
  const track = (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      if (spare === socket) spare = null;
    });
  };
  const takeSpare = (): Socket | null => {
    const socket = spare;
    spare = null;
    if (!socket || !usable(socket)) return null;
    socket.setTimeout(0);
    socket.pause();
    socket.ref();
    return socket;
  };

  // The pool asks here for every new connection: a connection opened in advance (or still being
  // opened) is handed over instead of dialling again. Always answered asynchronously: undici's
  // client hangs when the callback runs before the connector has returned.
  const connect: buildConnector.connector = (options, callback) => {
    void (async () => {
      await opening;
      const ready = takeSpare();
      if (ready) return callback(null, ready);
      connectNow(options, (error, socket) => {
        if (error) return callback(error, null);
        track(socket);
        callback(null, socket);
      });
    })();
  };

  const pool = new Pool(origin, {
    connections: 1,
    keepAliveTimeout: CONNECTION_IDLE_TIMEOUT_MS,
    keepAliveMaxTimeout: CONNECTION_IDLE_TIMEOUT_MS,
    connect,
  });

  const connectionFetch = ((input: string | URL, init?: RequestInit) =>
    // undici's fetch and Response are the ones Node's global fetch is built from; the types differ only nominally.
    undiciFetch(input, { ...(init as object), dispatcher: pool })) as unknown as typeof fetch;

  return {
    origin,
    fetch: connectionFetch,
    isOpen: () => [...open].some(usable),
    preconnect() {
      if ([...open].some(usable)) return Promise.resolve(true);
      opening ??= new Promise<boolean>((resolve) => {
        const options: buildConnector.Options = { hostname: url.hostname, host: url.host, protocol: url.protocol, port };
        if (https) options.servername = url.hostname;
        connectNow(options, (error, socket) => {
          opening = null;
          if (error) return resolve(false);
          track(socket);
          // Read (and drop) what arrives while it waits, so a server closing it is noticed; a
          // connection kept for later must not keep the process alive (undici refs it when in use).
          socket.resume();
          socket.unref();
          socket.setTimeout(CONNECTION_IDLE_TIMEOUT_MS, () => socket.destroy());
          spare = socket;
          resolve(true);
        });
      });
      return opening;
    },
    async close() {
      takeSpare()?.destroy();
      await pool.close();
    },
  };
}

const connections = new Map<string, ApiConnection>();

/** The process-wide connection to an API host (one per origin, whatever account uses it). */
export function apiConnectionFor(baseUrl: string): ApiConnection {
  const origin = new URL(baseUrl).origin;
  let connection = connections.get(origin);
  if (!connection) {
    connection = createApiConnection(origin);
    connections.set(origin, connection);
  }
  return connection;
}
