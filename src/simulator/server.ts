import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import QRCode from 'qrcode';
import { z } from 'zod';
import { ApiError, errorForStatus, INVALID_CLIENT_BODY, invalidValue, notFound, OAuthError, tokenRequired } from './api-errors';
import { accessToken } from './ids';
import { contentSecurityPolicy, pageLanguage, renderInvalid, renderPayForm, renderPlain, renderResult, resultKind } from './page';
import { formMatches, parseQuery, parseSort, type QueryForm } from './query';
import { SimulatorControlError, SimulatorState } from './state';
import {
  FaultSchema,
  ForeignTransactionSpecSchema,
  type Fault,
  type RequestRecord,
  type RunningSimulator,
  type SimulatorAccount,
  type SimulatorOptions,
  type SmartTransaction,
} from './types';
import { CaptureRequestSchema, CreateSmartTransactionSchema, DeliveryRequestSchema, parseWith, RefundRequestSchema } from './validate';

/** Fixed credentials of the built-in Demo account: not a secret, they only open this simulator. */
export const DEMO_ACCOUNT: SimulatorAccount = Object.freeze({
  clientId: 'linkdesk-demo-client',
  clientSecret: 'linkdesk-demo-secret-simulator-only',
  contractId: 'GCR_DEM0L1NKDESK000000000000000000',
});

/** How many created transactions the control route echoes (it may create 100 000). */
const CONTROL_LIST_LIMIT = 100;
/** The same for `control.createForeign`: copying 100 000 answers costs seconds. */
const FOREIGN_RETURN_LIMIT = 1000;

function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

export const DEFAULT_PAYMENT_METHODS = ['general', 'creditcard', 'debit', 'invoice', 'paypal', 'prepaid'];

const MAX_BODY_BYTES = 1024 * 1024;
const JSON_TYPE = 'application/json';

interface ActiveFault {
  fault: Exclude<Fault, { kind: 'refuse-query' }>;
  method: string | undefined;
  segments: string[];
  remaining: number;
}

interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  record: RequestRecord | undefined;
  /** `drop-after-processing`: do the work, then hang up instead of answering. */
  dropAnswer: boolean;
  /** `answer-late`: the work is done, the answer waits this long. */
  answerDelayMs: number;
  /** The request body, read ahead (`process-late` reads it before waiting). */
  body: Promise<string> | undefined;
  /** Sent with every answer: the CORS header, when tests asked for it. */
  commonHeaders: Record<string, string>;
}

interface QueryRefusal {
  form: QueryForm;
  method: string | undefined;
  segments: string[];
  remaining: number;
}

interface TokenEntry {
  account: SimulatorAccount;
  expiresAt: number;
}

function splitPath(path: string): string[] {
  const trimmed = path.length > 1 ? path.replace(/\/+$/, '') : path;
  return trimmed.split('/');
}

function parseRoute(fault: Exclude<Fault, { kind: 'refuse-query' }>): ActiveFault {
  const match = /^(?:([A-Za-z]+)\s+)?(\/\S*)$/.exec(fault.route.trim());
  if (!match || match[2] === undefined) throw new Error(`Fault route must look like "POST /api/v2/Smart/Transactions", got "${fault.route}"`);
  const times = fault.times ?? 1;
  if (!(times > 0)) throw new Error('Fault times must be positive');
  return { fault, method: match[1]?.toUpperCase(), segments: splitPath(match[2]), remaining: times };
}

