/**
 * What the secuconnect client costs on top of plain HTTP, and how often it logs in.
 *
 * Starts the simulator in-process, then creates and reads N payment links through the client
 * and the same N through bare `fetch` with a token fetched beforehand, alternating which goes
 * first so both see the same warm-up, GC and scheduler noise.
 *
 * Goals: median per-request ratio client/bare ≤ 1.15; exactly 1 token request per 1,000 creates.
 * Run: npm run bench:client [-- N]
 */
import { performance } from 'node:perf_hooks';
import { DEMO_ACCOUNT, startSimulator } from '../src/simulator';
import { CreateLinkInputSchema } from '../src/shared/link';
import { TokenCache, buildCreateSmartTransactionBody, createSecuconnectClient, newMerchantRef } from '../src/main/secuconnect';

const N = Number(process.argv[2] ?? process.env.BENCH_N ?? 1000);
const WARMUP = 100;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

const linkInput = CreateLinkInputSchema.parse({
  amountCents: 1750,
  currency: 'EUR',
  reference: 'Bench 1',
  language: 'de',
  paymentMethod: 'any',
  customer: { forename: 'Max', surname: 'Mustermann', email: 'max@example.org' },
  returnUrls: { success: 'https://shop.example.com/ok', error: '', abort: '' },
});
const newBody = () => buildCreateSmartTransactionBody(linkInput, { contractId: DEMO_ACCOUNT.contractId, isDemo: true, merchantRef: newMerchantRef('0be1a2c3') });

async function main(): Promise<void> {
  const simulator = await startSimulator();
  try {
    const newClient = () =>
      createSecuconnectClient({
        baseUrl: simulator.baseUrl,
        clientId: DEMO_ACCOUNT.clientId,
        getClientSecret: async () => DEMO_ACCOUNT.clientSecret,
        tokenCache: new TokenCache(),
      });

    const tokenResponse = await fetch(`${simulator.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credentials', client_id: DEMO_ACCOUNT.clientId, client_secret: DEMO_ACCOUNT.clientSecret }),
    });
    const { access_token: bareToken } = (await tokenResponse.json()) as { access_token: string };
    const bareHeaders = { Authorization: `Bearer ${bareToken}`, Accept: 'application/json', 'Content-Type': 'application/json' };

    const throughClient = (client: ReturnType<typeof newClient>) => async (createTimes: number[], readTimes: number[]) => {
      const body = newBody();
      let started = performance.now();
      const created = await client.createSmartTransaction(body);
      createTimes.push(performance.now() - started);
      started = performance.now();
      await client.getSmartTransaction(created.id);
      readTimes.push(performance.now() - started);
    };
    const viaFetch = async (createTimes: number[], readTimes: number[]) => {
      const body = newBody();
      let started = performance.now();
      const response = await fetch(`${simulator.baseUrl}/api/v2/Smart/Transactions`, { method: 'POST', headers: bareHeaders, body: JSON.stringify(body) });
      const created = (await response.json()) as { id: string };
      createTimes.push(performance.now() - started);
      started = performance.now();
      const read = await fetch(`${simulator.baseUrl}/api/v2/Smart/Transactions/${encodeURIComponent(created.id)}`, { headers: bareHeaders });
      await read.json();
      readTimes.push(performance.now() - started);
    };

    const ignore: number[] = [];
    const warmUp = throughClient(newClient());
    for (let i = 0; i < WARMUP; i += 1) {
      await warmUp(ignore, ignore);
      await viaFetch(ignore, ignore);
    }

    // The warm-up logged in already; the measured client starts from an empty cache so its login counts.
    const measured = throughClient(newClient());
    simulator.stats.reset();

    const withClient = { create: [] as number[], read: [] as number[] };
    const bare = { create: [] as number[], read: [] as number[] };
    for (let i = 0; i < N; i += 1) {
      if (i % 2 === 0) {
        await measured(withClient.create, withClient.read);
        await viaFetch(bare.create, bare.read);
      } else {
        await viaFetch(bare.create, bare.read);
        await measured(withClient.create, withClient.read);
      }
    }
    const tokenRequests = simulator.stats.tokenRequests;

    const all = (side: { create: number[]; read: number[] }) => [...side.create, ...side.read];
    const row = (label: string, c: number[], b: number[]) =>
      `${label.padEnd(10)} client ${median(c).toFixed(3).padStart(7)} ms   bare ${median(b).toFixed(3).padStart(7)} ms   ratio ${(median(c) / median(b)).toFixed(3)}`;
    const ratio = median(all(withClient)) / median(all(bare));
    const tokensPer1000 = (tokenRequests / N) * 1000;

    console.info(`secuconnect client vs bare fetch, ${N} creates + ${N} reads each, simulator on loopback (median per request)`);
    console.info(row('create', withClient.create, bare.create));
    console.info(row('read', withClient.read, bare.read));
    console.info(row('all', all(withClient), all(bare)));
    console.info(`overhead ratio (client/bare, median per request): ${ratio.toFixed(3)}   goal ≤ 1.15   ${ratio <= 1.15 ? 'MET' : 'MISSED'}`);
    console.info(`token requests per 1,000 creates: ${tokensPer1000.toFixed(2)} (${tokenRequests} for ${N})   goal = 1 per 1,000   ${tokenRequests === 1 ? 'MET' : 'MISSED'}`);
  } finally {
    await simulator.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  process.exitCode = 1;
});
