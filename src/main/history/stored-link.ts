import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { z } from 'zod';
import { needsShipping, historyStatus } from '../../shared/history-query';
import { LinkRecordSchema, type LinkOrigin, type LinkRecord, type RefundEntry, type ShipmentEntry } from '../../shared/link';
import { isFinalStatus, isPaidStatus } from '../../shared/status';
import { searchText } from './search-text';

/**
 * How one link sits in a row of `links`: the record as JSON (without what other tables hold:
 * refunds, shipments; the origin, which follows from the merchantRef), a CRC-32 of that JSON, and typed columns for everything a query filters,
 * sorts or sums. The columns are always derived from the JSON in one place ({@link linkColumns}),
 * so they cannot drift apart.
 */
export const StoredLinkSchema = LinkRecordSchema.omit({ refunds: true, refundedCents: true, shipped: true, origin: true });
export type StoredLink = z.infer<typeof StoredLinkSchema>;

/**
 * The JSON is stored deflated with a preset dictionary: a record is ~900 bytes of JSON whose
 * keys, URLs and ids repeat in every row, and the dictionary brings it to ~100–150 bytes (the
 * disk goal is ≤ 700 bytes per link, indexes and search included). The first byte says how the
 * rest is encoded, so a later dictionary can be added without rewriting old rows.
 * NEVER change {@link DICTIONARY_V1}: rows written with it could no longer be read.
 */
const CODEC_PLAIN_JSON = 0;
const CODEC_DEFLATE_V1 = 1;
const DICTIONARY_V1 = Buffer.from(
  JSON.stringify({
    merchantRef: 'LD-',
    state: 'created',
    id: 'STX_',
    environment: 'live',
    accountKey: 'https://connect.secucard.com|https://connect-testing.secuconnect.com|',
    isDemo: false,
    status: 'created',
    amountCents: 0,
    currency: 'EUR',
    reference: '',
    language: 'de',
    paymentMethod: 'any',
    deskName: '',
    customer: {
      salutation: '', companyname: '', forename: '', surname: '', email: '@example.de', phone: '+49', mobile: '+49', dob: '19',
      address: { street: '', street_number: '', additional_address_data: '', postal_code: '', city: '', country: 'DE' },
    },
    returnUrls: { success: 'https://', error: 'https://', abort: 'https://' },
    paymentUrl: 'https://checkout.secupay.com/pay/',
    paymentLinks: { general: 'https://checkout.secupay.com/pay/', creditcard: '', paypal: '', debit: '', invoice: '', prepaid: '', sofort: '' },
    transactionId: 'PCI_',
    paidWith: 'creditcard',
    paymentInstructions: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
    lastCheckedAt: '2026-01-01T00:00:00.000Z',
    error: null,
  }),
);

/** For the background check, which unpacks rows in a worker thread. */
export const RECORD_DICTIONARY: Uint8Array = DICTIONARY_V1;

export function encodeRecord(stored: StoredLink): { blob: Uint8Array; checksum: number } {
  const json = Buffer.from(JSON.stringify(stored), 'utf8');
  const packed = deflateRawSync(json, { dictionary: DICTIONARY_V1, level: 6 });
  const blob = Buffer.allocUnsafe(packed.length + 1);
  blob[0] = CODEC_DEFLATE_V1;
  packed.copy(blob, 1);
  return { blob, checksum: crc32(json) };
}

/** Why a row's record could not be read: it is then kept aside, never guessed at. */
export class DamagedRowError extends Error {
  constructor(readonly rowId: number, reason: string) {
    super(`history row ${rowId}: ${reason}`);
  }
}

const FAST_PATH_AFTER_RECORDS = 1_000;
const ORDINARY_PATH = { jitless: true } as const;
let recordsParsed = 0;

/** The record's JSON from its row, checked against the row's checksum and the schema. */
export function decodeRecord(rowId: number, blob: unknown, checksum: unknown): StoredLink {
  if (!(blob instanceof Uint8Array) || blob.length < 2 || typeof checksum !== 'number') throw new DamagedRowError(rowId, 'no record');
  let json: Buffer;
  try {
    const body = Buffer.from(blob.buffer, blob.byteOffset + 1, blob.length - 1);
    if (blob[0] === CODEC_DEFLATE_V1) json = inflateRawSync(body, { dictionary: DICTIONARY_V1 });
    else if (blob[0] === CODEC_PLAIN_JSON) json = Buffer.from(body);
    else throw new Error('unknown encoding');
  } catch {
    throw new DamagedRowError(rowId, 'record cannot be unpacked');
  }
  if (crc32(json) !== checksum) throw new DamagedRowError(rowId, 'checksum mismatch');
  let value: unknown;
  try {
    value = JSON.parse(json.toString('utf8'));
  } catch {
    throw new DamagedRowError(rowId, 'record is not JSON');
  }
  // zod compiles a schema into a fast path on its first parse; over the first page of a fresh
  // process that compiling costs more than it saves (measured: 2–3 ms of ~20), so the first reads
  // take zod's ordinary path and the fast path is built once enough records make it pay.
  const parsed = StoredLinkSchema.safeParse(value, recordsParsed++ < FAST_PATH_AFTER_RECORDS ? ORDINARY_PATH : undefined);
  if (!parsed.success) throw new DamagedRowError(rowId, `record does not match the schema: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

/** The typed columns of a link, named as in the `links` table. */
export function linkColumns(stored: StoredLink, shipped: ShipmentEntry | null, origin: LinkOrigin) {
  return {
    merchant_ref: stored.merchantRef,
    stx_id: stored.id,
    history_status: historyStatus(stored),
    amount_cents: stored.amountCents,
    currency: stored.currency,
    reference: stored.reference,
    payment_method: stored.paymentMethod,
    paid_with: stored.paidWith,
    is_final: stored.state === 'create_failed' || (stored.state === 'created' && isFinalStatus(stored.status)) ? 1 : 0,
    is_paid: stored.state === 'created' && isPaidStatus(stored.status) ? 1 : 0,
    needs_shipping: needsShipping({ ...stored, shipped }) ? 1 : 0,
    created_at: Date.parse(stored.createdAt),
    updated_at: Date.parse(stored.updatedAt),
    origin,
    desk_name: stored.deskName ?? null,
    search_text: searchText(stored),
  };
}

export function toLinkRecord(stored: StoredLink, refunds: RefundEntry[], shipped: ShipmentEntry | null, origin: LinkOrigin): LinkRecord {
  return { ...stored, refunds, refundedCents: refunds.reduce((sum, refund) => sum + refund.amountCents, 0), shipped, origin };
}

/** The stored part of a record that was already parsed as a {@link LinkRecord}. */
export function toStoredLink(record: LinkRecord): StoredLink {
  const { refunds: _refunds, refundedCents: _refunded, shipped: _shipped, origin: _origin, ...stored } = record;
  return stored;
}
