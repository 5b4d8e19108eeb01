import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../src/shared/settings';
import { fieldsBehindError, missingAccountFields } from '../../src/renderer/src/settings-check';

const settings = (change: Partial<Settings>): Settings => ({ ...DEFAULT_SETTINGS, ...change });
const noSecret = { stored: false, keychainAvailable: true };

describe('what the connection to secupay still needs', () => {
  it('needs nothing in Demo', () => {
    expect(missingAccountFields(settings({ environment: 'demo' }), noSecret)).toEqual([]);
  });

  it('names client ID, contract ID and secret for Testing and Live; saving leaves the secret out', () => {
    expect(missingAccountFields(settings({ environment: 'testing' }), noSecret)).toEqual(['clientId', 'contractId', 'secret']);
    expect(missingAccountFields(settings({ environment: 'live', clientId: 'c', contractId: '  ' }))).toEqual(['contractId']);
    expect(missingAccountFields(settings({ environment: 'live', clientId: 'c', contractId: 'GCR_ABCDEFGH' }), { stored: true, keychainAvailable: true })).toEqual([]);
  });

  it('asks for the API address of a custom environment, and not for a secret no keychain can hold', () => {
    expect(missingAccountFields(settings({ environment: 'custom', clientId: 'c', contractId: 'GCR_ABCDEFGH' }), { stored: false, keychainAvailable: false })).toEqual(['customBaseUrl']);
  });

  it('points a rejected login at client ID and secret', () => {
    expect(fieldsBehindError('auth.invalid_credentials', [])).toEqual(['clientId', 'secret']);
    expect(fieldsBehindError('auth.missing_secret', [])).toEqual(['secret']);
    expect(fieldsBehindError('network.offline', ['clientId'])).toEqual([]);
  });
});
