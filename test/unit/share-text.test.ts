import { describe, expect, it } from 'vitest';
import { composeShareMessage, normaliseMobile, smsUrl, whatsappUrl } from '../../src/shared/share-text';
import type { EmailLink } from '../../src/shared/email-text';

const URL_ = 'https://pay-dev.secuconnect.com?stx=STX_1&contract=GCR_1&server=testing';

function link(overrides: Partial<EmailLink> = {}): EmailLink {
  return { amountCents: 4990, currency: 'EUR', reference: 'Bestellung 4711', paymentUrl: URL_, language: 'de', customer: undefined, ...overrides };
}

describe('mobile number for WhatsApp / SMS', () => {
  it.each([
    ['0171 1234567', '491711234567'],
    ['0171/123 45-67', '491711234567'],
    ['+49 171 1234567', '491711234567'],
    ['+49 (0)171 1234567', '491711234567'],
    ['0049 171 1234567', '491711234567'],
    ['+43 664 1234567', '436641234567'],
    ['(0171) 1234567', '491711234567'],
  ])('%s → %s', (raw, e164) => {
    expect(normaliseMobile(raw)).toBe(e164);
  });

  it.each(['', '   ', '1711234567', '+0171 1234567', '0171', '+49 171 1234567 8901 234', '00'])('cannot tell the country of "%s"', (raw) => {
    expect(normaliseMobile(raw)).toBeNull();
  });

  it('is null without a number', () => {
    expect(normaliseMobile(undefined)).toBeNull();
  });
});

describe('share message', () => {
  it('greets the customer in the payment page language, with amount, reference, link and merchant', () => {
    const text = composeShareMessage({ record: link({ customer: { salutation: 'Frau', surname: 'Muster' } }), merchantName: 'Laden am Eck' });
    expect(text).toBe(`Guten Tag Frau Muster,\n\nhier ist Ihr Link zur Zahlung von 49,90\u00a0€:\n${URL_}\n\nVerwendungszweck: Bestellung 4711\n\nLaden am Eck`);
  });

  it('is English for an English payment page and leaves out an empty reference and merchant', () => {
    const text = composeShareMessage({ record: link({ language: 'en', reference: '', customer: { forename: 'Jo' } }), merchantName: ' ' });
    expect(text).toBe(`Hello Jo,\n\nhere is your link to pay €49.90:\n${URL_}`);
  });
});

describe('WhatsApp and SMS URLs', () => {
  const text = 'Hallo & tschüss?\nLink: https://x.example/?a=1&b=2 #1 +';

  it('opens the chat with the normalised mobile and carries the text encoded', () => {
    const url = whatsappUrl(text, '0171 1234567');
    expect(url.startsWith('https://wa.me/491711234567?text=')).toBe(true);
    // Unencoded, "&" would end the text, "#" cut it off and "+" become a space.
    expect(url).not.toMatch(/[ \n&#+]/);
    expect(new URL(url).searchParams.get('text')).toBe(text);
  });

  it('leaves out a number it cannot normalise, and a missing one', () => {
    expect(whatsappUrl('Hi', '1711234567')).toBe('https://wa.me/?text=Hi');
    expect(whatsappUrl('Hi', undefined)).toBe('https://wa.me/?text=Hi');
  });

  it('writes sms: with the number in global form, or none', () => {
    const url = smsUrl(text, '+49 171 1234567');
    expect(url.startsWith('sms:+491711234567?body=')).toBe(true);
    expect(new URL(url).searchParams.get('body')).toBe(text);
    expect(smsUrl('Hi', '')).toBe('sms:?body=Hi');
  });
});
