import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_ACCOUNT, type RunningSimulator, type SimulatorAccount } from '../../src/simulator';

const SEED_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/seed/payment-link-tutorial.txt');

/**
 * The tutorial's JSON examples are hand-written: missing commas, a trailing comma, `...` lines.
 * This repairs exactly those slips so the examples can be used as they are.
 */
function lenientJson(block: string): Record<string, unknown> {
  const lines = block
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && l !== '...');
  const out: string[] = [];
  for (const line of lines) {
    const prev = out[out.length - 1];
    if (prev !== undefined && /(["}\]\d]|true|false|null)$/.test(prev) && /^["{]/.test(line)) out[out.length - 1] = `${prev},`;
    out.push(line);
  }
  return JSON.parse(out.join('\n').replace(/,(\s*[}\]])/g, '$1')) as Record<string, unknown>;
}

function jsonObjectAfter(text: string, marker: string): string {
  const start = text.indexOf(marker);
  if (start < 0) throw new Error(`seed tutorial: marker not found: ${marker}`);
  const open = text.indexOf('{', start);
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(open, i + 1);
  }
  throw new Error('seed tutorial: unbalanced JSON example');
}

export interface SeedExamples {
  tokenRequest: Record<string, unknown>;
  tokenResponse: Record<string, unknown>;
  createRequest: Record<string, unknown>;
  createResponse: Record<string, unknown>;
}

export function readSeedExamples(): SeedExamples {
  const text = readFileSync(SEED_FILE, 'utf8');
  return {
    tokenRequest: lenientJson(jsonObjectAfter(text, 'POST /oauth/token HTTP/1.1')),
    tokenResponse: lenientJson(jsonObjectAfter(text, 'and the token details')),
    createRequest: lenientJson(jsonObjectAfter(text, 'POST /api/v2/Smart/Transactions HTTP/1.1')),
    createResponse: lenientJson(jsonObjectAfter(text, 'the API responds with 200 OK and the representation')),
  };
}

export interface Answer {
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  // Tests read the shapes they check; a wrong shape fails the assertion, not the cast.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

export async function call(sim: RunningSimulator, method: string, path: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] ??= 'application/json';
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  }
  const response = await fetch(`${sim.baseUrl}${path}`, { method, headers, body, redirect: 'manual' });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, statusText: response.statusText, headers: response.headers, text, json };
}

export async function tokenFor(sim: RunningSimulator, account: SimulatorAccount = DEMO_ACCOUNT): Promise<string> {
  const answer = await call(sim, 'POST', '/oauth/token', {
    body: { grant_type: 'client_credentials', client_id: account.clientId, client_secret: account.clientSecret },
  });
  if (answer.status !== 200) throw new Error(`token request failed with ${answer.status}`);
  return answer.json.access_token as string;
}

export function linkRequest(overrides: Record<string, unknown> = {}, contractId = DEMO_ACCOUNT.contractId): Record<string, unknown> {
  return {
    is_demo: true,
    intent: 'sale',
    contract: { id: contractId },
    transactionRef: 'Order 4711',
    merchantRef: `LD-${Math.random().toString(36).slice(2, 10)}`,
    basket_info: { sum: 1750, currency: 'EUR' },
    application_context: { checkout_template: 'COT_WD0DE66HN2XWJHW8JM88003YG0NEA2', language: 'de' },
    payment_context: { auto_capture: true },
    ...overrides,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function createLink(sim: RunningSimulator, token: string, overrides: Record<string, unknown> = {}): Promise<any> {
  const answer = await call(sim, 'POST', '/api/v2/Smart/Transactions', { token, body: linkRequest(overrides) });
  if (answer.status !== 200) throw new Error(`create failed with ${answer.status}: ${answer.text}`);
  return answer.json;
}
