import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/simulator';
import { call, createLink, linkRequest, tokenFor } from './simulator-helpers';

let sim: RunningSimulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ testControl: true });
  token = await tokenFor(sim);
});
afterEach(() => {
  sim.faults.clear();
});
afterAll(async () => {
  await sim.stop();
});

const listByRef = async (merchantRef: string) =>
  (await call(sim, 'GET', `/api/v2/Smart/Transactions?q=${encodeURIComponent(`merchantRef:${merchantRef}`)}`, { token })).json;

describe('faults', () => {
  it('status: answers with that status and the matching secuconnect payload, then recovers', async () => {
    sim.faults.add({ route: 'GET /api/v2/Smart/Transactions/*', kind: 'status', status: 503, times: 2 });
    const stx = await createLink(sim, token);
    for (let i = 0; i < 2; i++) {
      const answer = await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token });
      expect(answer.status).toBe(503);
      expect(answer.statusText).toBe('ProductInternalException');
      expect(answer.json).toMatchObject({ status: 'error', error: 'ProductInternalException', code: 0 });
    }
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(200);
  });

  it('status on /oauth/token answers in the OAuth shape', async () => {
    sim.faults.add({ route: '/oauth/token', kind: 'status', status: 500 });
    const answer = await call(sim, 'POST', '/oauth/token', { body: { grant_type: 'client_credentials' } });
    expect(answer.status).toBe(500);
    expect(answer.json.error).toBe('server_error');
  });

  it('a route with a method only hits that method; * matches exactly one segment', async () => {
    sim.faults.add({ route: 'POST /api/v2/Smart/Transactions/*', kind: 'status', status: 500, times: Infinity });
    const stx = await createLink(sim, token);
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(200);
    expect((await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}/cancel`, { token })).status).toBe(200);
    expect((await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(500);
    expect((await call(sim, 'POST', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(500);
  });

  it('retry-after: 429 with a Retry-After header', async () => {
    sim.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'retry-after', seconds: 7 });
    const answer = await call(sim, 'GET', '/api/v2/Smart/Transactions', { token });
    expect(answer.status).toBe(429);
    expect(answer.headers.get('retry-after')).toBe('7');
    expect(answer.json.status).toBe('error');
    expect((await call(sim, 'GET', '/api/v2/Smart/Transactions', { token })).status).toBe(200);
  });

  it('latency: the answer arrives after the delay', async () => {
    sim.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'latency', ms: 300 });
    const started = Date.now();
    const answer = await call(sim, 'GET', '/api/v2/Smart/Transactions', { token });
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('drop: the connection closes without an answer and nothing is created', async () => {
    sim.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'drop' });
    const merchantRef = `DROP-${Date.now()}`;
    await expect(call(sim, 'POST', '/api/v2/Smart/Transactions', { token, body: linkRequest({ merchantRef }) })).rejects.toThrow();
    expect((await listByRef(merchantRef)).count).toBe(0);
  });

  it('drop-after-processing: the transaction exists although the answer was lost', async () => {
    sim.faults.add({ route: 'POST /api/v2/Smart/Transactions', kind: 'drop-after-processing' });
    const merchantRef = `LOST-${Date.now()}`;
    await expect(call(sim, 'POST', '/api/v2/Smart/Transactions', { token, body: linkRequest({ merchantRef }) })).rejects.toThrow();
    const found = await listByRef(merchantRef);
    expect(found.count).toBe(1);
    expect(found.data[0].status).toBe('created');
  });

  it('malformed: 200 with a body that is not JSON', async () => {
    sim.faults.add({ route: 'GET /api/v2/Smart/Transactions', kind: 'malformed' });
    const answer = await call(sim, 'GET', '/api/v2/Smart/Transactions', { token });
    expect(answer.status).toBe(200);
    expect(() => JSON.parse(answer.text)).toThrow();
  });

  it('refuses a route it cannot read', () => {
    expect(() => sim.faults.add({ route: 'Smart/Transactions', kind: 'drop' })).toThrow();
  });
});

describe('stats', () => {
  it('counts every request, token requests separately, with the status answered', async () => {
    sim.stats.reset();
    const fresh = await tokenFor(sim);
    await call(sim, 'GET', '/api/v2/Smart/Transactions/STX_000000000000000000000000000000', { token: fresh });
    sim.faults.add({ route: '/api/v2/Smart/Transactions', kind: 'drop' });
    await call(sim, 'GET', '/api/v2/Smart/Transactions', { token: fresh }).catch(() => undefined);
    expect(sim.stats.tokenRequests).toBe(1);
    expect(sim.stats.requests).toEqual([
      { method: 'POST', path: '/oauth/token', status: 200 },
      { method: 'GET', path: '/api/v2/Smart/Transactions/STX_000000000000000000000000000000', status: 404 },
      { method: 'GET', path: '/api/v2/Smart/Transactions', status: 0 },
    ]);
  });
});

describe('HTTP control API', () => {
  it('drives payments, faults, token expiry and stats over HTTP', async () => {
    const stx = await createLink(sim, token);
    const paid = await call(sim, 'POST', `/__control/transactions/${stx.id}/pay`, { body: { method: 'prepaid' } });
    expect(paid.status).toBe(200);
    expect(paid.json.status).toBe('pending');
    expect((await call(sim, 'POST', `/__control/transactions/${stx.id}/settle`)).json.status).toBe('ok');
    expect((await call(sim, 'POST', `/__control/transactions/${stx.id}/fail`)).status).toBe(409);
    expect((await call(sim, 'POST', '/__control/transactions/STX_000000000000000000000000000000/abort')).status).toBe(404);

    const other = await createLink(sim, token);
    expect((await call(sim, 'POST', `/__control/transactions/${other.id}/abort`)).json.status).toBe('created');
    expect((await call(sim, 'POST', `/__control/transactions/${other.id}/fail`)).json.status).toBe('failed');

    expect((await call(sim, 'POST', '/__control/faults', { body: { route: 'GET /api/v2/Smart/Transactions/*', kind: 'status', status: 502, times: 'Infinity' } })).status).toBe(200);
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(502);
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(502);
    expect((await call(sim, 'DELETE', '/__control/faults')).status).toBe(200);
    expect((await call(sim, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token })).status).toBe(200);
    expect((await call(sim, 'POST', '/__control/faults', { body: { route: '/x', kind: 'teleport' } })).status).toBe(400);

    const stats = await call(sim, 'GET', '/__control/stats');
    expect(stats.json.requests).toContainEqual({ method: 'GET', path: `/api/v2/Smart/Transactions/${stx.id}`, status: 502 });
    expect(stats.json.requests.some((r: { path: string }) => r.path.startsWith('/__control'))).toBe(false);

    const own = await tokenFor(sim);
    expect((await call(sim, 'POST', '/__control/tokens/expire')).status).toBe(200);
    expect((await call(sim, 'GET', '/api/v2/Smart/Transactions', { token: own })).status).toBe(403);
    token = await tokenFor(sim);
  });
});

describe('persistence with dataFile', () => {
  it('keeps transactions and payments across a restart, with links for the new address', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simulator-data-'));
    try {
      const dataFile = join(dir, 'nested', 'demo.json');
      const first = await startSimulator({ dataFile });
      const firstToken = await tokenFor(first);
      const open = await createLink(first, firstToken, { merchantRef: 'KEEP-1' });
      const paidLink = await createLink(first, firstToken, { merchantRef: 'KEEP-2' });
      const paid = await first.control.pay(paidLink.id, 'prepaid');
      await first.stop();
      expect((await readdir(join(dir, 'nested'))).filter((f) => f.endsWith('.tmp'))).toEqual([]);
      JSON.parse(await readFile(dataFile, 'utf8'));

      const second = await startSimulator({ dataFile });
      try {
        const secondToken = await tokenFor(second);
        const reread = await call(second, 'GET', `/api/v2/Smart/Transactions/${open.id}`, { token: secondToken });
        expect(reread.status).toBe(200);
        expect(reread.json.merchantRef).toBe('KEEP-1');
        expect(reread.json.payment_links.general.startsWith(`${second.baseUrl}/pay?`)).toBe(true);
        const pending = await call(second, 'GET', `/api/v2/Smart/Transactions/${paidLink.id}`, { token: secondToken });
        expect(pending.json.status).toBe('pending');
        expect(pending.json.payment_instructions.girocode_url.startsWith(second.baseUrl)).toBe(true);
        const pci = await call(second, 'GET', `/api/v2/Payment/Transactions/${paid.transactions[0]?.id}`, { token: secondToken });
        expect(pci.status).toBe(200);
        expect((await second.control.settlePrepayment(paidLink.id)).status).toBe('ok');
        expect((await fetch(reread.json.payment_links.general)).status).toBe(200);
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('still loads a basket saved before products needed desc and tax, and shows it on the page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simulator-data-'));
    try {
      const dataFile = join(dir, 'demo.json');
      const first = await startSimulator({ dataFile });
      const basket = { products: [{ desc: 'Tea', quantity: 2, priceOne: 875, tax: 19 }] };
      const stx = await createLink(first, await tokenFor(first), { basket });
      await first.stop();
      // The form the create check let through before: no desc, no tax, no basket type.
      const saved = JSON.parse(await readFile(dataFile, 'utf8'));
      saved.smartTransactions[0].basket = { products: [{ desc: null, quantity: 2, priceOne: 875 }] };
      await writeFile(dataFile, JSON.stringify(saved));

      const second = await startSimulator({ dataFile });
      try {
        const reread = await call(second, 'GET', `/api/v2/Smart/Transactions/${stx.id}`, { token: await tokenFor(second) });
        expect(reread.json.basket).toEqual({ products: [{ desc: null, quantity: 2, priceOne: 875 }] });
        const page = await (await fetch(reread.json.payment_links.general)).text();
        expect(page.replace(/<[^>]+>/g, ' ').replace(/[\s\u00a0]+/g, ' ')).toContain('2 × 8,75 € 17,50 €');
        expect(page).not.toContain('MwSt.');
      } finally {
        await second.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('sets a damaged data file aside and starts empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'simulator-data-'));
    try {
      const dataFile = join(dir, 'demo.json');
      await writeFile(dataFile, '{"version":1,"smartTransactions":[{"id":');
      const warn = console.warn;
      console.warn = () => undefined;
      const damaged = await startSimulator({ dataFile }).finally(() => {
        console.warn = warn;
      });
      try {
        const answer = await call(damaged, 'GET', '/api/v2/Smart/Transactions', { token: await tokenFor(damaged) });
        expect(answer.json.count).toBe(0);
        expect((await readdir(dir)).some((f) => f.startsWith('demo.json.damaged-'))).toBe(true);
      } finally {
        await damaged.stop();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
