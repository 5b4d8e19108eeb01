import { z } from 'zod';
import { translator } from './i18n';
import { QuickItemsSchema } from './basket';

/**
 * Merchant settings. Messages are i18n keys (the renderer translates them), so the same schema
 * validates the settings form and the IPC payload in main.
 */

export const ENVIRONMENTS = ['demo', 'testing', 'live', 'custom'] as const;
export const EnvironmentSchema = z.enum(ENVIRONMENTS);
export type Environment = z.infer<typeof EnvironmentSchema>;

/** API-NOTES §1 (confidence H): the official SDKs' hosts. */
export const ENVIRONMENT_BASE_URLS: Record<'testing' | 'live', string> = {
  testing: 'https://connect-testing.secuconnect.com',
  live: 'https://connect.secucard.com',
};

const MAX_URL_LENGTH = 2000; // API-NOTES §7: return URLs ≤ 2000 characters.

function isHttpsUrl(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
};

function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  } catch {
    return false;
  }
};

/** Empty (= not set) or an https URL of at most 2000 characters. */
export const ReturnUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, { message: 'validation.url_too_long' })
  .refine((v) => v === '' || isHttpsUrl(v), { message: 'validation.https_url' });

/** A custom API base: https, or plain http on loopback for a locally running simulator. */
export const CustomBaseUrlSchema = z
  .string()
  .trim()
  .max(MAX_URL_LENGTH, { message: 'validation.url_too_long' })
  .refine((v) => v === '' || isHttpsUrl(v) || isLoopbackHttpUrl(v), { message: 'validation.base_url' })
  .transform((v) => v.replace(/\/+$/, ''));

/** API-NOTES §4.3: `GCR_` + 30 of [0-9A-Z] (length rule confidence M, so only the prefix and charset are enforced). */
export const ContractIdSchema = z
  .string()
  .trim()
  .max(50, { message: 'validation.too_long' })
  .refine((v) => v === '' || /^GCR_[0-9A-Z]{8,40}$/.test(v), { message: 'validation.contract_id' });

export const ClientIdSchema = z
  .string()
  .trim()
  .max(200, { message: 'validation.too_long' })
  .refine((v) => !/\s/.test(v), { message: 'validation.client_id' });

export const LanguageSchema = z.enum(['de', 'en']);
export type Language = z.infer<typeof LanguageSchema>;
export const UiLanguageSchema = z.enum(['system', 'de', 'en']);

export const EmailTemplateSchema = z.object({
  subject: z.string().trim().min(1, { message: 'validation.required' }).max(200, { message: 'validation.too_long' }),
  body: z.string().min(1, { message: 'validation.required' }).max(5000, { message: 'validation.too_long' }),
}).strict();
export type EmailTemplate = z.infer<typeof EmailTemplateSchema>;

/** Placeholders the e-mail and reminder templates understand. */
export const TEMPLATE_PLACEHOLDERS = ['{greeting}', '{amount}', '{reference}', '{link}', '{merchant}'] as const;

/**
 * Default texts. A line whose placeholders all come out empty (no reference, no business name)
 * is left out when the text is filled in.
 */
export const DEFAULT_EMAIL_TEMPLATES: Record<Language, EmailTemplate> = {
  de: { subject: translator('de')('email.default.subject'), body: translator('de')('email.default.body') },
  en: { subject: translator('en')('email.default.subject'), body: translator('en')('email.default.body') },
};

export const DESK_NAME_MAX = 40;

/**
 * Every string's longest allowed length, for the settings form's `maxLength` (the schema is the
 * one place the limits are set; the form repeats them so typing stops where saving would fail).
 */
export const SETTINGS_TEXT_LIMITS = {
  customBaseUrl: MAX_URL_LENGTH,
  returnUrl: MAX_URL_LENGTH,
  clientId: 200,
  contractId: 50,
  merchantName: 100,
  deskName: DESK_NAME_MAX,
  emailSubject: 200,
  emailBody: 5000,
} as const;

export const SettingsSchema = z.object({
  environment: EnvironmentSchema,
  customBaseUrl: CustomBaseUrlSchema,
  clientId: ClientIdSchema,
  contractId: ContractIdSchema,
  merchantName: z.string().trim().max(100, { message: 'validation.too_long' }),
  paymentLanguage: LanguageSchema,
  uiLanguage: UiLanguageSchema,
  returnUrls: z.object({ success: ReturnUrlSchema, error: ReturnUrlSchema, abort: ReturnUrlSchema }).strict(),
  emailTemplates: z.object({ de: EmailTemplateSchema, en: EmailTemplateSchema }).strict(),
  sound: z.boolean(),
  /** Print the buyer's receipt by itself when a link on screen gets paid (a counter printer); off unless turned on. */
  autoPrintReceipt: z.boolean(),
  /** App-side expiry (the API documents none): 0 = off. */
  linkExpiryDays: z.number().int().min(0, { message: 'validation.expiry_days' }).max(365, { message: 'validation.expiry_days' }),
  /** Start Link Desk at login, hidden in the tray (desktop app only; off unless the merchant turns it on). */
  startAtLogin: z.boolean(),
  /** Which desk (till, phone) this is, for a shop with several; each link records it. */
  deskName: z.string().trim().max(DESK_NAME_MAX, { message: 'validation.too_long' }),
  /** How long the owner PIN, once entered, keeps protected actions open. */
  pinUnlockMinutes: z.number().int().min(1, { message: 'validation.pin_minutes' }).max(60, { message: 'validation.pin_minutes' }),
  /** The counter's quick-pick items, in the order of their buttons (keys 1–9 for the first nine). */
  quickItems: QuickItemsSchema,
}).strict().superRefine((s, ctx) => {
  if (s.environment === 'custom' && s.customBaseUrl === '') {
    ctx.addIssue({ code: 'custom', path: ['customBaseUrl'], message: 'validation.required' });
  }
});
export type Settings = z.infer<typeof SettingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  environment: 'demo',
  customBaseUrl: '',
  clientId: '',
  contractId: '',
  merchantName: '',
  paymentLanguage: 'de',
  uiLanguage: 'system',
  returnUrls: { success: '', error: '', abort: '' },
  emailTemplates: DEFAULT_EMAIL_TEMPLATES,
  sound: true,
  autoPrintReceipt: false,
  linkExpiryDays: 0,
  startAtLogin: false,
  deskName: '',
  pinUnlockMinutes: 5,
  quickItems: [],
};

/**
 * What the renderer may know about the owner PIN: whether one is set and whether it is open
 * right now. Never the PIN, never its hash.
 */
export const PinStatusSchema = z.object({
  set: z.boolean(),
  /** Until when protected actions run without asking (ISO time); null = locked (or no PIN). */
  unlockedUntil: z.string().nullable(),
  /** After too many wrong tries: no PIN is accepted until then (ISO time). */
  lockedUntil: z.string().nullable(),
});
export type PinStatus = z.infer<typeof PinStatusSchema>;

/** What the renderer sees of the credentials: never the secret, only whether one is stored. */
export const SettingsViewSchema = z.object({
  settings: SettingsSchema,
  secretStored: z.boolean(),
  keychain: z.object({ available: z.boolean(), problem: z.string().optional() }),
  pin: PinStatusSchema,
});
export type SettingsView = z.infer<typeof SettingsViewSchema>;
