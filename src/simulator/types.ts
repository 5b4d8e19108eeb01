import { z } from 'zod';

export interface SimulatorAccount {
  clientId: string;
  clientSecret: string;
  contractId: string;
}

export interface SimulatorOptions {
  /** 0 / undefined = a random free port. The simulator always binds 127.0.0.1. */
  port?: number;
  /** Default `[DEMO_ACCOUNT]`. */
  accounts?: SimulatorAccount[];
  /** `expires_in` of issued tokens; default 1200 like the real API (API-NOTES §2). */
  tokenLifetimeSeconds?: number;
  /**
   * What a missing/unknown/expired bearer token gets. The docs show 403 ProductNotAllowedException
   * code 2003 (H, DOC:Error_Handling); the official SDKs re-authenticate on 401 (M), so 401 can be
   * selected to exercise that path. API-NOTES §11 q3 leaves open which one production sends.
   */
  invalidTokenStatus?: 401 | 403;
  /** Transactions persist here (temp file + rename) and are loaded on start. */
  dataFile?: string;
  /** `payment_links` keys offered besides `general`; the real set depends on the merchant's contract. */
  paymentMethods?: string[];
  /** Value of the `server=` query in payment links; default `testing`. */
  serverName?: string;
  /**
   * Tests only: serve the `/__control/*` routes and answer with `Access-Control-Allow-Origin: *`
   * (as the real token endpoint does, API-NOTES §2). Off by default, and off in the Demo mode
   * the app ships: there nothing but the app itself may drive or read the simulator.
   */
  testControl?: boolean;
  /** How many requests `stats.requests` keeps (the newest); default 10 000. */
  requestLogLimit?: number;
  /** The simulator's clock for `created`/`updated`; default `Date.now`. */
  now?: () => number;
}

const LooseRecordSchema = z.record(z.string(), z.unknown());

export const TransactionLinkSchema = z.object({
  object: z.literal('payment.transactions'),
  id: z.string(),
  trans_id: z.number().int(),
  transaction_hash: z.string(),
});

export const PaymentInstructionsSchema = z.object({
  owner: z.string(),
  iban: z.string(),
  bic: z.string(),
  bankname: z.string(),
  purpose: z.string(),
  girocode_url: z.string(),
});

/**
 * The basket as the answer carries it. Looser than the create check (validate.ts): data files
 * written before products needed a `desc` must still load.
 */
export const AnsweredBasketSchema = z.looseObject({
  products: z.array(
    z.looseObject({
      desc: z.string().nullable().optional(),
      quantity: z.number().int(),
      priceOne: z.number().int(),
      tax: z.number().optional(),
      sum: z.number().int().optional(),
    }),
  ),
  type: z.string().optional(),
});
export type AnsweredBasket = z.infer<typeof AnsweredBasketSchema>;

/** The Smart Transaction as the simulator answers it (API-NOTES §4.2, the fields a Payment Link uses). */
export const SmartTransactionSchema = z.object({
  object: z.literal('smart.transactions'),
  id: z.string().regex(/^STX_[0-9A-Z]{30}$/),
  merchant: z.object({ object: z.literal('general.merchants'), id: z.string(), companyname: z.string() }),
  contract: z.object({ object: z.literal('general.contracts'), id: z.string() }),
  customer: z
    .object({ object: z.literal('payment.customers'), id: z.string(), contact: LooseRecordSchema.optional() })
    .nullable(),
  shipping_address: LooseRecordSchema.nullable(),
  created: z.string(),
  updated: z.string(),
  status: z.string(),
  transactionRef: z.string().nullable(),
  merchantRef: z.string().nullable(),
  basket_info: z.object({ sum: z.number().int(), currency: z.string() }).catchall(z.unknown()),
  basket: AnsweredBasketSchema.optional(),
  is_demo: z.boolean(),
  intent: z.string(),
  trans_id: z.number().int().optional(),
  payment_method: z.string().optional(),
  transactions: z.array(TransactionLinkSchema),
  delivery_options: LooseRecordSchema.optional(),
  application_context: LooseRecordSchema,
  payment_context: LooseRecordSchema,
  payment_instructions: PaymentInstructionsSchema.optional(),
  checkout_links: z.null(),
  payment_links: z.record(z.string(), z.string()),
});
export type SmartTransaction = z.infer<typeof SmartTransactionSchema>;
/** What the control API hands back: the Smart Transaction exactly as the API would show it. */
export type SmartTransactionLike = SmartTransaction;

