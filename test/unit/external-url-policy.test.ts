import { describe, expect, it } from 'vitest';
import { isAllowedExternalUrl } from '../../src/main/external-url-policy';

const policy = { extraOrigins: ['http://127.0.0.1:41234'] };

describe('external URL allow-list', () => {
  it.each([
    'https://pay-dev.secuconnect.com?stx=STX_1&contract=GCR_1&server=testing',
    'https://checkout.secupay.com?wizardFlow=checkout&stx=STX_1',
    'mailto:anna@example.com?subject=Zahlung&body=Link',
    'http://127.0.0.1:41234/pay?stx=STX_1',
    'https://wa.me/491711234567?text=Hello%20Anna',
    'https://wa.me/?text=Hello',
    'sms:+491711234567?body=Hello%20Anna',
    'sms:?body=Hello',
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
    'https://wa.me.evil.example/491711234567?text=x',
    'https://evil.wa.me/?text=x',
    'http://wa.me/?text=x',
    'https://user@wa.me/?text=x',
    'https://wa.me:8443/?text=x',
    'https://wa.me/send/../evil?text=x',
    'https://wa.me/channel/abc',
    'sms:+49171;evil?body=x',
    'sms:evil.example?body=x',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url, policy)).toBe(false);
  });
});
