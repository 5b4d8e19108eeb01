/**
 * `npm run bench:latency`: Enter → QR painted at the counter, measured in Debian's Chromium through
 * the web bridge, with the app talking to the simulator through a loopback relay that behaves like
 * a distant API: every request waits a one-way delay in each direction (default 40 ms, so one
 * round trip = 80 ms) and every new TCP connection costs one more round trip before the first
 * byte is read (the handshake; real TLS costs more still). The page types the amount like a
 * person (~120 ms a key) and presses Enter.
 *
 * Scenarios: a link right after another one; a link after an idle longer than the token's life
 * (simulator with a short token life, the relay drops idle connections as a load balancer would
 * after minutes); the first link after start. Goal in all three: median ≤ 1.3 round trips + 30 ms.
 * Prints each median, its round trips, and the requests the relay saw in the Enter → QR window
 * (how many were sequential: each one waiting for the previous answer).
 *
 * Options: `-- --delay 40 --samples 6 --token-life 8`. Needs a build (`npm run build`). Exits 0.
 */
import { createServer as createHttpServer, request as httpRequest, Agent as HttpAgent, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Socket, type AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from '@playwright/test';
import { startBridgeApp, type RunningBridgeApp } from '../src/web-bridge/bridge-app';
import { createInMemorySecretStore, type SecretStore } from '../src/main/secret-store';
import { DEMO_ACCOUNT, startSimulator, type RunningSimulator } from '../src/simulator';
import { DEFAULT_SETTINGS } from '../src/shared/settings';
import { sharedTokenCache } from '../src/main/secuconnect';
import { CREATED_MARK, QR_PAINTED_MARK } from '../src/renderer/src/bench-marks';

const { values: args } = parseArgs({
  options: {
    delay: { type: 'string', default: '40' },
    samples: { type: 'string', default: '6' },
    'token-life': { type: 'string', default: '8' },
    'key-ms': { type: 'string', default: '120' },
  },
});
const ONE_WAY_MS = Number(args.delay);
const RTT_MS = 2 * ONE_WAY_MS;
const SAMPLES = Number(args.samples);
const SHORT_TOKEN_LIFE_S = Number(args['token-life']);
const KEY_MS = Number(args['key-ms']);
const GOAL_MS = 1.3 * RTT_MS + 30;
/** How long the relay keeps an idle connection open itself (nginx's default keepalive_timeout). */
const SERVER_IDLE_MS = 75_000;
const ENTER_MARK = 'bench:enter';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const epochNow = () => performance.timeOrigin + performance.now();

// ---- the relay -------------------------------------------------------------------------------

interface RelayedRequest {
  method: string;
  path: string;
  connection: number;
  /** The first request on its connection (it paid for the handshake). */
  firstOnConnection: boolean;
  /** Epoch ms: when the client opened the connection (first request) or sent the request. */
  sentAt: number;
  /** Epoch ms: when the last byte of the answer was handed back to the client. */
  answeredAt: number;
}

interface Relay {
  baseUrl: string;
  requests: RelayedRequest[];
  /** Ids of Smart Transactions the relay saw created, oldest first. */
  createdIds: string[];
  /** Drops every connection that has no request in flight (what a load balancer does after a long idle). */
  closeIdle(): number;
  stop(): Promise<void>;
}

interface ConnectionState {
  id: number;
  openedAt: number;
  served: number;
  inFlight: number;
  idleTimer: ReturnType<typeof setTimeout> | null;
}

async function startRelay(target: string, oneWayMs: number): Promise<Relay> {
  const upstream = new HttpAgent({ keepAlive: true });
  const targetUrl = new URL(target);
  const requests: RelayedRequest[] = [];
  const createdIds: string[] = [];
  const connections = new Map<Socket, ConnectionState>();
  let nextConnection = 1;

  const armIdleTimer = (socket: Socket, state: ConnectionState) => {
    if (state.idleTimer) clearTimeout(state.idleTimer);
    state.idleTimer = setTimeout(() => socket.destroy(), SERVER_IDLE_MS);
  };

  // keepAliveTimeout 0: no `Keep-Alive: timeout=` hint, like nginx by default; idle closing is ours.
  const http = createHttpServer({ keepAliveTimeout: 0 }, (req, res) => void relayRequest(req, res));

  async function relayRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const socket = req.socket;
    const state = connections.get(socket);
    if (!state) return void res.destroy();
    state.inFlight += 1;
    if (state.idleTimer) clearTimeout(state.idleTimer);
    const firstOnConnection = state.served === 0;
    state.served += 1;
    const sentAt = firstOnConnection ? state.openedAt : epochNow();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    await sleep(oneWayMs);

    const headers: IncomingMessage['headers'] = { ...req.headers, host: targetUrl.host, 'content-length': String(body.length) };
    delete headers.connection;
    delete headers['keep-alive'];
    delete headers['transfer-encoding'];
    const answer = await new Promise<{ status: number; headers: IncomingMessage['headers']; body: Buffer }>((resolve, reject) => {
      const forward = httpRequest({ host: targetUrl.hostname, port: targetUrl.port, method: req.method, path: req.url, headers, agent: upstream }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (part: Buffer) => parts.push(part));
        response.on('end', () => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: Buffer.concat(parts) }));
        response.on('error', reject);
      });
      forward.on('error', reject);
      forward.end(body);
    }).catch(() => ({ status: 502, headers: {}, body: Buffer.from('relay: upstream failed') }));
    if (req.method === 'POST' && req.url === '/api/v2/Smart/Transactions' && answer.status === 200) {
      const id = (JSON.parse(answer.body.toString('utf8')) as { id?: unknown }).id;
      if (typeof id === 'string') createdIds.push(id);
    }
    await sleep(oneWayMs);

    const outHeaders: IncomingMessage['headers'] = { ...answer.headers, 'content-length': String(answer.body.length) };
    delete outHeaders.connection;
    delete outHeaders['keep-alive'];
    delete outHeaders['transfer-encoding'];
    res.writeHead(answer.status, outHeaders);
    res.end(answer.body, () => {
      requests.push({ method: req.method ?? '?', path: (req.url ?? '').split('?')[0] ?? '', connection: state.id, firstOnConnection, sentAt, answeredAt: epochNow() });
      state.inFlight -= 1;
      if (state.inFlight === 0 && !socket.destroyed) armIdleTimer(socket, state);
    });
  }

  // Paused until the simulated handshake is over: the client's first bytes wait one round trip.
  const net = createNetServer({ pauseOnConnect: true }, (socket) => {
    const state: ConnectionState = { id: nextConnection++, openedAt: epochNow(), served: 0, inFlight: 0, idleTimer: null };
    connections.set(socket, state);
    socket.on('close', () => {
      if (state.idleTimer) clearTimeout(state.idleTimer);
      connections.delete(socket);
    });
    setTimeout(() => {
      if (socket.destroyed) return;
      http.emit('connection', socket);
      socket.resume();
      armIdleTimer(socket, state);
    }, 2 * oneWayMs);
  });
  await new Promise<void>((resolve) => net.listen(0, '127.0.0.1', resolve));

  return {
    baseUrl: `http://127.0.0.1:${(net.address() as AddressInfo).port}`,
    requests,
    createdIds,
    closeIdle() {
      let closed = 0;
      for (const [socket, state] of connections) {
        if (state.inFlight > 0) continue;
        socket.destroy();
        closed += 1;
      }
      return closed;
    },
    async stop() {
      for (const socket of connections.keys()) socket.destroy();
      await new Promise<void>((resolve) => net.close(() => resolve()));
      upstream.destroy();
    },
  };
}

