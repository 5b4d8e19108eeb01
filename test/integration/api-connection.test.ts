import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createApiConnection, type ApiConnection } from '../../src/main/secuconnect/connection';
import { createSecuconnectClient, TokenCache } from '../../src/main/secuconnect';

/** A stand-in API host that counts TCP connections and requests. */
async function countingServer() {
  const sockets = new Set<Socket>();
  let connections = 0;
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.setHeader('content-type', 'application/json');
    if (req.url === '/oauth/token') return void res.end(JSON.stringify({ access_token: 'tok', expires_in: 1200, token_type: 'bearer' }));
    res.end(JSON.stringify({ count: 0, data: [] }));
  });
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    requests,
    dropIdleConnections: () => {
      for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('the API connection', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  async function setup() {
    const server = await countingServer();
    const connection: ApiConnection = createApiConnection(server.baseUrl);
    cleanups.push(async () => {
      await connection.close();
      await server.close();
    });
    return { server, connection };
  }

  it('sends the login and the request right after it over one connection', async () => {
    const { server, connection } = await setup();
    const client = createSecuconnectClient({
      baseUrl: server.baseUrl,
      clientId: 'client-1',
      getClientSecret: async () => 'secret',
      tokenCache: new TokenCache(),
      connection,
    });
    await client.listSmartTransactions({ count: 1 });
    await client.listSmartTransactions({ count: 1 });
    expect(server.requests).toEqual(['POST /oauth/token', 'GET /api/v2/Smart/Transactions?count=1', 'GET /api/v2/Smart/Transactions?count=1']);
    expect(server.connections()).toBe(1);
  });

  it('opens a connection in advance without sending anything, and the next request uses it', async () => {
    const { server, connection } = await setup();
    expect(connection.isOpen()).toBe(false);
    const [first, second] = await Promise.all([connection.preconnect(), connection.preconnect()]);
    expect([first, second]).toEqual([true, true]);
    await waitFor(() => server.connections() > 0);
    expect(server.connections()).toBe(1);
    expect(server.requests).toEqual([]);
    expect(connection.isOpen()).toBe(true);

    const response = await connection.fetch(`${server.baseUrl}/api/v2/Smart/Transactions`);
    await response.text();
    expect(server.requests).toEqual(['GET /api/v2/Smart/Transactions']);
    expect(server.connections()).toBe(1);
  });

  it('notices when the server closed the connection and opens a new one when asked', async () => {
    const { server, connection } = await setup();
    await connection.preconnect();
    await waitFor(() => server.connections() === 1);
    server.dropIdleConnections();
    await waitFor(() => !connection.isOpen());
    expect(connection.isOpen()).toBe(false);

    expect(await connection.preconnect()).toBe(true);
    await waitFor(() => server.connections() === 2);
    expect(server.connections()).toBe(2);
    const response = await connection.fetch(`${server.baseUrl}/x`);
    await response.text();
    expect(server.connections()).toBe(2);
  });

  it('client.warmUp logs in and leaves the connection open; the request after it needs neither', async () => {
    const { server, connection } = await setup();
    const client = createSecuconnectClient({
      baseUrl: server.baseUrl,
      clientId: 'client-1',
      getClientSecret: async () => 'secret',
      tokenCache: new TokenCache(),
      connection,
    });
    expect(await client.warmUp()).toEqual({ token: 'renewed', connectionOpen: true });
    expect(await client.warmUp()).toEqual({ token: 'cached', connectionOpen: true });
    await client.listSmartTransactions({ count: 1 });
    expect(server.requests).toEqual(['POST /oauth/token', 'GET /api/v2/Smart/Transactions?count=1']);
    expect(server.connections()).toBe(1);
  });

  it('reports no open connection when the host cannot be reached', async () => {
    const { server, connection } = await setup();
    await server.close();
    expect(await connection.preconnect()).toBe(false);
    expect(connection.isOpen()).toBe(false);
  });
});