export const RelatedTransactionSchema = z.object({
  object: z.literal('payment.transactions'),
  id: z.string(),
  trans_id: z.number().int(),
  ref_type_id: z.number().int(),
  ref_type_raw: z.string(),
  hierarchy: z.enum(['child', 'parent']),
});

/** Payment Transaction (API-NOTES §4.4). `amount` is negative for refunds. */
export const PaymentTransactionSchema = z.object({
  object: z.literal('payment.transactions'),
  id: z.string().regex(/^PCI_[0-9A-Z]{30}$/),
  trans_id: z.number().int(),
  transaction_hash: z.string(),
  product: z.string(),
  product_raw: z.string(),
  amount: z.number().int(),
  currency: z.string(),
  created: z.string(),
  updated: z.string(),
  completion_date: z.string().nullable(),
  status: z.number().int(),
  status_text: z.string(),
  details: z.object({
    cleared: z.string(),
    status: z.number().int(),
    status_text: z.string(),
    status_simple: z.number().int(),
    status_simple_text: z.string(),
    amount: z.number().int(),
    description: z.string(),
    description_raw: z.string(),
  }),
  related_transactions: z.array(RelatedTransactionSchema),
  customer: z
    .object({
      companyname: z.string().nullable(),
      salutation: z.string().nullable(),
      title: z.string().nullable(),
      forename: z.string().nullable(),
      surname: z.string().nullable(),
    })
    .nullable(),
  order_id: z.string().nullable(),
  invoice_number: z.string().nullable(),
  shipping_information: LooseRecordSchema.optional(),
});
export type PaymentTransaction = z.infer<typeof PaymentTransactionSchema>;

/** `q`, `term:<field>`, `range:<field>`, `sort:<field>`, `direction:asc|desc|dsc`; `<field>` may be `*`. */
export const QUERY_FORM_PATTERN = /^(?:q|(?:term|range|sort):(?:\*|[A-Za-z_][A-Za-z0-9_.]*)|direction:(?:asc|desc|dsc|\*))$/;

const FaultTimesSchema = z.union([z.number().int().positive(), z.literal(Infinity), z.literal('Infinity')]).optional();
const FaultRouteSchema = z.string().min(1);

/** A fault as the HTTP control API accepts it (`times` may be the string "Infinity", JSON has no ∞). */
export const FaultSchema = z.discriminatedUnion('kind', [
  z.object({ route: FaultRouteSchema, kind: z.literal('latency'), ms: z.number().int().min(0).max(120_000), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('status'), status: z.number().int().min(400).max(599), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('retry-after'), seconds: z.number().int().min(0).max(86_400), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('drop'), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('drop-after-processing'), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('malformed'), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('answer-late'), ms: z.number().int().min(0).max(600_000), times: FaultTimesSchema }),
  z.object({ route: FaultRouteSchema, kind: z.literal('process-late'), ms: z.number().int().min(0).max(600_000), times: FaultTimesSchema }),
  z.object({
    route: FaultRouteSchema.optional(),
    kind: z.literal('refuse-query'),
    form: z.string().regex(QUERY_FORM_PATTERN),
    times: FaultTimesSchema,
  }),
]);

/**
 * `route`: `'POST /api/v2/Smart/Transactions'`, `'GET /api/v2/Smart/Transactions/*'` or
 * `'/oauth/token'`; `*` matches one path segment, a route without a method matches any method.
 * `times` defaults to 1; `Infinity` keeps the fault until `faults.clear()`.
 *
 * - `latency`: wait `ms` before reading the request (a client that gives up meanwhile changed nothing).
 * - `answer-late`: do the work at once, answer only after `ms` (the answer comes after the
 *   client's timeout, the transaction exists already).
 * - `process-late`: read the request, do the work after `ms` even if the client has gone, then answer.
 * - `refuse-query`: the list endpoint answers 400 `Invalid value for q|sort` to a request using
 *   `form` (see {@link QueryForm}); `route` defaults to `GET /api/v2/Smart/Transactions`, `times`
 *   counts refused requests only and defaults to Infinity (an API that lacks a form keeps lacking it).
 */