// ---- driving the app -------------------------------------------------------------------------

interface Sample {
  ms: number;
  window: RelayedRequest[];
  /** Enter → first request reached the relay, and last answer left the relay → QR painted (the app's own time). */
  beforeFirstMs: number;
  afterLastMs: number;
  /** Of that: the answer reaching the renderer → QR painted. */
  renderMs: number;
  /** First request sent → last answer back: the part the network (here: the relay) decides. */
  networkMs: number;
}

/** Length of the longest chain of requests in which each was sent only after the previous one was answered. */
function sequentialDepth(requests: readonly RelayedRequest[]): number {
  const sorted = [...requests].sort((a, b) => a.answeredAt - b.answeredAt);
  const depth: number[] = [];
  sorted.forEach((request, i) => {
    let best = 0;
    for (let j = 0; j < i; j++) if ((sorted[j] as RelayedRequest).answeredAt <= request.sentAt + 1) best = Math.max(best, depth[j] as number);
    depth.push(best + 1);
  });
  return Math.max(0, ...depth);
}

function describeRequests(requests: readonly RelayedRequest[]): string {
  if (requests.length === 0) return '(none)';
  return [...requests]
    .sort((a, b) => a.sentAt - b.sentAt)
    .map((r) => `${r.firstOnConnection ? '[new conn] ' : ''}${r.method} ${r.path.replace(/^\/api\/v2/, '')}`)
    .join(', ');
}

