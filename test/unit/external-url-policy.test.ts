import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../src/main/external-url-policy';

const policy = { extraOrigins: ['http://127.0.0.1:41234'] };

describe('external URL allow-list', () => {
  it.each([
    'https://pay-dev.secuconnect.com?stx=STX_1&contract=GCR_1&server=testing',
    'https://checkout.secupay.com?wizardFlow=checkout&stx=STX_1',
    'mailto:anna@example.com?subject=Zahlung&body=Link',
    'http://127.0.0.1:41234/pay?stx=STX_1',
  ])('opens %s', (url) => {
    expect(isAllowedExternalUrl(url, policy)).toBe(true);
  });

  it.each([
    'http://pay-dev.secuconnect.com/',
    'https://evil.example/pay',
    'https://pay-dev.secuconnect.com.evil.example/',
    'https://user:pw@pay-dev.secuconnect.com/',
    'https://pay-dev.secuconnect.com:8443/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'http://127.0.0.1:9999/',
    'smb://server/share',
    'not a url',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url, policy)).toBe(false);
  });
});
