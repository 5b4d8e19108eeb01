import { z } from 'zod';
import { AppErrorSchema } from '../errors';
import { EnvironmentSchema, SettingsSchema, SettingsViewSchema } from '../settings';
import { CreateLinkInputSchema, LinkRecordSchema, RefundInputSchema, ShipInputSchema } from '../link';
import { HistoryPageSchema, HistoryQuerySchema } from '../history-query';
import type { ChannelName } from './channel-names';

/**
 * The IPC contract: for every channel its input and output schema. Main parses inputs with
 * these (payloads arrive as `unknown`), re-parses outputs (so nothing outside the schema, such as
 * a stray secret, can leave main), the preload exposes one function per channel, and the
 * renderer gets its types from here.
 */
const NoInput = z.object({}).strict();
const MerchantRefInput = z.object({ merchantRef: z.string().min(1).max(100) }).strict();

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
  /** Records the link locally, then creates the Smart Transaction; answers with the stored record. */
  'links.create': { input: CreateLinkInputSchema, output: LinkRecordSchema },
  'links.get': { input: MerchantRefInput, output: LinkRecordSchema },
  /**
   * The link on screen asks for its current status every few seconds. Main coalesces these: at
   * most one API request per link in flight and a minimum interval, whoever asks.
   */
  'links.refresh': { input: MerchantRefInput, output: LinkRecordSchema },
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
      recovery: z.object({ damagedLines: z.number().int(), setAsideFiles: z.array(z.string()) }).nullable(),
      waitingCount: z.number().int(),
      expiredCount: z.number().int(),
    }),
  },
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

export const IpcResultSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);

/** Events main pushes to the renderer (status changes, settings saved elsewhere, menu commands). */
export const AppEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('link.updated'), record: LinkRecordSchema }),
  z.object({ type: z.literal('settings.changed'), view: SettingsViewSchema }),
  /** How many links are still waiting for payment (tray/dock badge, history header). */
  z.object({ type: z.literal('links.waiting'), count: z.number().int() }),
  z.object({ type: z.literal('navigate'), to: z.enum(['new', 'history', 'settings', 'link']), merchantRef: z.string().optional() }),
]);
export type AppEvent = z.infer<typeof AppEventSchema>;

/** What `window.linkDesk` offers the renderer: one function per channel plus an event subscription. */
export type LinkDeskApi = {
  [C in ChannelName]: (input: ChannelInput<C>) => Promise<IpcResult<ChannelOutput<C>>>;
} & {
  subscribe(listener: (event: AppEvent) => void): () => void;
};

