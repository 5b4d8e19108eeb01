import type { Settings } from '../../shared/settings';
import type { PlainKey } from '../../shared/i18n';

/** A Settings field the connection to secupay cannot do without. */
export type AccountField = 'customBaseUrl' | 'clientId' | 'contractId' | 'secret';

export const ACCOUNT_FIELD_LABELS: Record<AccountField, PlainKey> = {
  customBaseUrl: 'settings.customBaseUrl',
  clientId: 'settings.clientId',
  contractId: 'settings.contractId',
  secret: 'settings.secret',
};

/**
 * What is still missing to reach secupay with these (saved) settings. Demo needs nothing. The
 * secret is checked when `secret` is given, and only where a keychain can hold it (otherwise
 * Settings says that instead); saving leaves it out, because it is entered after saving.
 */
export function missingAccountFields(settings: Settings, secret?: { stored: boolean; keychainAvailable: boolean }): AccountField[] {
  if (settings.environment === 'demo') return [];
  const missing: AccountField[] = [];
  if (settings.environment === 'custom' && settings.customBaseUrl.trim() === '') missing.push('customBaseUrl');
  if (settings.clientId.trim() === '') missing.push('clientId');
  if (settings.contractId.trim() === '') missing.push('contractId');
  if (secret && !secret.stored && secret.keychainAvailable) missing.push('secret');
  return missing;
}

/** The fields an error of the connection test points at. */
export function fieldsBehindError(code: string, missing: readonly AccountField[]): AccountField[] {
  if (code === 'auth.invalid_credentials') return ['clientId', 'secret'];
  if (code === 'auth.missing_secret') return ['secret'];
  if (code === 'settings.not_configured') return [...missing];
  return [];
}
