import { request } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { createDemoSimulatorHost } from '../../src/main/demo-simulator-host';
import { createLink as createCoreLink, startCore, stopCores } from './core-harness';
import { call, createLink, tokenFor } from './simulator-helpers';

const started: RunningSimulator[] = [];
async function simulator(options: Parameters<typeof startSimulator>[0] = {}): Promise<RunningSimulator> {
  const sim = await startSimulator(options);
  started.push(sim);
  return sim;
}
afterEach(async () => {
  await stopCores();
  for (const sim of started.splice(0)) await sim.stop();
});

/** fetch() does not let a caller choose the Host header; a rebinding page's browser sends its own name. */
function getWithHost(sim: RunningSimulator, path: string, host: string): Promise<{ status: number; body: string }> {
  const url = new URL(sim.baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers: { Host: host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the simulator as the app ships it (Demo mode)', () => {
  it('has no control routes and sends no CORS header, unless a test asks for them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'link-desk-demo-'));
    const host = createDemoSimulatorHost(dir);
    try {
      const demo = await host.get();
      const token = await call(demo, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials', client_id: 'x', client_secret: 'y' } });
      expect(token.status).toBe(400);
      expect(token.headers.get('access-control-allow-origin')).toBeNull();
      const stx = await createLink(demo, await tokenFor(demo));
      for (const [method, path] of [
        ['POST', `/__control/transactions/${stx.id}/pay`],
        ['POST', '/__control/faults'],
        ['GET', '/__control/stats'],
        ['POST', '/__control/transactions'],
      ] as const) {
        expect((await call(demo, method, path, method === 'POST' ? { body: {} } : {})).status).toBe(404);
      }
      expect(demo.control.get(stx.id)?.status).toBe('created');
    } finally {
      await host.stop();
    }

    const tested = createDemoSimulatorHost(await mkdtemp(join(tmpdir(), 'link-desk-demo-')), { testControl: true });
    try {
      const demo = await tested.get();
      expect((await call(demo, 'GET', '/__control/stats')).status).toBe(200);
      expect((await call(demo, 'GET', '/')).headers.get('access-control-allow-origin')).toBe('*');
    } finally {
      await tested.stop();
    }
  });

  it('answers only to its own host name: 127.0.0.1:<port> or localhost:<port>', async () => {
    const sim = await simulator();
    const port = new URL(sim.baseUrl).port;
    expect((await getWithHost(sim, '/', `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getWithHost(sim, '/', `localhost:${port}`)).status).toBe(200);
    for (const foreign of ['attacker.example', `attacker.example:${port}`, '127.0.0.1', `127.0.0.1:${Number(port) + 1}`, `localhost.attacker.example:${port}`]) {
      const answer = await getWithHost(sim, '/api/v2/Smart/Transactions', foreign);
      expect(answer.status, foreign).toBe(421);
      expect(answer.body).not.toContain('STX_');
    }
    // A refused request is not served, so it does not reach the request log either.
    expect(sim.stats.requests.map((r) => r.path)).toEqual(['/', '/']);
  });

  it('keeps a bounded request log: the newest requests, and a total of all', async () => {
    const sim = await simulator({ requestLogLimit: 5 });
    const token = await tokenFor(sim);
    for (let i = 0; i < 12; i++) await call(sim, 'GET', `/api/v2/Smart/Transactions?offset=${i}`, { token });
    expect(sim.stats.requests).toHaveLength(5);
    expect(sim.stats.requests.map((r) => r.path)).toEqual(Array(5).fill('/api/v2/Smart/Transactions'));
    expect(sim.stats.totalRequests).toBe(13);
    expect(sim.stats.tokenRequests).toBe(1);
    sim.stats.reset();
    expect(sim.stats.totalRequests).toBe(0);
  });
});

describe('two app cores on one simulator', () => {
  it('share the account: both create there, each drives it through the harness', async () => {
    const shared = await simulator({ testControl: true });
    const a = await startCore(undefined, { simulator: shared });
    const b = await startCore(undefined, { simulator: shared });
    expect(await a.core.demo.get()).toBe(shared);
    const fromA = await createCoreLink(a.call);
    const fromB = await createCoreLink(b.call);
    const token = await tokenFor(shared);
    const answer = await call(shared, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent('status:created')}&count=100`, { token });
    const ids = answer.json.data.map((s: { id: string }) => s.id);
    expect(ids).toEqual(expect.arrayContaining([fromA.id, fromB.id]));

    await b.control(`transactions/${fromA.id ?? ''}/pay`, { body: { method: 'creditcard' } });
    expect(shared.control.get(fromA.id ?? '')?.status).toBe('ok');
    expect(await a.apiRequests('POST', '/api/v2/Smart/Transactions')).toBe(2);

    // A core stopping leaves the shared simulator running for the other.
    await a.core.dispose();
    expect((await call(shared, 'GET', '/')).status).toBe(200);
  });
});
