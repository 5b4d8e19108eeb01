import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { describeZodIssues } from '../shared/errors';
import { actionNotAllowed, ApiError, invalidValue, notFound } from './api-errors';
import { isoWithOffset, objectId, transactionHash, transId } from './ids';
import {
  PaymentTransactionSchema,
  SmartTransactionSchema,
  type ForeignTransactionSpec,
  type PaymentTransaction,
  type SimulatorAccount,
  type SmartTransaction,
} from './types';
import { checkBasketSum, CreateSmartTransactionSchema, parseWith, type CreateSmartTransactionRequest } from './validate';

/** Thrown by the control API (programmatic and `/__control/`) for unknown ids or impossible moves. */
export class SimulatorControlError extends Error {
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
    this.name = 'SimulatorControlError';
  }
}

interface PaymentState {
  status: number;
  status_text: string;
  simple: number;
  simple_text: string;
}

/**
 * Payment Transaction states. H: 6 "abgeschlossen", 25 "Vorkasse wartend", 86 "abgeschlossen
 * (Rechnung offen)" and every status_simple pair (API-NOTES §5.3). The detailed ids and German
 * texts for "waiting for shipment", "denied", "void" and "refund" were not found and are invented (L).
 */
const PAYMENT_STATES = {
  accepted: { status: 6, status_text: 'abgeschlossen', simple: 1, simple_text: 'accepted' },
  prepaymentWaiting: { status: 25, status_text: 'Vorkasse wartend', simple: 10, simple_text: 'pending' },
  invoiceWaitingForShipment: { status: 85, status_text: 'Rechnung wartet auf Versand', simple: 14, simple_text: 'waiting for shipment' },
  invoiceOpen: { status: 86, status_text: 'abgeschlossen (Rechnung offen)', simple: 1, simple_text: 'accepted' },
  denied: { status: 13, status_text: 'abgelehnt', simple: 3, simple_text: 'denied' },
  void: { status: 97, status_text: 'storniert', simple: 5, simple_text: 'void' },
  refund: { status: 98, status_text: 'Erstattung', simple: 7, simple_text: 'refund' },
} satisfies Record<string, PaymentState>;

const PRODUCT_NAMES: Record<string, string> = {
  creditcard: 'Kreditkarte',
  debit: 'Lastschrift',
  easycredit: 'easyCredit Ratenkauf',
  eps: 'eps',
  giropay: 'giropay',
  invoice: 'Kauf auf Rechnung',
  paypal: 'PayPal',
  prepaid: 'Vorkasse',
  sofort: 'Sofort',
  refund: 'Erstattung',
};

/** Only the notes' example IBAN/BIC pair (ECBS sample account), never a real merchant account. */
const DEMO_BANK = { owner: 'secupay AG (Simulator)', iban: 'DE89370400440532013000', bic: 'COBADEFFXXX', bankname: 'Demo-Bank (Simulator)' };

interface StoredPayment {
  stxId: string;
  method: string;
  transaction: PaymentTransaction;
}

const DataFileSchema = z.object({
  version: z.literal(1),
  smartTransactions: z.array(SmartTransactionSchema),
  payments: z.array(z.object({ stxId: z.string(), method: z.string(), transaction: PaymentTransactionSchema })),
});

const PAID_STATUSES = new Set(['ok', 'received', 'shipped', 'collection', 'collected']);

const merchantIds = new Map<string, string>();

