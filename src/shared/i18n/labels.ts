import type { KnownStatus } from '../status';
import type { ErrorCode } from '../errors';
import type { PaymentMethodChoice } from '../link';
import type { HISTORY_PSEUDO_STATUSES } from '../history-query';
import type { Environment } from '../settings';
import type { PlainKey, Translate, UiLanguage } from './index';

/**
 * One label per status, wherever a merchant reads it: link screen, customer display, history,
 * CSV, notifications (API-NOTES §5.1, PRODUCT.md). `received` / `collection` are the order-flow
 * "paid, now ship" / "paid, ready for pickup (click and collect)" states, not debt collection.
 */
const STATUS_LABELS: Record<KnownStatus | (typeof HISTORY_PSEUDO_STATUSES)[number], PlainKey> = {
  created: 'status.created',
  pending: 'status.pending',
  approved: 'status.approved',
  ok: 'status.ok',
  failed: 'status.failed',
  cancelled: 'status.cancelled',
  received: 'status.received',
  shipped: 'status.shipped',
  collection: 'status.collection',
  collected: 'status.collected',
  processing: 'status.processing',
  creating: 'status.creating',
  create_failed: 'status.create_failed',
  needs_shipping: 'status.needs_shipping',
};

/** API statuses and the history's own ones; anything else the API may invent reads "unknown". */
export function statusLabel(t: Translate, status: string | null | undefined): string {
  const key = status != null && Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status as keyof typeof STATUS_LABELS] : 'status.unknown';
  return t(key);
}

const METHOD_LABELS: Record<PaymentMethodChoice, PlainKey> = {
  any: 'method.any',
  creditcard: 'method.creditcard',
  debit: 'method.debit',
  invoice: 'method.invoice',
  paypal: 'method.paypal',
  prepaid: 'method.prepaid',
  sofort: 'method.sofort',
};

/** A payment method's name; one the API reports that Link Desk does not know stays as the API names it. */
export function methodLabel(t: Translate, method: string): string {
  return Object.hasOwn(METHOD_LABELS, method) ? t(METHOD_LABELS[method as PaymentMethodChoice]) : method;
}

/** What the merchant reads for each error code; a new code without a text fails the typecheck. */
const ERROR_TEXTS: Record<ErrorCode, PlainKey> = {
  'ipc.forbidden_sender': 'error.ipc.forbidden_sender',
  'ipc.unknown_channel': 'error.internal',
  'ipc.invalid_input': 'error.ipc.invalid_input',
  'ipc.invalid_output': 'error.internal',
  'settings.invalid': 'error.settings.invalid',
  'settings.not_configured': 'error.settings.not_configured',
  'keychain.unavailable': 'error.keychain.unavailable',
  'auth.invalid_credentials': 'error.auth.invalid_credentials',
  'auth.missing_secret': 'error.auth.missing_secret',
  'network.offline': 'error.network.offline',
  'network.timeout': 'error.network.timeout',
  'network.connection_lost': 'error.network.connection_lost',
  'api.validation': 'error.api.validation',
  'api.not_found': 'error.api.not_found',
  'api.not_allowed': 'error.api.not_allowed',
  'api.rate_limited': 'error.api.rate_limited',
  'api.server': 'error.api.server',
  'api.unexpected_response': 'error.api.unexpected_response',
  'link.not_found': 'error.link.not_found',
  'link.not_allowed': 'error.link.not_allowed',
  'history.damaged': 'error.history.damaged',
  'history.io': 'error.history.io',
  'pin.required': 'error.pin.required',
  'pin.locked': 'error.pin.locked',
  'pin.wrong': 'error.pin.wrong',
  internal: 'error.internal',
};

export function errorText(t: Translate, code: string): string {
  return t(Object.hasOwn(ERROR_TEXTS, code) ? ERROR_TEXTS[code as ErrorCode] : 'error.generic');
}

/** Errors the merchant fixes in Settings (credentials, contract): screens offer a way there. */
export function isAccountError(code: string): boolean {
  return code === 'auth.invalid_credentials' || code === 'auth.missing_secret' || code === 'settings.not_configured';
}

const ENVIRONMENT_LABELS: Record<Environment, { name: PlainKey; hint: PlainKey }> = {
  demo: { name: 'settings.environment.demo', hint: 'settings.environment.demo.hint' },
  testing: { name: 'settings.environment.testing', hint: 'settings.environment.testing.hint' },
  live: { name: 'settings.environment.live', hint: 'settings.environment.live.hint' },
  custom: { name: 'settings.environment.custom', hint: 'settings.environment.custom.hint' },
};

export function environmentLabel(t: Translate, environment: Environment): string {
  return t(ENVIRONMENT_LABELS[environment].name);
}

export function environmentHint(t: Translate, environment: Environment): string {
  return t(ENVIRONMENT_LABELS[environment].hint);
}

const LANGUAGE_NAMES: Record<UiLanguage, PlainKey> = { de: 'lang.de', en: 'lang.en' };

/** "Deutsch" / "Englisch" in the app's language. */
export function languageName(t: Translate, language: UiLanguage): string {
  return t(LANGUAGE_NAMES[language]);
}