function matches(active: Pick<ActiveFault, 'method' | 'segments'>, method: string, path: string): boolean {
  if (active.method && active.method !== method) return false;
  const segments = splitPath(path);
  return segments.length === active.segments.length && active.segments.every((s, i) => s === '*' || s === segments[i]);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readBody(ex: Exchange): Promise<string> {
  ex.body ??= readBodyOf(ex.req);
  return ex.body;
}

async function readBodyOf(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new ApiError(400, 'ProductFormatException', 'Request body too large', 4001);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseJsonBody(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ApiError(400, 'ProductFormatException', 'Invalid JSON in request body', 4001);
  }
}

function send(ex: Exchange, status: number, reason: string | undefined, headers: Record<string, string | number>, body: string | Buffer): void {
  if (ex.answerDelayMs > 0) {
    const delay = ex.answerDelayMs;
    ex.answerDelayMs = 0;
    // unref: a late answer must not keep a stopped simulator's process alive.
    setTimeout(() => {
      if (!ex.res.destroyed) send(ex, status, reason, headers, body);
    }, delay).unref();
    return;
  }
  if (ex.dropAnswer) {
    if (ex.record) ex.record.status = 0;
    ex.req.socket.destroy();
    return;
  }
  if (ex.record) ex.record.status = status;
  const allHeaders = { 'Content-Length': Buffer.byteLength(body), ...headers, ...ex.commonHeaders };
  if (reason) ex.res.writeHead(status, reason, allHeaders);
  else ex.res.writeHead(status, allHeaders);
  ex.res.end(body);
}

function sendJson(ex: Exchange, status: number, value: unknown, reason?: string, headers: Record<string, string | number> = {}): void {
  send(ex, status, reason, { 'Content-Type': JSON_TYPE, ...headers }, JSON.stringify(value));
}

function sendApiError(ex: Exchange, error: ApiError): void {
  sendJson(ex, error.httpStatus, error.payload(), error.exception, error.headers);
}

/** As recorded (API-NOTES §2), except `Access-Control-Allow-Origin: *`, which only tests get. */
const OAUTH_HEADERS = {
  'Content-Type': 'application/json; charset=UTF-8',
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

function sendOAuthError(ex: Exchange, error: OAuthError, extraHeaders: Record<string, string> = {}): void {
  const body =
    error.error === 'invalid_client' && error.description === 'The client credentials are invalid'
      ? INVALID_CLIENT_BODY
      : JSON.stringify({ error: error.error, error_description: error.description });
  send(ex, error.httpStatus, undefined, { ...OAUTH_HEADERS, ...extraHeaders }, body);
}

function sendHtml(ex: Exchange, status: number, html: string, formTargets: string[] = []): void {
  send(
    ex,
    status,
    undefined,
    {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': contentSecurityPolicy(formTargets),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-store',
    },
    html,
  );
}

function redirect(ex: Exchange, location: string): void {
  send(ex, 303, undefined, { Location: location, 'Cache-Control': 'no-store' }, '');
}

const OAuthBodySchema = z.object({
  grant_type: z.string().optional(),
  client_id: z.string().optional(),
  client_secret: z.string().optional(),
});

const ControlPaySchema = z.object({ method: z.string().min(1).optional() }).nullable().optional();

const PageActionSchema = z.object({
  stx: z.string(),
  contract: z.string(),
  server: z.string().optional(),
  method: z.string().optional(),
  action: z.enum(['pay', 'fail', 'abort']),
});

function clone<T>(value: T): T {
  return structuredClone(value);
}

function returnUrl(stx: SmartTransaction, which: 'url_success' | 'url_error' | 'url_abort'): string | undefined {
  const urls = stx.application_context.return_urls;
  if (!urls || typeof urls !== 'object') return undefined;
  const value = (urls as Record<string, unknown>)[which];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function origins(urls: Array<string | undefined>): string[] {
  const result: string[] = [];
  for (const url of urls) {
    if (!url) continue;
    try {
      result.push(new URL(url).origin);
    } catch {
      // validated on create; an unparsable one simply is not allowed as a form target
    }
  }
  return result;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const accounts = options.accounts ?? [DEMO_ACCOUNT];
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 1200;
  const invalidTokenStatus = options.invalidTokenStatus ?? 403;
  const serverName = options.serverName ?? 'testing';
  const paymentMethods = (options.paymentMethods ?? DEFAULT_PAYMENT_METHODS).filter((m) => m !== 'general');

  const testControl = options.testControl === true;
  const requestLogLimit = Math.max(1, options.requestLogLimit ?? 10_000);
  const clock = options.now ?? Date.now;

  const state = new SimulatorState({ accounts, paymentMethods, serverName, dataFile: options.dataFile, now: clock });
  await state.load();

  const tokens = new Map<string, TokenEntry>();
  let activeFaults: ActiveFault[] = [];
  let queryRefusals: QueryRefusal[] = [];
  const stats = {
    tokenRequests: 0,
    totalRequests: 0,
    requests: [] as RequestRecord[],
    reset(): void {
      stats.tokenRequests = 0;
      stats.totalRequests = 0;
      stats.requests.length = 0;
    },
  };
  /**
   * Bounded: Demo runs for days, fed by the watcher. Trimmed in batches so a request costs
   * O(1) on average; never more than the limit is visible.
   */
  function logRequest(record: RequestRecord): void {
    stats.totalRequests += 1;
    stats.requests.push(record);
    if (stats.requests.length > requestLogLimit) stats.requests.splice(0, stats.requests.length - requestLogLimit);
  }

  const control: RunningSimulator['control'] = {
    pay: async (stxId, method) => clone(await state.pay(stxId, method)),
    fail: async (stxId) => clone(await state.fail(stxId)),
    abort: async (stxId) => clone(await state.abort(stxId)),
    settlePrepayment: async (stxId) => clone(await state.settlePrepayment(stxId)),
    get: (stxId) => {
      const stx = state.get(stxId);
      return stx ? clone(stx) : undefined;
    },
    createForeign: async (spec = {}, contractId = accounts[0]?.contractId ?? '') =>
      clone((await state.createForeign(contractId, ForeignTransactionSpecSchema.parse(spec))).slice(0, FOREIGN_RETURN_LIMIT)),
    cancel: async (stxId) => clone(await state.cancelById(stxId)),
    expireAllTokens: () => tokens.clear(),
  };

  const faults: RunningSimulator['faults'] = {
    add(fault) {
      if (fault.kind === 'refuse-query') {
        const route = parseRoute({ route: fault.route ?? 'GET /api/v2/Smart/Transactions', kind: 'drop', times: fault.times ?? Infinity });
        queryRefusals.push({ form: fault.form, method: route.method, segments: route.segments, remaining: route.remaining });
        return;
      }
      activeFaults.push(parseRoute(fault));
    },
    clear() {
      activeFaults = [];
      queryRefusals = [];
    },
  };

  /** The first form of this request a `refuse-query` fault names, which that fault then uses up. */
  function refusedForm(method: string, path: string, used: QueryForm[]): QueryForm | undefined {
    for (const refusal of queryRefusals) {
      if (!matches(refusal, method, path)) continue;
      const hit = used.find((form) => formMatches(form, refusal.form));
      if (hit === undefined) continue;
      refusal.remaining -= 1;
      queryRefusals = queryRefusals.filter((r) => r.remaining > 0);
      return hit;
    }
    return undefined;
  }

  function takeFaults(method: string, path: string): { latencyMs: number; action: ActiveFault['fault'] | undefined } {
    let latencyMs = 0;
    let action: ActiveFault['fault'] | undefined;
    for (const active of activeFaults) {
      if (!matches(active, method, path)) continue;
      if (active.fault.kind === 'latency') {
        latencyMs += active.fault.ms;
        active.remaining -= 1;
      } else if (!action) {
        action = active.fault;
        active.remaining -= 1;
      }
    }
    activeFaults = activeFaults.filter((a) => a.remaining > 0);
    return { latencyMs, action };
  }

  // ---- OAuth ------------------------------------------------------------------------------

  /**
   * Messages follow the OAuth server the API evidently runs on: grant type checked first, then
   * "not found" for absent credentials (H, OLD-PHP comment) and the recorded "invalid" body for
   * wrong or empty ones (H, VCR).
   */
  async function handleToken(ex: Exchange): Promise<void> {
    if (ex.req.method !== 'POST') {
      throw new OAuthError(405, 'invalid_request', 'The request method must be POST when requesting an access token');
    }
    const text = await readBody(ex);
    const contentType = (ex.req.headers['content-type'] ?? '').toLowerCase();
    let raw: unknown;
    if (contentType.includes('application/x-www-form-urlencoded')) {
      raw = Object.fromEntries(new URLSearchParams(text));
    } else {
      try {
        raw = text.trim() === '' ? {} : (JSON.parse(text) as unknown);
      } catch {
        raw = contentType.includes('json') ? undefined : Object.fromEntries(new URLSearchParams(text));
      }
    }
    const parsed = OAuthBodySchema.safeParse(raw);
    if (!parsed.success) throw new OAuthError(400, 'invalid_request', 'The request body could not be read');
    let { client_id: clientId, client_secret: clientSecret } = parsed.data;
    const authorization = ex.req.headers.authorization;
    if (clientId === undefined && authorization?.startsWith('Basic ')) {
      const decoded = Buffer.from(authorization.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        clientId = decodeURIComponent(decoded.slice(0, colon));
        clientSecret = decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    const grantType = parsed.data.grant_type;
    if (grantType === undefined) throw new OAuthError(400, 'invalid_request', 'The grant type was not specified in the request');
    if (grantType !== 'client_credentials') throw new OAuthError(400, 'unsupported_grant_type', `Grant type "${grantType}" not supported`);
    if (clientId === undefined || clientSecret === undefined) {
      throw new OAuthError(400, 'invalid_client', 'Client credentials were not found in the headers or body');
    }
    const account = accounts.find((a) => a.clientId === clientId && a.clientSecret === clientSecret);
    if (!account) throw new OAuthError(400, 'invalid_client', 'The client credentials are invalid');

    let token = accessToken();
    while (tokens.has(token)) token = accessToken();
    tokens.set(token, { account, expiresAt: clock() + tokenLifetimeSeconds * 1000 });
    const body = JSON.stringify({
      access_token: token,
      expires_in: Math.round(tokenLifetimeSeconds),
      token_type: 'bearer',
      scope: 'https://scope.secucard.com/e/api',
    });
    send(ex, 200, undefined, OAUTH_HEADERS, body);
  }

  // ---- API --------------------------------------------------------------------------------

  function authenticate(req: IncomingMessage): SimulatorAccount {
    const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    const entry = match?.[1] ? tokens.get(match[1]) : undefined;
    if (!entry || entry.expiresAt <= clock()) throw tokenRequired(invalidTokenStatus);
    return entry.account;
  }

  async function handleApi(ex: Exchange, url: URL): Promise<void> {
    const account = authenticate(ex.req);
    const contractId = account.contractId;
    const method = ex.req.method ?? 'GET';
    const [resource, kind, id, action, ...rest] = url.pathname.slice('/api/v2/'.length).replace(/\/+$/, '').split('/');
    const area = `${resource ?? ''}/${kind ?? ''}`.toLowerCase();
    const body = method === 'POST' || method === 'PUT' ? parseJsonBody(await readBody(ex)) : undefined;
    if (rest.length > 0) throw notFound('Resource', url.pathname);

    if (area === 'smart/transactions') {
      if (id === undefined && method === 'POST') {
        const request = parseWith(CreateSmartTransactionSchema, body);
        return sendJson(ex, 200, await state.create(account, request));
      }
      if (id === undefined && method === 'GET') return sendJson(ex, 200, listSmartTransactions(contractId, method, url));
      if (id !== undefined && action === undefined && method === 'GET') return sendJson(ex, 200, state.getOwned(contractId, id));
      if (id !== undefined && action === 'cancel' && method === 'POST') return sendJson(ex, 200, await state.cancel(contractId, id));
      if (id !== undefined && action === 'setDelivery' && method === 'POST') {
        const request = parseWith(DeliveryRequestSchema, body);
        return sendJson(ex, 200, await state.setDelivery(contractId, id, request.delivery_options));
      }
    }
    if (area === 'payment/transactions' && id !== undefined) {
      if (action === undefined && method === 'GET') return sendJson(ex, 200, state.getPayment(contractId, id));
      if (action === 'checkStatus' && method === 'GET') {
        const payment = state.getPayment(contractId, id);
        return sendJson(ex, 200, {
          status: payment.status,
          status_text: payment.status_text,
          status_simple: payment.details.status_simple,
          status_simple_text: payment.details.status_simple_text,
          amount: payment.details.amount,
          currency: payment.currency,
        });
      }
      if (action === 'capture' && method === 'POST') {
        const request = parseWith(CaptureRequestSchema, body);
        return sendJson(ex, 200, await state.capture(contractId, id, request?.shipping_information ?? undefined));
      }
      if (action === 'cancel' && method === 'POST') {
        const request = parseWith(RefundRequestSchema, body);
        return sendJson(ex, 200, await state.refund(contractId, id, request?.reduce_amount_by, request?.reason));
      }
    }
    throw notFound('Resource', `${method} ${url.pathname}`);
  }

  /** The last list's filtered and sorted result, reused while nothing changed (backfill pages through it). */
  let listCache: { key: string; version: number; items: SmartTransaction[] } | undefined;

  /**
   * `{count: <total>, data: [...]}` (API-NOTES §3.1, H). `count` and `offset` (0-based) page;
   * the API's default page size is not documented, 20 is assumed (L), and so is the maximum 1000 (L).
   */
  function listSmartTransactions(contractId: string, method: string, url: URL): { count: number; data: SmartTransaction[] } {
    const params = url.searchParams;
    const integer = (name: string, fallback: number, max: number) => {
      const raw = params.get(name);
      if (raw === null) return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) > max) throw invalidValue(name);
      return Number(raw);
    };
    const count = integer('count', 20, 1000);
    const offset = integer('offset', 0, Number.MAX_SAFE_INTEGER);
    const q = params.get('q')?.trim() ?? '';
    const sort = params.get('sort')?.trim() ?? '';
    const query = q !== '' ? parseQuery(q) : undefined;
    const order = sort !== '' ? parseSort(sort) : undefined;
    const refused = refusedForm(method, url.pathname, [...(query?.forms ?? []), ...(order?.forms ?? [])]);
    if (refused !== undefined) throw invalidValue(/^(sort|direction):/.test(refused) ? 'sort' : 'q');

    const key = `${contractId}\n${q}\n${sort}`;
    let items: SmartTransaction[];
    if (listCache && listCache.key === key && listCache.version === state.version) {
      items = listCache.items;
    } else {
      items = state.listFor(contractId);
      if (query) items = items.filter(query.matches);
      if (order) items.sort(order.compare);
      listCache = { key, version: state.version, items };
    }
    return { count: items.length, data: items.slice(offset, offset + count) };
  }

  // ---- payment page -----------------------------------------------------------------------

  async function handlePage(ex: Exchange, url: URL): Promise<void> {
    const method = ex.req.method ?? 'GET';
    if (url.pathname === '/pay' && method === 'GET') return showPayPage(ex, url.searchParams);
    if (url.pathname === '/pay' && method === 'POST') return submitPayPage(ex, new URLSearchParams(await readBody(ex)));
    if (url.pathname === '/qr/epc' && method === 'GET') return sendGirocode(ex, url.searchParams.get('stx') ?? '');
    if (url.pathname === '/favicon.ico') return send(ex, 204, undefined, { 'Cache-Control': 'max-age=86400' }, '');
    if (url.pathname === '/' && method === 'GET') {
      return sendHtml(ex, 200, renderPlain('en', 'secuconnect simulator', 'API under /api/v2, token at /oauth/token, payment page under /pay.'));
    }
    sendHtml(ex, 404, renderPlain('en', 'Not found', url.pathname));
  }

  function linkedTransaction(params: URLSearchParams): SmartTransaction | undefined {
    const stx = state.get(params.get('stx') ?? '');
    return stx && stx.contract.id === params.get('contract') ? stx : undefined;
  }

  function showPayPage(ex: Exchange, params: URLSearchParams): void {
    const stx = linkedTransaction(params);
    const language = pageLanguage(stx, ex.req.headers['accept-language']);
    if (!stx) return sendHtml(ex, 404, renderInvalid(language));
    const link = { stx: stx.id, contract: stx.contract.id, server: params.get('server') ?? serverName };
    const offered = state.offeredMethods(stx);
    const kind = resultKind(stx);
    if (kind !== 'other') return sendHtml(ex, 200, renderResult(stx, kind, language));
    if (params.get('result') === 'aborted') {
      const back = `/pay?${new URLSearchParams({ ...link, ...(params.get('payment-method') ? { 'payment-method': params.get('payment-method') ?? '' } : {}) })}`;
      return sendHtml(ex, 200, renderResult(stx, 'aborted', language, back));
    }
    const requested = params.get('payment-method') ?? undefined;
    const fixed = requested && offered.includes(requested) ? requested : undefined;
    if (requested && !fixed) return sendHtml(ex, 404, renderInvalid(language));
    const targets = origins([returnUrl(stx, 'url_success'), returnUrl(stx, 'url_error'), returnUrl(stx, 'url_abort')]);
    sendHtml(ex, 200, renderPayForm(stx, offered, fixed, link, language), targets);
  }

  async function submitPayPage(ex: Exchange, form: URLSearchParams): Promise<void> {
    const parsed = PageActionSchema.safeParse(Object.fromEntries(form));
    const stx = parsed.success ? linkedTransaction(form) : undefined;
    const language = pageLanguage(stx, ex.req.headers['accept-language']);
    if (!parsed.success || !stx) return sendHtml(ex, 400, renderInvalid(language));
    const { action, method } = parsed.data;
    const resultPage = (extra: Record<string, string> = {}) =>
      `/pay?${new URLSearchParams({ stx: stx.id, contract: stx.contract.id, server: parsed.data.server ?? serverName, ...extra })}`;
    try {
      if (action === 'pay') {
        await state.pay(stx.id, method);
        return redirect(ex, returnUrl(stx, 'url_success') ?? resultPage());
      }
      if (action === 'fail') {
        await state.fail(stx.id);
        return redirect(ex, returnUrl(stx, 'url_error') ?? resultPage());
      }
      await state.abort(stx.id);
      // Without url_abort the documented fallback is url_error (DOC:Return_URLs, H).
      return redirect(ex, returnUrl(stx, 'url_abort') ?? returnUrl(stx, 'url_error') ?? resultPage({ result: 'aborted' }));
    } catch (error) {
      if (!(error instanceof SimulatorControlError)) throw error;
      // Paid in another tab, cancelled meanwhile …: show what the link is now.
      const kind = resultKind(stx);
      return sendHtml(ex, 409, kind === 'other' ? renderInvalid(language) : renderResult(stx, kind, language));
    }
  }

  /** The prepayment GiroCode (EPC069-12 "BCD" payload) the payment instructions point to. */
  async function sendGirocode(ex: Exchange, stxId: string): Promise<void> {
    const stx = state.get(stxId);
    const instructions = stx?.payment_instructions;
    if (!stx || !instructions) return sendHtml(ex, 404, renderPlain('en', 'Not found', 'No payment instructions for this transaction.'));
    const amount = `${stx.basket_info.currency}${(stx.basket_info.sum / 100).toFixed(2)}`;
    const payload = ['BCD', '002', '1', 'SCT', instructions.bic, instructions.owner.slice(0, 70), instructions.iban, amount, '', '', instructions.purpose].join('\n');
    const svg = await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    send(ex, 200, undefined, { 'Content-Type': 'image/svg+xml', 'Content-Security-Policy': "default-src 'none'", 'Cache-Control': 'no-store' }, svg);
  }

  // ---- control API: for tests and e2e only, never part of the real API ----------------------

  /**
   * Only with `testControl` (404 otherwise):
   * - `POST /__control/transactions` a ForeignTransactionSpec (+ `contractId`) → `{count, data: first 100}`
   * - `GET /__control/transactions/<STX>` → the transaction, whoever owns it
   * - `POST /__control/transactions/<STX>/pay` `{method?}` | `fail` | `abort` | `settle` | `cancel`
   * - `POST /__control/faults` a {@link Fault} (`times` may be `"Infinity"`), `DELETE /__control/faults`
   * - `POST /__control/tokens/expire`; `GET /__control/stats` → `{tokenRequests, totalRequests, requests}`; `DELETE` resets
   */
  async function handleControl(ex: Exchange, url: URL): Promise<void> {
    const method = ex.req.method ?? 'GET';
    const parts = url.pathname.split('/').filter(Boolean).slice(1);
    const body = method === 'POST' ? parseJsonBody(await readBody(ex)) : undefined;
    try {
      if (parts[0] === 'transactions' && parts.length === 1 && method === 'POST') {
        const parsed = ForeignTransactionSpecSchema.extend({ contractId: z.string().optional() }).safeParse(body ?? {});
        if (!parsed.success) return sendJson(ex, 400, { error: `Invalid transaction: ${describeIssues(parsed.error)}` });
        const { contractId, ...spec } = parsed.data;
        const created = await state.createForeign(contractId ?? accounts[0]?.contractId ?? '', spec);
        return sendJson(ex, 200, { count: created.length, data: created.slice(0, CONTROL_LIST_LIMIT) });
      }
      if (parts[0] === 'transactions' && parts.length === 2 && method === 'GET') {
        const stx = state.get(parts[1] ?? '');
        return stx ? sendJson(ex, 200, stx) : sendJson(ex, 404, { error: `Smart Transaction ${parts[1] ?? ''} not found` });
      }
      if (parts[0] === 'transactions' && parts.length === 3 && method === 'POST' && parts[2] === 'cancel') {
        return sendJson(ex, 200, await state.cancelById(parts[1] ?? ''));
      }
      if (parts[0] === 'transactions' && parts.length === 3 && method === 'POST') {
        const id = parts[1] ?? '';
        const parsed = ControlPaySchema.safeParse(body);
        if (!parsed.success) return sendJson(ex, 400, { error: 'Body must be {"method"?: string}' });
        switch (parts[2]) {
          case 'pay':
            return sendJson(ex, 200, await state.pay(id, parsed.data?.method));
          case 'fail':
            return sendJson(ex, 200, await state.fail(id));
          case 'abort':
            return sendJson(ex, 200, await state.abort(id));
          case 'settle':
            return sendJson(ex, 200, await state.settlePrepayment(id));
        }
      }
      if (parts[0] === 'faults' && parts.length === 1 && method === 'POST') {
        const parsed = FaultSchema.safeParse(body);
        if (!parsed.success) return sendJson(ex, 400, { error: `Invalid fault: ${describeIssues(parsed.error)}` });
        const fault = { ...parsed.data, times: parsed.data.times === 'Infinity' ? Infinity : parsed.data.times } as Fault;
        try {
          faults.add(fault);
        } catch (error) {
          return sendJson(ex, 400, { error: (error as Error).message });
        }
        return sendJson(ex, 200, { ok: true });
      }
      if (parts[0] === 'faults' && parts.length === 1 && method === 'DELETE') {
        faults.clear();
        return sendJson(ex, 200, { ok: true });
      }
      if (parts[0] === 'tokens' && parts[1] === 'expire' && parts.length === 2 && method === 'POST') {
        control.expireAllTokens();
        return sendJson(ex, 200, { ok: true });
      }
      if (parts[0] === 'stats' && parts.length === 1 && method === 'GET') {
        return sendJson(ex, 200, { tokenRequests: stats.tokenRequests, totalRequests: stats.totalRequests, requests: stats.requests });
      }
      if (parts[0] === 'stats' && parts.length === 1 && method === 'DELETE') {
        stats.reset();
        return sendJson(ex, 200, { ok: true });
      }
      sendJson(ex, 404, { error: `Unknown control route ${method} ${url.pathname}` });
    } catch (error) {
      if (error instanceof SimulatorControlError) return sendJson(ex, error.status, { error: error.message });
      throw error;
    }
  }

  // ---- dispatch ---------------------------------------------------------------------------

  let allowedHosts = new Set<string>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const path = url.pathname;
    const ex: Exchange = {
      req,
      res,
      record: undefined,
      dropAnswer: false,
      answerDelayMs: 0,
      body: undefined,
      commonHeaders: testControl ? { 'Access-Control-Allow-Origin': '*' } : {},
    };
    const isToken = path === '/oauth/token';
    const isApi = path.startsWith('/api/v2/');

    try {
      // A web page that rebinds its own host name to 127.0.0.1 reaches this port, but with its
      // own name in Host: it gets nothing from here.
      if (!allowedHosts.has((req.headers.host ?? '').toLowerCase())) {
        return send(ex, 421, 'Misdirected Request', { 'Content-Type': 'text/plain; charset=utf-8' }, 'Unknown host');
      }
      if (path.startsWith('/__control/')) {
        if (!testControl) return sendHtml(ex, 404, renderPlain('en', 'Not found', url.pathname));
        return await handleControl(ex, url);
      }

      ex.record = { method, path, status: 0 };
      logRequest(ex.record);
      if (isToken) stats.tokenRequests += 1;

      const { latencyMs, action } = takeFaults(method, path);
      if (latencyMs > 0) await sleep(latencyMs);
      if (action) {
        switch (action.kind) {
          case 'drop':
            ex.record.status = 0;
            req.socket.destroy();
            return;
          case 'drop-after-processing':
            ex.dropAnswer = true;
            break;
          case 'answer-late':
            ex.answerDelayMs = action.ms;
            break;
          case 'process-late':
            // Read now, so the work happens even when the caller has given up meanwhile.
            void readBody(ex).catch(() => undefined);
            await sleep(action.ms);
            break;
          case 'malformed':
            return send(ex, 200, undefined, { 'Content-Type': isToken ? OAUTH_HEADERS['Content-Type'] : JSON_TYPE }, '{"object":"smart.transactions","id":"STX_');
          case 'status':
          case 'retry-after': {
            const status = action.kind === 'status' ? action.status : 429;
            const headers: Record<string, string> = action.kind === 'retry-after' ? { 'Retry-After': String(action.seconds) } : {};
            if (isToken) {
              const oauth =
                status >= 500
                  ? new OAuthError(status, 'server_error', 'The server had an error (simulated fault)')
                  : status === 429
                    ? new OAuthError(429, 'temporarily_unavailable', 'Too many requests (simulated fault)')
                    : new OAuthError(status, 'invalid_client', 'The client credentials are invalid');
              return sendOAuthError(ex, oauth, headers);
            }
            if (isApi) {
              const error = errorForStatus(status);
              return sendJson(ex, status, error.payload(), error.exception, headers);
            }
            return sendHtml(ex, status, renderPlain('en', `Error ${status}`, 'Simulated fault'));
          }
        }
      }

      if (isToken) return await handleToken(ex);
      if (isApi) return await handleApi(ex, url);
      return await handlePage(ex, url);
    } catch (error) {
      if (res.headersSent || res.destroyed) return;
      if (error instanceof ApiError) return sendApiError(ex, error);
      if (error instanceof OAuthError) return sendOAuthError(ex, error);
      // Never echo the error text: it could carry request data. The type is enough to debug.
      console.error(`simulator: ${method} ${path} failed: ${error instanceof Error ? error.name : typeof error}`);
      if (isApi || isToken) return sendApiError(ex, new ApiError(500, 'ProductInternalException', 'Internal error', 0));
      return sendHtml(ex, 500, renderPlain('en', 'Internal error', 'The simulator failed.'));
    }
  }

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${address.port}`;
  allowedHosts = new Set([`127.0.0.1:${address.port}`, `localhost:${address.port}`]);
  state.setBaseUrl(baseUrl);

  let stopped: Promise<void> | undefined;
  return {
    baseUrl,
    stats,
    control,
    faults,
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        await state.flush();
      })();
      return stopped;
    },
  };
}
