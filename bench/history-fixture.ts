/**
 * The history the benchmarks measure: realistic links (names, companies, references, statuses
 * spread over 2022–2024), built once per size into `.bench-out/` and reused, because building
 * 1,000,000 takes minutes. Shared by bench:history and bench:overview.
 */
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { openLinkRepository } from '../src/main/history';
import { SCHEMA_VERSION } from '../src/main/history/schema';
import type { LinkRecord } from '../src/shared/link';

/** Bump when realisticRecord changes, so cached databases are rebuilt. */
const GENERATOR_VERSION = 4;

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Deterministic pseudo-random numbers, so every run measures the same history. */
function randomSource(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

const FORENAMES = ['Anna', 'Jürgen', 'Mehmet', 'Sophie', 'Lukas', 'Marie', 'Paul', 'Emma', 'Jonas', 'Lea', 'Özlem', 'Thomas'];
const SURNAMES = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Schulz', 'Hoffmann', 'Yılmaz', 'Koch'];
const COMPANIES = ['Bäckerei Süß', 'Autohaus Nord GmbH', 'Praxis Dr. Lange', 'Blumen Kern', 'Fahrradladen Speiche'];
const STATUSES = ['ok', 'ok', 'ok', 'ok', 'created', 'created', 'pending', 'failed', 'cancelled'];
const METHODS = ['creditcard', 'paypal', 'debit', 'invoice', 'prepaid'];

function asciiMailName(name: string): string {
  return name.toLowerCase().replace(/ä/g, 'ae').replace(/ö/g, 'oe').replace(/ü/g, 'ue').replace(/ı/g, 'i');
}

function realisticRecord(i: number, random: () => number): LinkRecord {
  const created = new Date(Date.UTC(2022, 0, 1) + Math.floor(random() * 3 * 365 * 86_400_000));
  const updated = new Date(created.getTime() + Math.floor(random() * 3 * 86_400_000));
  const status = STATUSES[Math.floor(random() * STATUSES.length)] as string;
  const isPhoneOrder = random() < 0.4;
  const forename = FORENAMES[Math.floor(random() * FORENAMES.length)] as string;
  const surname = SURNAMES[Math.floor(random() * SURNAMES.length)] as string;
  const stx = `STX_${i.toString(36).toUpperCase().padStart(8, '0')}${'K7Q2W9XM4P1Z8R3T6V5N0B2C4D'.slice(0, 22)}`;
  const paid = status === 'ok';
  const url = `https://checkout.secupay.com/pay/${i.toString(36)}`;
  return {
    merchantRef: `LD-${created.getTime().toString(36)}-${i.toString(36)}`,
    state: 'created',
    id: stx,
    environment: 'live',
    accountKey: 'https://connect.secucard.com|611c00ec6b2be6c77c2338774f50040b',
    isDemo: false,
    status,
    amountCents: 100 + Math.floor(random() * 50_000),
    currency: 'EUR',
    reference: random() < 0.7 ? `RE-${created.getUTCFullYear()}-${String(i).padStart(5, '0')}` : '',
    language: 'de',
    paymentMethod: 'any',
    customer: isPhoneOrder
      ? {
          forename,
          surname,
          email: `${asciiMailName(forename)}.${asciiMailName(surname)}@example.de`,
          ...(random() < 0.2 ? { companyname: COMPANIES[Math.floor(random() * COMPANIES.length)] as string } : {}),
        }
      : undefined,
    returnUrls: { success: 'https://shop.example/success', error: 'https://shop.example/error', abort: 'https://shop.example/abort' },
    paymentUrl: url,
    paymentLinks: { general: url },
    transactionId: paid ? `PCI_${i.toString(36).toUpperCase().padStart(26, 'W')}` : null,
    paidWith: paid ? (METHODS[Math.floor(random() * METHODS.length)] as string) : null,
    refundedCents: 0,
    refunds: [],
    origin: 'this-desk',
    shipped: null,
    paymentInstructions: null,
    createdAt: created.toISOString(),
    updatedAt: updated.toISOString(),
    lastCheckedAt: updated.toISOString(),
    error: null,
  };
}

/** Builds (or reuses) a history of `size` links, inserted in creation order as a desk would. */
export async function benchDatabase(size: number): Promise<string> {
  const dir = resolve('.bench-out', `history-${size}-s${SCHEMA_VERSION}-g${GENERATOR_VERSION}`);
  if (existsSync(join(dir, 'complete'))) return dir;
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const random = randomSource(42);
  const started = performance.now();
  const records = Array.from({ length: size }, (_, i) => realisticRecord(i, random)).sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const history = openLinkRepository({ deskId: 'de5c0001', dir });
  for (let i = 0; i < records.length; i += 5_000) await history.insertMany(records.slice(i, i + 5_000));
  await history.close();
  const db = new DatabaseSync(join(dir, 'links.sqlite'));
  db.exec('PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;');
  db.close();
  await writeFile(join(dir, 'complete'), '');
  console.info(`  built ${size.toLocaleString('en')} links in ${((performance.now() - started) / 1000).toFixed(0)} s (once, cached in ${dir})`);
  return dir;
}