export type Fault =
  | ({ route: string } & (
      | { kind: 'latency'; ms: number; times?: number }
      | { kind: 'status'; status: number; times?: number }
      | { kind: 'retry-after'; seconds: number; times?: number }
      | { kind: 'drop'; times?: number }
      | { kind: 'drop-after-processing'; times?: number }
      | { kind: 'malformed'; times?: number }
      | { kind: 'answer-late'; ms: number; times?: number }
      | { kind: 'process-late'; ms: number; times?: number }
    ))
  | { route?: string; kind: 'refuse-query'; form: string; times?: number };

/** A transaction that did not come from this desk: secuOffice, a shop, or another Link Desk. */
export interface ForeignTransactionSpec {
  /**
   * `elsewhere` (default): made outside Link Desk, no merchantRef unless one is given;
   * `other-desk`: another Link Desk desk, merchantRef `LD-<desk id>-<22 base64url>` unless one is given.
   */
  origin?: 'elsewhere' | 'other-desk';
  /** The other desk's id (8 hex) in its merchantRefs; default a random one. */
  deskId?: string;
  /** `null` = none; omitted = the origin's default. */
  merchantRef?: string | null;
  amountCents?: number;
  currency?: string;
  transactionRef?: string | null;
  /** Where it stands; `ok`/`pending`/`failed` come with their payment transaction. */
  status?: 'created' | 'ok' | 'pending' | 'failed' | 'cancelled';
  /** ISO 8601; default now. With `createdUntil` and `count` > 1 they are spread evenly between. */
  created?: string;
  createdUntil?: string;
  /** How many (default 1, at most 100 000); they share everything but id and merchantRef. */
  count?: number;
}

export const ForeignTransactionSpecSchema = z.strictObject({
  origin: z.enum(['elsewhere', 'other-desk']).optional(),
  deskId: z.string().regex(/^[0-9a-f]{8}$/).optional(),
  merchantRef: z.string().min(1).max(200).nullable().optional(),
  amountCents: z.number().int().positive().max(100_000_000).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  transactionRef: z.string().max(200).nullable().optional(),
  status: z.enum(['created', 'ok', 'pending', 'failed', 'cancelled']).optional(),
  created: z.iso.datetime({ offset: true }).optional(),
  createdUntil: z.iso.datetime({ offset: true }).optional(),
  count: z.number().int().positive().max(100_000).optional(),
});

export interface RequestRecord {
  method: string;
  path: string;
  /** 0 when the simulator dropped the connection without answering. */
  status: number;
}

/** Requests the simulator received (token, API, payment page), except `/__control/` ones. */
export interface SimulatorStats {
  tokenRequests: number;
  /** Every request since the last reset, also those no longer in `requests`. */
  totalRequests: number;
  /** The newest requests, at most `requestLogLimit` of them, oldest first. */
  requests: RequestRecord[];
  reset(): void;
}

export interface SimulatorControl {
  /** The payer pays: `ok` with a `PCI_` payment; prepayment (`prepaid`) goes to `pending` instead. */
  pay(stxId: string, method?: string): Promise<SmartTransactionLike>;
  /** The payment is declined: `failed`, with a denied `PCI_` payment. */
  fail(stxId: string): Promise<SmartTransactionLike>;
  /** The payer leaves the page: the transaction stays `created`. */
  abort(stxId: string): Promise<SmartTransactionLike>;
  /** The prepayment's money arrives: `pending` → `ok`. */
  settlePrepayment(stxId: string): Promise<SmartTransactionLike>;
  get(stxId: string): SmartTransactionLike | undefined;
  /**
   * Transactions this desk did not make (secuOffice, another desk), for the first account's
   * contract unless one is named. Returns the first 1000 of them.
   */
  createForeign(spec?: ForeignTransactionSpec, contractId?: string): Promise<SmartTransactionLike[]>;
  /** The merchant cancels in secuOffice: `cancelled`, `updated` moves on. */
  cancel(stxId: string): Promise<SmartTransactionLike>;
  /** Every issued token becomes invalid, as after its lifetime. */
  expireAllTokens(): void;
}

export interface RunningSimulator {
  /** e.g. `http://127.0.0.1:41234`; the API lives under `/api/v2`, the token endpoint at `/oauth/token`. */
  baseUrl: string;
  stats: SimulatorStats;
  control: SimulatorControl;
  faults: { add(fault: Fault): void; clear(): void };
  stop(): Promise<void>;
}
