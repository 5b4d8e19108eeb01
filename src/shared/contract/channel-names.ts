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
  'links.create',
  'links.get',
  'links.refresh',
  'shell.openExternal',
  'display.open',
  'links.cancel',
  'links.ship',
  'links.refund',
  'links.cancelExpired',
  'history.query',
  'history.exportCsv',
  'history.status',
] as const;

export type ChannelName = (typeof CHANNEL_NAMES)[number];

/** Electron IPC channel for a contract channel; one prefix so the binding can refuse anything else. */
export const IPC_PREFIX = 'linkDesk:';
export const EVENT_CHANNEL = 'linkDesk:event';
