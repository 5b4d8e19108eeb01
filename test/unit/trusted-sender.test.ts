import { describe, expect, it } from 'vitest';
import { createTrustedSenderCheck } from '../../src/main/ipc/trusted-sender';

describe('trusted sender check', () => {
  it('accepts only our built index.html in the top frame', () => {
    const check = createTrustedSenderCheck('file:///opt/link-desk/out/renderer/index.html');
    expect(check({ url: 'file:///opt/link-desk/out/renderer/index.html#customer-display', isTopFrame: true })).toBe(true);
    expect(check({ url: 'file:///opt/link-desk/out/renderer/index.html', isTopFrame: false })).toBe(false);
    expect(check({ url: 'file:///tmp/evil.html', isTopFrame: true })).toBe(false);
    expect(check({ url: 'https://pay-dev.secuconnect.com/', isTopFrame: true })).toBe(false);
    expect(check({ url: 'not a url', isTopFrame: true })).toBe(false);
  });

  it('compares origins for the dev server', () => {
    const check = createTrustedSenderCheck('http://localhost:5173/');
    expect(check({ url: 'http://localhost:5173/index.html', isTopFrame: true })).toBe(true);
    expect(check({ url: 'http://localhost:5174/', isTopFrame: true })).toBe(false);
  });
});
