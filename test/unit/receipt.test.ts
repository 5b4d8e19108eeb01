import { describe, expect, it } from 'vitest';
import { buildReceipt, receiptEmail } from '../../src/shared/receipt';
import { makeLinkRecord } from '../fixtures/history-records';

const paid = makeLinkRecord({
  merchantRef: 'LD-de5c0001-xxxxxxxxxxxxxxxxxxxxxx',
  id: 'STX_ABC123',
  status: 'ok',
  amountCents: 4250,
  reference: 'Table 7',
  paidWith: 'creditcard',
  transactionId: 'PCI_XYZ789',
  updatedAt: '2026-03-10T14:05:00.000Z',
});

describe('payment receipt', () => {
  it('has business, amount, reference, method, transaction and link id, and says it is not an invoice (German)', () => {
    const receipt = buildReceipt({ ...paid, language: 'de' }, 'Café Sonne');
    expect(receipt.merchant).toBe('Café Sonne');
    expect(receipt.title).toBe('Zahlungsbeleg');
    expect(receipt.lines.map((line) => [line.label, line.value])).toEqual([
      ['Datum', expect.stringMatching(/^10\.03\.2026, \d\d:05$/)],
      ['Betrag', '42,50\u00a0€'],
      ['Verwendungszweck', 'Table 7'],
      ['Zahlart', 'Kreditkarte'],
      ['Transaktions-ID', 'PCI_XYZ789'],
      ['Zahlungslink-ID', 'STX_ABC123'],
    ]);
    expect(receipt.footer).toContain('keine Rechnung');
  });

  it('speaks the buyer\'s language, leaves out what is unknown, and falls back to the app name', () => {
    const receipt = buildReceipt({ ...paid, language: 'en', reference: '', paidWith: null }, '  ');
    expect(receipt.merchant).toBe('Link Desk');
    expect(receipt.lines.map((line) => line.label)).toEqual(['Date', 'Amount', 'Transaction ID', 'Payment link ID']);
    expect(receipt.amount).toBe('€42.50');
    expect(receipt.footer).toContain('not an invoice');
  });

  it('makes an e-mail text with every line and the footer', () => {
    const { subject, body } = receiptEmail(buildReceipt({ ...paid, language: 'en' }, 'Café Sonne'));
    expect(subject).toBe('Your payment receipt from Café Sonne');
    expect(body).toMatch(/Amount:\s+€42\.50/);
    expect(body).toMatch(/Transaction ID:\s+PCI_XYZ789/);
    expect(body).toMatch(/Payment link ID:\s+STX_ABC123/);
    expect(body).toContain('This is not an invoice.');
  });

  describe('with a basket', () => {
    const basket = {
      ...paid,
      amountCents: 1200,
      basket: [
        { itemId: 'coffee', name: 'Kaffee', quantity: 2, unitPriceCents: 350, vatRate: 19 },
        { itemId: 'cake', name: 'Kuchen', quantity: 1, unitPriceCents: 400, vatRate: 7 },
        { name: 'Briefmarke', quantity: 1, unitPriceCents: 100, vatRate: 0 },
      ],
    };

    it('lists the items with their line totals and the VAT contained per rate (German)', () => {
      const receipt = buildReceipt({ ...basket, language: 'de' }, 'Café Sonne');
      expect(receipt.items.map((line) => [line.label, line.value])).toEqual([
        ['2 × Kaffee', '7,00\u00a0€'],
        ['1 × Kuchen', '4,00\u00a0€'],
        ['1 × Briefmarke', '1,00\u00a0€'],
      ]);
      // 7,00 € at 19 % contain 1,12 €, 4,00 € at 7 % contain 0,26 €; the 0 % line contains none.
      expect(receipt.vat.map((line) => `${line.label}: ${line.value}`)).toEqual([
        'enthält 19 % MwSt.: 1,12\u00a0€',
        'enthält 7 % MwSt.: 0,26\u00a0€',
      ]);
      expect(receipt.itemsLabel).toBe('Artikel');
      expect(receipt.lines.find((line) => line.label === 'Betrag')?.value).toBe('12,00\u00a0€');
    });

    it('says it in English for an English payment page', () => {
      const receipt = buildReceipt({ ...basket, language: 'en' }, 'Café Sonne');
      expect(receipt.items[0]).toEqual({ label: '2 × Kaffee', value: '€7.00' });
      expect(receipt.vat.map((line) => `${line.label}: ${line.value}`)).toEqual(['contains 19% VAT: €1.12', 'contains 7% VAT: €0.26']);
    });

    it('puts the items and the VAT into the e-mail text, before the details', () => {
      const { body } = receiptEmail(buildReceipt({ ...basket, language: 'de' }, 'Café Sonne'));
      expect(body).toMatch(/2 × Kaffee\s+7,00\u00a0€\n1 × Kuchen\s+4,00\u00a0€\n1 × Briefmarke\s+1,00\u00a0€\n/);
      expect(body).toContain('enthält 19 % MwSt.: 1,12\u00a0€\nenthält 7 % MwSt.: 0,26\u00a0€\n');
      expect(body.indexOf('Kaffee')).toBeLessThan(body.indexOf('Datum:'));
    });

    it('stays as before for a link without a basket', () => {
      const receipt = buildReceipt({ ...paid, language: 'en' }, 'Café Sonne');
      expect(receipt.items).toEqual([]);
      expect(receipt.vat).toEqual([]);
      const { body } = receiptEmail(receipt);
      expect(body).not.toContain('×');
      expect(body).not.toContain('VAT');
      expect(body.split('\n').slice(0, 5)).toEqual(['Thank you for your payment.', '', 'Payment receipt – Café Sonne', '', expect.stringMatching(/^Date:/)]);
    });
  });
});