async function prepareDataDir(relay: Relay, secretStore: SecretStore): Promise<string> {
  const dataDir = await mkdtemp(join(tmpdir(), 'link-desk-latency-'));
  const app = await startBridgeApp({ dataDir, secretStore });
  try {
    const settings = {
      ...DEFAULT_SETTINGS,
      environment: 'custom' as const,
      customBaseUrl: relay.baseUrl,
      clientId: DEMO_ACCOUNT.clientId,
      contractId: DEMO_ACCOUNT.contractId,
      uiLanguage: 'de' as const,
    };
    await app.core.handlers['settings.save']({ settings });
    await app.core.handlers['secret.set']({ secret: DEMO_ACCOUNT.clientSecret });
  } finally {
    await app.close();
  }
  return dataDir;
}

async function openPage(browser: Browser, app: RunningBridgeApp): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.addInitScript((mark) => {
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') performance.mark(mark);
    }, { capture: true });
  }, ENTER_MARK);
  await page.goto(app.url);
  return page;
}

let amountCounter = 0;

/** Types an amount like a person, presses Enter and measures Enter → QR painted (page clock, epoch ms). */
async function typeAndCreate(page: Page, relay: Relay): Promise<Sample> {
  const amount = page.getByLabel(/^(Amount|Betrag)$/);
  await amount.waitFor();
  await page.evaluate(() => performance.clearMarks());
  amountCounter += 1;
  await amount.pressSequentially(`${10 + (amountCounter % 80)},${String(amountCounter % 100).padStart(2, '0')}`, { delay: KEY_MS });
  await sleep(KEY_MS);
  await amount.press('Enter');
  await page.getByTestId('qr-code').waitFor();
  const handle = await page.waitForFunction(
    ([enter, created, painted]) => {
      const a = performance.getEntriesByName(enter, 'mark')[0];
      const c = performance.getEntriesByName(created, 'mark')[0];
      const b = performance.getEntriesByName(painted, 'mark')[0];
      return a && b && c ? { from: performance.timeOrigin + a.startTime, to: performance.timeOrigin + b.startTime, renderMs: b.startTime - c.startTime } : null;
    },
    [ENTER_MARK, CREATED_MARK, QR_PAINTED_MARK] as const,
  );
  const { from, to, renderMs } = (await handle.jsonValue()) as { from: number; to: number; renderMs: number };
  // Answers may still be on their way back to the relay's log; let them land.
  await sleep(20);
  const window = relay.requests.filter((r) => r.answeredAt >= from && r.sentAt <= to);
  const firstSent = Math.min(...window.map((r) => r.sentAt));
  // A status read the link screen starts right away may end after the QR: not part of this link's wait.
  const lastAnswered = Math.max(...window.filter((r) => r.answeredAt <= to).map((r) => r.answeredAt));
  return {
    ms: to - from,
    window,
    beforeFirstMs: window.length > 0 ? firstSent - from : Number.NaN,
    afterLastMs: window.length > 0 ? to - lastAnswered : Number.NaN,
    renderMs,
    networkMs: window.length > 0 ? lastAnswered - firstSent : 0,
  };
}

/**
 * The customer pays and the screen shows it: then neither the screen nor the watcher polls that
 * link any more, so an idle is really idle (no request renews the token or the connection).
 */
async function payLatest(page: Page, simulator: RunningSimulator, relay: Relay): Promise<void> {
  const id = relay.createdIds.at(-1);
  if (id) await simulator.control.pay(id).catch(() => undefined);
  await page.getByTestId('paid-banner').waitFor({ timeout: 15_000 });
}

async function nextCustomer(page: Page): Promise<void> {
  await page.keyboard.press('Control+n');
  await page.getByLabel(/^(Amount|Betrag)$/).waitFor();
}

interface ScenarioSetup {
  browser: Browser;
  simulator: RunningSimulator;
  relay: Relay;
  dataDir: string;
  secretStore: SecretStore;
}

async function withSetup<T>(browser: Browser, tokenLifetimeSeconds: number | undefined, run: (setup: ScenarioSetup) => Promise<T>): Promise<T> {
  const simulator = await startSimulator(tokenLifetimeSeconds === undefined ? {} : { tokenLifetimeSeconds });
  const relay = await startRelay(simulator.baseUrl, ONE_WAY_MS);
  const secretStore = createInMemorySecretStore();
  try {
    const dataDir = await prepareDataDir(relay, secretStore);
    sharedTokenCache.clear();
    relay.closeIdle();
    return await run({ browser, simulator, relay, dataDir, secretStore });
  } finally {
    await relay.stop();
    await simulator.stop();
  }
}

