import { z } from 'zod';
import { AppErrorSchema } from '../errors';
import { EnvironmentSchema, PinStatusSchema, SettingsSchema, SettingsViewSchema } from '../settings';
import { CreateLinkInputSchema, LinkRecordSchema, RefundInputSchema, ShipInputSchema } from '../link';
import { HistoryPageSchema, HistoryQuerySchema } from '../history-query';
import { OverviewQuerySchema, OverviewSchema } from '../overview';
import type { ChannelName, CUSTOMER_DISPLAY_CHANNELS } from './channel-names';

/**
 * The IPC contract: for every channel its input and output schema. Main parses inputs with
 * these (payloads arrive as `unknown`), re-parses outputs (so nothing outside the schema, such as
 * a stray secret, can leave main), the preload exposes one function per channel, and the
 * renderer gets its types from here.
 */
const NoInput = z.object({}).strict();
const MerchantRefInput = z.object({ merchantRef: z.string().min(1).max(100) }).strict();

/** A new owner PIN: 4 to 8 digits, typed on a till's number pad. */
export const OwnerPinSchema = z.string().regex(/^\d{4,8}$/, { message: 'validation.pin_format' });
/** A PIN attempt: anything short is checked (and counted when wrong); the format is not hinted. */
const PinAttemptSchema = z.string().min(1, { message: 'validation.required' }).max(32, { message: 'validation.too_long' });

/** What a renderer reports about its own crash (error boundary, unhandled rejection). */
export const RendererErrorReportSchema = z.object({
  /** Which screen or component failed, e.g. `HistoryScreen`. */
  where: z.string().max(100),
  message: z.string().max(2000),
  stack: z.string().max(8000).optional(),
}).strict();

/**
 * The actions an owner PIN (when set) protects: money goes back, links stop working, the
 * customer list leaves the app, or the shop's connection and its secret change. Main checks
 * this in the dispatcher; the screens only react to `pin.required`.
 */
export const PIN_PROTECTED_CHANNELS = [
  'links.refund',
  'links.cancel',
  'links.cancelExpired',
  'history.exportCsv',
  'settings.save',
  'secret.set',
  'secret.remove',
  'pin.set',
  'pin.remove',
] as const satisfies readonly ChannelName[];

