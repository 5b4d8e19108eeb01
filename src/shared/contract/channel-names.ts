/**
 * The channel names alone, without zod: the sandboxed preload bundles only this list, so it
 * stays tiny. `contract.ts` checks at compile time that it matches the contract's keys.
 */
export const CHANNEL_NAMES = [
  'app.info',
  'settings.get',
  'settings.save',
  'secret.set',
  'secret.remove',
  'connection.test',
  'account.warmUp',
  'links.create',
  'links.get',
  'links.refresh',
  'links.retry',
  'shell.openExternal',
  'display.open',
  'links.cancel',
  'links.ship',
  'links.refund',
  'links.cancelExpired',
  'history.query',
  'history.exportCsv',
  'history.status',
  'overview.get',
  'print.document',
  'pin.status',
  'pin.unlock',
  'pin.lock',
  'pin.set',
  'pin.remove',
  'diagnostics.get',
  'log.report',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/**
 * All the customer-facing window may call: it shows one link's amount, QR and status, and
 * reports its own crashes. Its preload exposes only these and main refuses the rest from it.
 */
export const CUSTOMER_DISPLAY_CHANNELS = ['links.get', 'links.refresh', 'log.report'] as const satisfies readonly ChannelName[];

/** Which of our windows sent a message; main decides what each may call. */
export type WindowRole = 'main' | 'customer-display';

/** Electron IPC channel for a contract channel; one prefix so the binding can refuse anything else. */
export const IPC_PREFIX = 'linkDesk:';
export const EVENT_CHANNEL = 'linkDesk:event';
