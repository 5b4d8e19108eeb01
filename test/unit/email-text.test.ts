import { describe, expect, it } from 'vitest';
import { composeEmail, composeReminder, fillTemplate, greeting, mailtoUrl, type EmailLink } from '../../src/shared/email-text';
import { DEFAULT_EMAIL_TEMPLATES } from '../../src/shared/settings';

const URL = 'https://pay.example/pay?stx=STX_ABC&contract=GCR_X';

function link(overrides: Partial<EmailLink> = {}): EmailLink {
  return { amountCents: 123456, currency: 'EUR', reference: 'Bestellung 4711', paymentUrl: URL, language: 'de', customer: undefined, ...overrides };
}

describe('greeting', () => {
  it.each([
    ['de', { salutation: 'Frau', forename: 'Anna', surname: 'Muster' }, 'Guten Tag Frau Muster,'],
    ['de', { salutation: 'Herr', surname: 'Kühn' }, 'Guten Tag Herr Kühn,'],
    ['de', { forename: 'Anna', surname: 'Muster' }, 'Hallo Anna Muster,'],
    ['de', { forename: 'Anna' }, 'Hallo Anna,'],
    ['de', { salutation: 'Frau' }, 'Guten Tag,'],
    ['de', { companyname: 'Kühn GmbH' }, 'Guten Tag,'],
    ['de', undefined, 'Guten Tag,'],
    ['en', { salutation: 'Frau', forename: 'Anna', surname: 'Muster' }, 'Dear Ms Muster,'],
    ['en', { salutation: 'Herr', surname: 'Smith' }, 'Dear Mr Smith,'],
    ['en', { salutation: 'Mrs', surname: 'Smith' }, 'Dear Ms Smith,'],
    ['en', { forename: 'Jo', surname: 'Smith' }, 'Hello Jo Smith,'],
    ['en', undefined, 'Hello,'],
  ] as const)('%s %j → %s', (locale, customer, expected) => {
    expect(greeting(customer, locale)).toBe(expected);
  });
});

describe('fillTemplate', () => {
  it('drops a line whose placeholders are all empty and collapses the blank lines it leaves', () => {
    const text = 'Hi\n\nPay here: {link}\n\nReference: {reference}\n\nBye\n{merchant}';
    expect(fillTemplate(text, { link: 'L', reference: '', merchant: '' })).toBe('Hi\n\nPay here: L\n\nBye');
  });

  it('keeps a line when at least one of its placeholders has a value', () => {
    expect(fillTemplate('{reference} {merchant}', { reference: '', merchant: 'Shop' })).toBe(' Shop');
  });

  it('keeps lines without placeholders, including intentional blank ones between paragraphs', () => {
    expect(fillTemplate('A\n\nB\r\nC', {})).toBe('A\n\nB\nC');
  });
});

describe('composeEmail', () => {
  it('fills the German default template in the payment page language', () => {
    const mail = composeEmail({
      record: link({ customer: { salutation: 'Frau', forename: 'Anna', surname: 'Muster', email: 'anna@example.com' } }),
      template: DEFAULT_EMAIL_TEMPLATES.de,
      merchantName: 'Fahrradwerkstatt Kühn',
    });
    expect(mail.subject).toBe('Zahlungslink über 1.234,56\u00a0€');
    expect(mail.body).toBe(
      'Guten Tag Frau Muster,\n\nvielen Dank für Ihre Bestellung. Bitte bezahlen Sie 1.234,56\u00a0€ bequem und sicher über diesen Link:\n\n' +
        `${URL}\n\nVerwendungszweck: Bestellung 4711\n\nMit freundlichen Grüßen\nFahrradwerkstatt Kühn`,
    );
  });

  it('fills the English template with English money format', () => {
    const mail = composeEmail({ record: link({ language: 'en', amountCents: 1750, currency: 'GBP', customer: { forename: 'Jo' } }), template: DEFAULT_EMAIL_TEMPLATES.en, merchantName: 'Shop' });
    expect(mail.subject).toBe('Payment link for £17.50');
    expect(mail.body.startsWith('Hello Jo,\n\nthank you for your order. Please pay £17.50 securely')).toBe(true);
    expect(mail.body).toContain(`\n\n${URL}\n\nReference: Bestellung 4711\n\nKind regards\nShop`);
  });

  it('leaves out the reference and signature lines when there is nothing to put in them', () => {
    const mail = composeEmail({ record: link({ reference: '' }), template: DEFAULT_EMAIL_TEMPLATES.de, merchantName: '  ' });
    expect(mail.body).not.toContain('Verwendungszweck');
    expect(mail.body).not.toMatch(/\n\n\n/);
    expect(mail.body.endsWith('Mit freundlichen Grüßen')).toBe(true);
    expect(mail.body.startsWith('Guten Tag,\n\n')).toBe(true);
  });

  it('builds an RFC 6068 mailto with recipient, %20 spaces and CRLF line breaks', () => {
    const mail = composeEmail({
      record: link({ customer: { email: 'anna.muster+shop@example.com', surname: 'Muster' } }),
      template: { subject: 'Link & more: {amount}', body: 'Line one\nLine two {link}' },
      merchantName: '',
    });
    expect(mail.mailto).toBe(
      'mailto:anna.muster%2Bshop@example.com?subject=Link%20%26%20more%3A%201.234%2C56%C2%A0%E2%82%AC' +
        `&body=Line%20one%0D%0ALine%20two%20${encodeURIComponent(URL)}`,
    );
    expect(mail.mailto).not.toContain('+');
    expect(decodeURIComponent(mail.mailto.split('&body=')[1] ?? '')).toBe(`Line one\r\nLine two ${URL}`);
  });

  it('has no recipient without a customer e-mail', () => {
    expect(composeEmail({ record: link(), template: DEFAULT_EMAIL_TEMPLATES.en, merchantName: '' }).mailto.startsWith('mailto:?subject=')).toBe(true);
  });

  it('keeps the subject on one line even if the template has a line break', () => {
    expect(composeEmail({ record: link(), template: { subject: 'A\n{reference}', body: 'x' }, merchantName: '' }).subject).toBe('A Bestellung 4711');
  });
});

describe('mailtoUrl', () => {
  it('encodes umlauts as UTF-8 percent escapes', () => {
    expect(mailtoUrl('', 'Grüße', 'ä')).toBe('mailto:?subject=Gr%C3%BC%C3%9Fe&body=%C3%A4');
  });
});

describe('composeReminder', () => {
  it('uses the built-in wording in the link language', () => {
    const de = composeReminder({ record: link({ customer: { salutation: 'Herr', surname: 'Kühn' } }), merchantName: 'Laden' });
    expect(de.subject).toBe('Erinnerung: Zahlungslink über 1.234,56\u00a0€');
    expect(de.body).toMatch(/^Guten Tag Herr Kühn,\n\nwir möchten Sie freundlich daran erinnern/);
    expect(de.body).toContain(URL);
    const en = composeReminder({ record: link({ language: 'en' }), merchantName: '' });
    expect(en.subject).toBe('Reminder: payment link for €1,234.56');
    expect(en.body).toContain('Reference: Bestellung 4711');
    expect(en.body.endsWith('Kind regards')).toBe(true);
  });
});