async function rightAfterAnother(setup: ScenarioSetup): Promise<Sample[]> {
  const app = await startBridgeApp({ dataDir: setup.dataDir, secretStore: setup.secretStore });
  const samples: Sample[] = [];
  try {
    const page = await openPage(setup.browser, app);
    await typeAndCreate(page, setup.relay); // the one before
    for (let i = 0; i < SAMPLES; i++) {
      await payLatest(page, setup.simulator, setup.relay);
      await nextCustomer(page);
      samples.push(await typeAndCreate(page, setup.relay));
    }
  } finally {
    await app.close();
  }
  return samples;
}

async function afterLongIdle(setup: ScenarioSetup): Promise<Sample[]> {
  const app = await startBridgeApp({ dataDir: setup.dataDir, secretStore: setup.secretStore });
  const samples: Sample[] = [];
  try {
    const page = await openPage(setup.browser, app);
    for (let i = 0; i < SAMPLES; i++) {
      await typeAndCreate(page, setup.relay);
      await payLatest(page, setup.simulator, setup.relay);
      await nextCustomer(page);
      // The amount field already has the focus: only typing tells the app a customer is there.
      await sleep(SHORT_TOKEN_LIFE_S * 1000 + 1000);
      setup.relay.closeIdle();
      samples.push(await typeAndCreate(page, setup.relay));
      await payLatest(page, setup.simulator, setup.relay);
      await nextCustomer(page);
    }
  } finally {
    await app.close();
  }
  return samples;
}

async function firstAfterStart(setup: ScenarioSetup): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    // A fresh start: no token in memory, no open connection.
    sharedTokenCache.clear();
    setup.relay.closeIdle();
    await sleep(50);
    const app = await startBridgeApp({ dataDir: setup.dataDir, secretStore: setup.secretStore });
    try {
      const page = await openPage(setup.browser, app);
      samples.push(await typeAndCreate(page, setup.relay));
      await payLatest(page, setup.simulator, setup.relay);
      await page.close();
    } finally {
      await app.close();
    }
  }
  return samples;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function report(name: string, samples: readonly Sample[]): void {
  const ms = median(samples.map((s) => s.ms));
  const sequential = median(samples.map((s) => sequentialDepth(s.window)));
  const newConnections = median(samples.map((s) => s.window.filter((r) => r.firstOnConnection).length));
  const network = median(samples.map((s) => s.networkMs));
  const typical = [...samples].sort((a, b) => a.ms - b.ms)[Math.floor((samples.length - 1) / 2)] as Sample;
  const verdict = ms <= GOAL_MS ? 'ok' : 'OVER';
  console.info(`  ${name.padEnd(34)} median ${ms.toFixed(0).padStart(4)} ms = ${(ms / RTT_MS).toFixed(2)} round trips  goal ≤ ${GOAL_MS.toFixed(0)} ms  ${verdict}`);
  console.info(`  ${''.padEnd(34)} sequential requests ${sequential}, on new connections ${newConnections}, network ${network.toFixed(0)} ms = ` +
    `${(network / RTT_MS).toFixed(2)} round trips (median); all: ${samples.map((s) => s.ms.toFixed(0)).join(' ')} ms`);
  console.info(`  ${''.padEnd(34)} median sample: ${describeRequests(typical.window)}; app's own time: ` +
    `Enter → first request ${typical.beforeFirstMs.toFixed(0)} ms, last answer → QR ${typical.afterLastMs.toFixed(0)} ms ` +
    `(of that, answer in the renderer → QR ${typical.renderMs.toFixed(0)} ms)`);
}

async function main(): Promise<void> {
  console.info(`Link Desk latency benchmark (Chromium, web bridge, relay ${ONE_WAY_MS} ms each way = ${RTT_MS} ms round trip, ` +
    `+1 round trip per new connection; ${SAMPLES} samples each; ${KEY_MS} ms per key)`);
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    report('right after another link', await withSetup(browser, undefined, rightAfterAnother));
    report(`after an idle > token life (${SHORT_TOKEN_LIFE_S} s)`, await withSetup(browser, SHORT_TOKEN_LIFE_S, afterLongIdle));
    report('first link after start', await withSetup(browser, undefined, firstAfterStart));
  } finally {
    await browser.close();
  }
}

await main();
// The watcher's timers and kept-alive sockets would keep the process alive.
process.exit(0);