/** Deterministic per contract so persisted transactions keep their merchant across restarts. */
function merchantIdFor(contractId: string): string {
  const known = merchantIds.get(contractId);
  if (known) return known;
  const digest = createHash('sha256').update(contractId).digest();
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let id = 'MRC_';
  for (let i = 0; i < 30; i++) id += alphabet[(digest[i] ?? 0) % alphabet.length];
  merchantIds.set(contractId, id);
  return id;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export interface StateOptions {
  accounts: SimulatorAccount[];
  paymentMethods: string[];
  serverName: string;
  dataFile: string | undefined;
  now?: () => number;
}

export class SimulatorState {
  private readonly smart = new Map<string, SmartTransaction>();
  private readonly payments = new Map<string, StoredPayment>();
  private baseUrl = '';
  private pendingWrite: Promise<void> | null = null;
  private lastWrite: Promise<void> = Promise.resolve();
  private changes = 0;

  constructor(private readonly options: StateOptions) {}

  /** `created`/`updated` as the API writes them, from the simulator's clock. */
  private timestamp(): string {
    return isoWithOffset(new Date(this.options.now ? this.options.now() : Date.now()));
  }

  /** Grows with every change: lets the list endpoint reuse a sorted result while nothing changed. */
  get version(): number {
    return this.changes;
  }

  /** Links are rebuilt for the current base URL: a restarted simulator may listen on another port. */
  setBaseUrl(baseUrl: string): void {
    this.baseUrl = baseUrl;
    for (const stx of this.smart.values()) {
      const methods = Object.keys(stx.payment_links).filter((key) => key !== 'general');
      stx.payment_links = this.paymentLinks(stx.id, stx.contract.id, methods);
      if (stx.payment_instructions) stx.payment_instructions.girocode_url = this.girocodeUrl(stx.id);
    }
  }

  // ---- persistence ------------------------------------------------------------------------

  async load(): Promise<void> {
    const file = this.options.dataFile;
    if (!file) return;
    let raw: string;
    try {
      raw = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      json = undefined;
    }
    const parsed = DataFileSchema.safeParse(json);
    if (!parsed.success) {
      // Demo mode must keep working: set the damaged file aside for inspection and start empty.
      const aside = `${file}.damaged-${Date.now()}`;
      await rename(file, aside);
      console.warn(
        `simulator: data file was unreadable (${parsed.error ? describeZodIssues(parsed.error).slice(0, 300) : 'not JSON'}); moved to ${aside}`,
      );
      return;
    }
    for (const stx of parsed.data.smartTransactions) this.smart.set(stx.id, stx);
    for (const payment of parsed.data.payments) this.payments.set(payment.transaction.id, payment);
  }

  /**
   * Writes are coalesced: a write that has not started yet covers every change made before it
   * starts, so a burst of creates costs one or two writes, and each answer waits for the write
   * that contains its change.
   */
  persist(): Promise<void> {
    this.changes += 1;
    const file = this.options.dataFile;
    if (!file) return Promise.resolve();
    if (this.pendingWrite) return this.pendingWrite;
    const write = this.lastWrite.then(() => {
      this.pendingWrite = null;
      return this.writeNow(file);
    });
    this.pendingWrite = write;
    this.lastWrite = write.catch(() => undefined);
    return write;
  }

  async flush(): Promise<void> {
    await this.lastWrite;
  }

  private async writeNow(file: string): Promise<void> {
    const data: z.input<typeof DataFileSchema> = {
      version: 1,
      smartTransactions: [...this.smart.values()],
      payments: [...this.payments.values()],
    };
    await mkdir(dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(data), 'utf8');
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
  }

  // ---- links ------------------------------------------------------------------------------

  paymentLinks(stxId: string, contractId: string, methods: string[]): Record<string, string> {
    const query = `stx=${stxId}&contract=${contractId}&server=${encodeURIComponent(this.options.serverName)}`;
    const links: Record<string, string> = { general: `${this.baseUrl}/pay?${query}` };
    for (const method of methods) links[method] = `${this.baseUrl}/pay?payment-method=${method}&${query}`;
    return links;
  }

  girocodeUrl(stxId: string): string {
    return `${this.baseUrl}/qr/epc?stx=${stxId}`;
  }

  // ---- Smart Transactions -----------------------------------------------------------------

  accountForContract(contractId: string): SimulatorAccount | undefined {
    return this.options.accounts.find((a) => a.contractId === contractId);
  }

  async create(account: SimulatorAccount, request: CreateSmartTransactionRequest): Promise<SmartTransaction> {
    const stx = this.build(account, request, this.timestamp());
    this.smart.set(stx.id, stx);
    await this.persist();
    return stx;
  }

  private build(account: SimulatorAccount, request: CreateSmartTransactionRequest, now: string): SmartTransaction {
    // A contract that is not the caller's is as good as unknown (L: real wording not found).
    if (request.contract.id !== account.contractId) throw invalidValue('contract.id');
    checkBasketSum(request);

    const requested = request.payment_context?.payment_methods;
    const methods = requested ? this.options.paymentMethods.filter((m) => (requested as readonly string[]).includes(m)) : this.options.paymentMethods.slice();
    if (requested && requested.length > 0 && methods.length === 0) throw invalidValue('payment_context.payment_methods');

    const id = objectId('STX');
    const contact = request.customer?.contact;
    const stx: SmartTransaction = {
      object: 'smart.transactions',
      id,
      merchant: { object: 'general.merchants', id: merchantIdFor(account.contractId), companyname: 'Demo-Händler GmbH (Simulator)' },
      contract: { object: 'general.contracts', id: account.contractId },
      customer: contact
        ? { object: 'payment.customers', id: request.customer?.id ?? objectId('PCU'), contact: echoContact(contact) }
        : request.customer?.id
          ? { object: 'payment.customers', id: request.customer.id }
          : null,
      shipping_address: request.shipping_address ?? null,
      created: now,
      updated: now,
      status: 'created',
      transactionRef: request.transactionRef ?? null,
      merchantRef: request.merchantRef ?? null,
      basket_info: { ...request.basket_info },
      is_demo: request.is_demo ?? false,
      intent: request.intent,
      transactions: [],
      application_context: echoApplicationContext(request.application_context),
      payment_context: {
        auto_capture: false,
        payment_methods: null,
        merchant_initiated: false,
        accrual: false,
        creditcard_schemes: ['mastercard', 'visa', 'american express'],
        ...request.payment_context,
      },
      checkout_links: null,
      payment_links: this.paymentLinks(id, account.contractId, methods),
    };
    // The testing host answers a basket with `type: "default"` (API-NOTES §12, H/M).
    if (request.basket) stx.basket = { ...request.basket, type: request.basket.type ?? 'default' };
    if (request.delivery_options) stx.delivery_options = request.delivery_options;
    return stx;
  }

  /**
   * Transactions made outside this desk, as the list endpoint will show them: secuOffice or a
   * shop (merchantRef none or of another form) or another Link Desk desk (`LD-<uuid>`). Their
   * `created` may lie in the past (backfill horizons); `updated` is their last change.
   */
  async createForeign(contractId: string, spec: ForeignTransactionSpec): Promise<SmartTransaction[]> {
    const account = this.accountForContract(contractId);
    if (!account) throw new SimulatorControlError(404, `No account has contract ${contractId}`);
    const count = spec.count ?? 1;
    const from = spec.created !== undefined ? Date.parse(spec.created) : (this.options.now ?? Date.now)();
    const until = spec.createdUntil !== undefined ? Date.parse(spec.createdUntil) : from;
    if (until < from) throw new SimulatorControlError(409, 'createdUntil lies before created');
    const origin = spec.origin ?? 'elsewhere';
    // Link Desk's merchantRef form: `LD-<desk id, 8 hex>-<22 base64url>` (src/main/desk-identity.ts).
    const otherDesk = spec.deskId ?? randomBytes(4).toString('hex');
    // Checked once: a backfill benchmark seeds 100 000 of these.
    const template = parseWith(CreateSmartTransactionSchema, {
      is_demo: true,
      intent: 'sale',
      contract: { id: contractId },
      basket_info: { sum: spec.amountCents ?? 2500, currency: spec.currency ?? 'EUR' },
      payment_context: { auto_capture: true },
    });
    const created: SmartTransaction[] = [];
    for (let i = 0; i < count; i++) {
      const at = isoWithOffset(new Date(count > 1 ? from + Math.round(((until - from) * i) / (count - 1)) : from));
      const merchantRef =
        spec.merchantRef !== undefined ? spec.merchantRef : origin === 'other-desk' ? `LD-${otherDesk}-${randomBytes(16).toString('base64url')}` : null;
      const request: CreateSmartTransactionRequest = { ...template };
      if (merchantRef !== null) request.merchantRef = count > 1 && spec.merchantRef ? `${merchantRef}-${i + 1}` : merchantRef;
      if (spec.transactionRef !== null) request.transactionRef = spec.transactionRef ?? `Order ${1000 + i}`;
      const stx = this.build(account, request, at);
      this.smart.set(stx.id, stx);
      const status = spec.status ?? 'created';
      if (status === 'ok' || status === 'pending') this.applyPayment(stx, status === 'pending' ? 'prepaid' : (this.offeredMethods(stx).find((m) => m !== 'prepaid') ?? 'creditcard'));
      else if (status === 'failed') this.applyFailure(stx);
      else if (status === 'cancelled') stx.status = 'cancelled';
      stx.updated = at;
      for (const link of stx.transactions) {
        const payment = this.payments.get(link.id);
        if (payment) payment.transaction.created = payment.transaction.updated = at;
      }
      created.push(stx);
    }
    await this.persist();
    return created;
  }

  get(id: string): SmartTransaction | undefined {
    return this.smart.get(id);
  }

  /** The transaction as the given contract may see it; others' transactions look unknown. */
  getOwned(contractId: string, id: string): SmartTransaction {
    const stx = this.smart.get(id);
    if (!stx || stx.contract.id !== contractId) throw notFound('Smart Transaction', id);
    return stx;
  }

  listFor(contractId: string): SmartTransaction[] {
    return [...this.smart.values()].filter((s) => s.contract.id === contractId);
  }

  /** The merchant cancels elsewhere (secuOffice): the control API's way to move `updated` on. */
  async cancelById(id: string): Promise<SmartTransaction> {
    const stx = this.smart.get(id);
    if (!stx) throw new SimulatorControlError(404, `Smart Transaction ${id} not found`);
    try {
      return await this.cancel(stx.contract.id, id);
    } catch (error) {
      if (error instanceof ApiError) throw new SimulatorControlError(409, error.details);
      throw error;
    }
  }

  /**
   * Allowed from created/approved/pending (the documented flow, H). That `ok`, `failed` and
   * `cancelled` refuse with 400 ProductFormatException is an inference (L, API-NOTES §11 q4).
   */
  async cancel(contractId: string, id: string): Promise<SmartTransaction> {
    const stx = this.getOwned(contractId, id);
    if (!['created', 'approved', 'pending'].includes(stx.status)) {
      throw actionNotAllowed(`Smart Transaction ${id} cannot be cancelled in status ${stx.status}`);
    }
    stx.status = 'cancelled';
    stx.updated = this.timestamp();
    for (const link of stx.transactions) {
      const payment = this.payments.get(link.id);
      if (payment && payment.transaction.details.status_simple === 10) this.setPaymentState(payment.transaction, PAYMENT_STATES.void);
    }
    await this.persist();
    return stx;
  }

  /**
   * Status: `shipped`/`collected` for intent `order`, unchanged (`ok`) for intent `sale` (H).
   * Shipping an invoice payment also makes the invoice due, as capture with shipping
   * information does (L: the older guide implies it, it is not stated).
   */
  async setDelivery(contractId: string, id: string, options: { type: 'shipping' | 'collection' } & Record<string, unknown>): Promise<SmartTransaction> {
    const stx = this.getOwned(contractId, id);
    if (!PAID_STATUSES.has(stx.status)) throw actionNotAllowed(`Smart Transaction ${id} is not paid (status ${stx.status})`);
    if (stx.delivery_options?.type === 'collection') throw actionNotAllowed(`Smart Transaction ${id} was already collected`);
    stx.delivery_options = options;
    if (stx.intent === 'order') stx.status = options.type === 'shipping' ? 'shipped' : 'collected';
    stx.updated = this.timestamp();
    if (options.type === 'shipping') {
      for (const link of stx.transactions) {
        const payment = this.payments.get(link.id);
        if (payment && payment.transaction.details.status_simple === 14) this.setPaymentState(payment.transaction, PAYMENT_STATES.invoiceOpen);
      }
    }
    await this.persist();
    return stx;
  }

  // ---- the payer (control API and payment page) -------------------------------------------

  offeredMethods(stx: SmartTransaction): string[] {
    return Object.keys(stx.payment_links).filter((key) => key !== 'general');
  }

  private payable(stxId: string): SmartTransaction {
    const stx = this.smart.get(stxId);
    if (!stx) throw new SimulatorControlError(404, `Smart Transaction ${stxId} not found`);
    // A paid link cannot be paid twice (assumed, API-NOTES §11 q5).
    if (stx.status !== 'created' && stx.status !== 'approved') {
      throw new SimulatorControlError(409, `Smart Transaction ${stxId} is ${stx.status}, not open for payment`);
    }
    return stx;
  }

  async pay(stxId: string, method?: string): Promise<SmartTransaction> {
    const stx = this.payable(stxId);
    const offered = this.offeredMethods(stx);
    const chosen = method ?? offered[0];
    if (!chosen || !offered.includes(chosen)) {
      throw new SimulatorControlError(409, `Payment method ${method ?? '(none)'} is not offered for ${stxId}`);
    }
    this.applyPayment(stx, chosen);
    await this.persist();
    return stx;
  }

  private applyPayment(stx: SmartTransaction, chosen: string): void {
    const state =
      chosen === 'prepaid' ? PAYMENT_STATES.prepaymentWaiting : chosen === 'invoice' ? PAYMENT_STATES.invoiceWaitingForShipment : PAYMENT_STATES.accepted;
    const payment = this.newPayment(stx, chosen, state);
    stx.transactions.push({ object: 'payment.transactions', id: payment.id, trans_id: payment.trans_id, transaction_hash: payment.transaction_hash });
    stx.payment_method = chosen;
    stx.trans_id = payment.trans_id;
    if (chosen === 'prepaid') {
      stx.status = 'pending';
      stx.payment_instructions = { ...DEMO_BANK, purpose: `TA ${payment.trans_id}`, girocode_url: this.girocodeUrl(stx.id) };
    } else {
      stx.status = this.paidStatus(stx);
    }
    stx.updated = this.timestamp();
  }

  async fail(stxId: string): Promise<SmartTransaction> {
    const stx = this.payable(stxId);
    this.applyFailure(stx);
    await this.persist();
    return stx;
  }

  private applyFailure(stx: SmartTransaction): void {
    const method = this.offeredMethods(stx)[0] ?? 'creditcard';
    const payment = this.newPayment(stx, method, PAYMENT_STATES.denied);
    stx.transactions.push({ object: 'payment.transactions', id: payment.id, trans_id: payment.trans_id, transaction_hash: payment.transaction_hash });
    stx.status = 'failed';
    stx.updated = this.timestamp();
  }

  /** Leaving the page changes nothing: the link stays payable (assumed, API-NOTES §11 q4). */
  async abort(stxId: string): Promise<SmartTransaction> {
    const stx = this.smart.get(stxId);
    if (!stx) throw new SimulatorControlError(404, `Smart Transaction ${stxId} not found`);
    return stx;
  }

  async settlePrepayment(stxId: string): Promise<SmartTransaction> {
    const stx = this.smart.get(stxId);
    if (!stx) throw new SimulatorControlError(404, `Smart Transaction ${stxId} not found`);
    if (stx.status !== 'pending') throw new SimulatorControlError(409, `Smart Transaction ${stxId} is ${stx.status}, not pending`);
    for (const link of stx.transactions) {
      const payment = this.payments.get(link.id);
      if (payment && payment.transaction.details.status_simple === 10) this.setPaymentState(payment.transaction, PAYMENT_STATES.accepted);
    }
    stx.status = this.paidStatus(stx);
    stx.updated = this.timestamp();
    await this.persist();
    return stx;
  }

  /** intent `sale` ends in `ok`; intent `order` in `received` or `collection` (API-NOTES §5.1). */
  private paidStatus(stx: SmartTransaction): string {
    if (stx.intent !== 'order') return 'ok';
    return stx.delivery_options?.type === 'collection' ? 'collection' : 'received';
  }

  // ---- Payment Transactions ---------------------------------------------------------------

  private newPayment(stx: SmartTransaction, method: string, state: PaymentState): PaymentTransaction {
    const now = this.timestamp();
    const contact = stx.customer?.contact ?? {};
    const productName = `${PRODUCT_NAMES[method] ?? method}${stx.is_demo ? ' (Demo)' : ''}`;
    const payment: PaymentTransaction = {
      object: 'payment.transactions',
      id: objectId('PCI'),
      trans_id: transId(),
      transaction_hash: transactionHash(),
      product: productName,
      product_raw: method,
      amount: stx.basket_info.sum,
      currency: stx.basket_info.currency,
      created: now,
      updated: now,
      completion_date: null,
      status: state.status,
      status_text: state.status_text,
      details: {
        cleared: 'open',
        status: state.status,
        status_text: state.status_text,
        status_simple: state.simple,
        status_simple_text: state.simple_text,
        amount: stx.basket_info.sum,
        description: stx.transactionRef ?? '',
        description_raw: stx.transactionRef ?? '',
      },
      related_transactions: [],
      customer: stx.customer
        ? {
            companyname: text(contact.companyname),
            salutation: text(contact.salutation),
            title: text(contact.title),
            forename: text(contact.forename),
            surname: text(contact.surname),
          }
        : null,
      order_id: stx.merchantRef,
      invoice_number: null,
    };
    this.setPaymentState(payment, state);
    this.payments.set(payment.id, { stxId: stx.id, method, transaction: payment });
    return payment;
  }

  private setPaymentState(payment: PaymentTransaction, state: PaymentState): void {
    payment.status = state.status;
    payment.status_text = state.status_text;
    payment.details.status = state.status;
    payment.details.status_text = state.status_text;
    payment.details.status_simple = state.simple;
    payment.details.status_simple_text = state.simple_text;
    payment.updated = this.timestamp();
    if (state.simple === 1 && payment.completion_date === null) payment.completion_date = payment.updated;
  }

  getPayment(contractId: string, id: string): PaymentTransaction {
    const stored = this.payments.get(id);
    const stx = stored ? this.smart.get(stored.stxId) : undefined;
    if (!stored || !stx || stx.contract.id !== contractId) throw notFound('Payment Transaction', id);
    return stored.transaction;
  }

  /**
   * Invoice payments wait for shipment (status_simple 14) until captured; capture makes them
   * due: status 86 / status_simple 1 (H, DOC:Mark_as_Shipped). Capturing an already accepted
   * payment only records the shipping information (L).
   */
  async capture(contractId: string, id: string, shipping: Record<string, unknown> | undefined): Promise<PaymentTransaction> {
    const payment = this.getPayment(contractId, id);
    const simple = payment.details.status_simple;
    if (simple !== 14 && simple !== 1 && simple !== 2) {
      throw actionNotAllowed(`Payment Transaction ${id} cannot be captured (status ${payment.details.status_simple_text})`);
    }
    if (shipping) {
      payment.shipping_information = shipping;
      if (typeof shipping.invoice_number === 'string') payment.invoice_number = shipping.invoice_number;
    }
    this.setPaymentState(payment, simple === 14 ? PAYMENT_STATES.invoiceOpen : PAYMENT_STATES.accepted);
    await this.persist();
    return payment;
  }

  /**
   * Refund or cancel (DOC:Cancel_or_Refund_a_Payment, H): never more than what remains; each
   * call creates a linked child with a negative amount; the answer is [original, child].
   * `details.amount` holding the remaining amount mirrors checkStatus (L for details).
   */
  async refund(contractId: string, id: string, reduceBy: number | undefined, reason: string | undefined): Promise<PaymentTransaction[]> {
    const payment = this.getPayment(contractId, id);
    if (payment.amount <= 0) throw actionNotAllowed(`Payment Transaction ${id} is a refund and cannot be refunded`);
    const refundable = [1, 2, 9, 10, 14].includes(payment.details.status_simple);
    const remaining = payment.details.amount;
    if (!refundable || remaining <= 0) throw actionNotAllowed(`Payment Transaction ${id} cannot be cancelled (status ${payment.details.status_simple_text})`);
    const amount = reduceBy ?? remaining;
    if (amount > remaining) throw invalidValue('reduce_amount_by');

    const stored = this.payments.get(id);
    const stx = stored ? this.smart.get(stored.stxId) : undefined;
    if (!stored || !stx) throw notFound('Payment Transaction', id);
    const child = this.newPayment(stx, 'refund', PAYMENT_STATES.refund);
    child.amount = -amount;
    child.details.amount = -amount;
    if (reason) child.details.description = child.details.description_raw = reason;
    child.related_transactions.push({ object: 'payment.transactions', id: payment.id, trans_id: payment.trans_id, ref_type_id: 19, ref_type_raw: 'refund', hierarchy: 'parent' });
    payment.related_transactions.push({ object: 'payment.transactions', id: child.id, trans_id: child.trans_id, ref_type_id: 19, ref_type_raw: 'refund', hierarchy: 'child' });
    payment.details.amount = remaining - amount;
    if (payment.details.amount === 0) this.setPaymentState(payment, PAYMENT_STATES.void);
    else payment.updated = this.timestamp();
    await this.persist();
    return [payment, child];
  }

}

function echoContact(contact: Record<string, unknown>): Record<string, unknown> {
  // Shaped like the tutorial's answer: every field present (null when not given), `name` joined,
  // phone numbers without spaces, the birth date as a midnight UTC timestamp.
  const forename = text(contact.forename);
  const surname = text(contact.surname);
  const compactPhone = (v: unknown) => (typeof v === 'string' && v !== '' ? v.replace(/[\s()/-]/g, '') : null);
  const dob = text(contact.dob);
  const address = contact.address && typeof contact.address === 'object' ? (contact.address as Record<string, unknown>) : null;
  return {
    name: text(contact.name) ?? ([forename, surname].filter(Boolean).join(' ') || null),
    forename,
    surname,
    companyname: text(contact.companyname) ?? text(contact.company_name),
    salutation: text(contact.salutation),
    gender: text(contact.gender),
    title: text(contact.title),
    dob: dob ? `${dob}T00:00:00+00:00` : null,
    url_website: text(contact.url_website),
    birthplace: text(contact.birthplace),
    nationality: text(contact.nationality),
    picture: null,
    email: text(contact.email),
    phone: compactPhone(contact.phone),
    mobile: compactPhone(contact.mobile),
    ...(address
      ? {
          address: {
            street: text(address.street),
            street_number: text(address.street_number),
            additional_address_data: text(address.additional_address_data),
            postal_code: text(address.postal_code),
            city: text(address.city),
            country: text(address.country),
          },
        }
      : {}),
  };
}

/** `url_failure` is write-only and sets both `url_error` and `url_abort` (seed tutorial). */
function echoApplicationContext(context: CreateSmartTransactionRequest['application_context']): Record<string, unknown> {
  if (!context) return {};
  const { return_urls: returnUrls, ...rest } = context;
  if (!returnUrls) return { ...rest };
  const { url_failure: failure, ...urls } = returnUrls;
  const echoed: Record<string, unknown> = { ...urls };
  if (failure) {
    echoed.url_error ??= failure;
    echoed.url_abort ??= failure;
  }
  return { ...rest, return_urls: echoed };
}