export const AppInfoSchema = z.object({
  version: z.string(),
  environment: EnvironmentSchema,
  isDemo: z.boolean(),
  /** Where the app runs: the real Electron shell or the web bridge used for tests and UI work. */
  shell: z.enum(['electron', 'web-bridge']),
  platform: z.string(),
  /** The OS language, for `uiLanguage: 'system'`. */
  systemLanguage: z.enum(['de', 'en']),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

export const ConnectionTestResultSchema = z.object({
  environment: EnvironmentSchema,
  baseUrl: z.string(),
  tokenExpiresInSeconds: z.number(),
});

export const CONTRACT = {
  'app.info': { input: NoInput, output: AppInfoSchema },
  'settings.get': { input: NoInput, output: SettingsViewSchema },
  'settings.save': { input: z.object({ settings: SettingsSchema }).strict(), output: SettingsViewSchema },
  'secret.set': {
    input: z.object({ secret: z.string().trim().min(1, { message: 'validation.required' }).max(500, { message: 'validation.too_long' }) }).strict(),
    output: SettingsViewSchema,
  },
  'secret.remove': { input: NoInput, output: SettingsViewSchema },
  /** Gets a token with the saved credentials and reports what is wrong, if anything. */
  'connection.test': { input: NoInput, output: ConnectionTestResultSchema },
  /** A link is probably coming (amount focused or typed, window shown): main readies token and connection. */
  'account.warmUp': { input: NoInput, output: z.object({}).strict() },
  /** Records the link locally, then creates the Smart Transaction; answers with the stored record. */
  'links.create': { input: CreateLinkInputSchema, output: LinkRecordSchema },
  'links.get': { input: MerchantRefInput, output: LinkRecordSchema },
  /**
   * The link on screen asks for its current status every few seconds. Main coalesces these: at
   * most one API request per link in flight and a minimum interval, whoever asks.
   */
  'links.refresh': { input: MerchantRefInput, output: LinkRecordSchema },
  /** "Try again" after a failed or unconfirmed create: the account is asked first, a new link made only if it has none. */
  'links.retry': { input: MerchantRefInput, output: LinkRecordSchema },
  /** Opens a payment page or a mailto: URL through the allow-listed shell; false when refused. */
  'shell.openExternal': { input: z.object({ url: z.string().min(1).max(8000) }).strict(), output: z.object({ opened: z.boolean() }) },
  /**
   * Opens the customer-facing display for a link (a second window, on a second screen when one is
   * attached). `opened: false` where main cannot open windows (the web bridge): the renderer then
   * opens it itself.
   */
  'display.open': { input: MerchantRefInput, output: z.object({ opened: z.boolean() }) },
  /** Cancels an unpaid link at secupay (`POST /Smart/Transactions/{id}/cancel`). */
  'links.cancel': { input: MerchantRefInput, output: LinkRecordSchema },
  /** Marks an invoice payment as shipped, which makes it due (API-NOTES §3.2, capture with shipping information). */
  'links.ship': { input: ShipInputSchema, output: LinkRecordSchema },
  /** Refunds a paid link fully or partly; never more than what is left. */
  'links.refund': { input: RefundInputSchema, output: LinkRecordSchema },
  /** Cancels every unpaid link older than the app-side expiry in Settings. */
  'links.cancelExpired': { input: NoInput, output: z.object({ cancelled: z.number().int(), failed: z.number().int() }) },
  'history.query': { input: HistoryQuerySchema, output: HistoryPageSchema },
  /** The filtered history (all pages) as CSV text; the renderer saves it (download / save dialog). */
  'history.exportCsv': {
    input: z.object({ query: HistoryQuerySchema, separator: z.enum([',', ';']) }).strict(),
    output: z.object({ csv: z.string(), fileName: z.string(), rows: z.number().int() }),
  },
  /** What the history screen must tell the merchant: damaged data set aside, links still waiting. */
  'history.status': {
    input: NoInput,
    output: z.object({
      /** Damage or loss found in the history database, and what was kept (see src/main/history). */
      recovery: z.object({
        lostLinks: z.number().int(),
        keptLinks: z.number().int().nullable(),
        setAsideFiles: z.array(z.string()),
        databaseMissing: z.boolean(),
      }).nullable(),
      waitingCount: z.number().int(),
      expiredCount: z.number().int(),
      /** The account sync: backfill progress, a fallback query form in use, links brought back. */
      sync: z.object({
        backfill: z.object({ done: z.boolean(), read: z.number().int(), total: z.number().int().nullable() }),
        fallback: z.object({ changedSince: z.string().nullable(), backfill: z.string().nullable() }),
        lastSyncAt: z.string().nullable(),
        failing: z.boolean(),
        restoredLinks: z.number().int(),
      }),
    }),
  },
  /** The Overview screen's figures for a creation-day range, added up in SQL in main (issue 11). */
  'overview.get': { input: OverviewQuerySchema, output: OverviewSchema },
  /**
   * Prints the document on screen (receipt, payment summary) through the desktop app: the print
   * dialog, silently to the default printer, or as a PDF file. `handled: false` where main has no
   * window (the web bridge): the renderer then uses the browser's print.
   */
  'print.document': {
    input: z.object({
      mode: z.enum(['print', 'pdf']),
      silent: z.boolean(),
      fileName: z.string().min(5).max(120).regex(/^[\p{L}\p{N} _.,()-]+\.pdf$/u),
    }).strict(),
    output: z.object({ handled: z.boolean(), done: z.boolean() }),
  },
  /** Whether an owner PIN is set and open right now (never the PIN or its hash). */
  'pin.status': { input: NoInput, output: PinStatusSchema },
  /** Opens the protected actions for `pinUnlockMinutes`; `pin.wrong` / `pin.locked` otherwise. */
  'pin.unlock': { input: z.object({ pin: PinAttemptSchema }).strict(), output: PinStatusSchema },
  /** Closes the protected actions now (the owner leaves the counter). */
  'pin.lock': { input: NoInput, output: PinStatusSchema },
  /** Sets or changes the owner PIN (changing needs the PIN open, like every protected action). */
  'pin.set': { input: z.object({ pin: OwnerPinSchema }).strict(), output: SettingsViewSchema },
  'pin.remove': { input: NoInput, output: SettingsViewSchema },
  /** Text for "Copy diagnostics": version, environment, recent errors; nothing secret, no customer data. */
  'diagnostics.get': { input: NoInput, output: z.object({ text: z.string() }) },
  /** A renderer crash for the log file (the error boundary reports here). */
  'log.report': { input: RendererErrorReportSchema, output: z.object({ logged: z.boolean() }) },
} as const satisfies Record<ChannelName, { input: z.ZodType; output: z.ZodType }>;

// Compile-time check that CHANNEL_NAMES and CONTRACT list the same channels.
type ContractKeys = keyof typeof CONTRACT;
const _namesMatch: [ContractKeys] extends [ChannelName] ? ([ChannelName] extends [ContractKeys] ? true : never) : never = true;
void _namesMatch;

export type Contract = typeof CONTRACT;
export type ChannelInput<C extends ChannelName> = z.input<Contract[C]['input']>;
export type ParsedChannelInput<C extends ChannelName> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Contract[C]['output']>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: z.infer<typeof AppErrorSchema> };

/** Events main pushes to the renderer (status changes, settings saved elsewhere, menu commands). */
export const AppEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link.updated'), record: LinkRecordSchema }),
  z.object({ type: z.literal('settings.changed'), view: SettingsViewSchema }),
  /** How many links are still waiting for payment (tray/dock badge, history header). */
  z.object({ type: z.literal('links.waiting'), count: z.number().int() }),
  z.object({ type: z.literal('navigate'), to: z.enum(['new', 'history', 'settings', 'link']), merchantRef: z.string().optional() }),
]);
export type AppEvent = z.infer<typeof AppEventSchema>;

/** What the customer display's preload offers: its few channels and the event subscription. */
export type CustomerDisplayApi = Pick<LinkDeskApi, (typeof CUSTOMER_DISPLAY_CHANNELS)[number] | 'subscribe'>;

/** What `window.linkDesk` offers the renderer: one function per channel plus an event subscription. */
export type LinkDeskApi = {
  [C in ChannelName]: (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
} & {
  subscribe(listener: (event: AppEvent) => void): () => void;
};

