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
});
