import { describe, expect, it } from 'vitest';
import { toCsv } from '../../src/shared/csv';
import { makeLinkRecord } from '../fixtures/history-records';

const paid = makeLinkRecord({
  merchantRef: 'LD-1',
  id: 'STX_ABC',
  transactionId: 'PCI_XYZ',
  status: 'ok',
  paidWith: 'creditcard',
  amountCents: 123450,
  refundedCents: 500,
  reference: 'Order 17',
  customer: { forename: 'Jürgen', surname: 'Müller', companyname: 'Bäckerei Süß', email: 'j@example.de' },
  paymentUrl: 'https://pay.example/abc',
  createdAt: '2024-12-31T13:05:09.000Z',
  updatedAt: '2025-01-01T08:00:00.000Z',
});

/** Rows and cells of a CSV as RFC 4180 defines them (quotes, doubled quotes, CRLF inside quotes). */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  expect(cell).toBe('');
  expect(row).toEqual([]);
  return rows;
}

describe('CSV export', () => {
  it('writes a BOM, a German header and German values with CRLF line ends', () => {
    const csv = toCsv([paid], { separator: ';', locale: 'de', timeZone: 'Europe/Berlin' });
    expect(csv.startsWith('\uFEFFErstellt;Aktualisiert;Status;Betrag;Währung;')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    const rows = parseCsv(csv.slice(1), ';');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toEqual([
      '31.12.2024 14:05:09',
      '01.01.2025 09:00:00',
      'Bezahlt',
      '1234,50',
      'EUR',
      'Order 17',
      'Jürgen Müller, Bäckerei Süß',
      'j@example.de',
      'Kreditkarte',
      '5,00',
      'STX_ABC',
      'PCI_XYZ',
      'LD-1',
      'https://pay.example/abc',
      '',
      '',
      '',
    ]);
  });

  it('writes English header and values with a comma separator', () => {
    const rows = parseCsv(toCsv([paid], { separator: ',', locale: 'en', timeZone: 'UTC' }).slice(1), ',');
    expect(rows[0]).toEqual([
      'Created',
      'Updated',
      'Status',
      'Amount',
      'Currency',
      'Reference',
      'Customer',
      'E-mail',
      'Payment method',
      'Refunded',
      'Transaction ID',
      'Payment ID',
      'Merchant reference',
      'Payment link',
      'Items',
      'VAT 19%',
      'VAT 7%',
    ]);
    expect(rows[1]?.slice(0, 5)).toEqual(['2024-12-31 13:05:09', '2025-01-01 08:00:00', 'Paid', '1234.50', 'EUR']);
    expect(rows[1]?.[9]).toBe('5.00');
  });

  it.each([
    ['created', 'Warten auf Zahlung', 'Waiting for payment'],
    ['pending', 'Zahlung ausstehend', 'Payment pending'],
    ['approved', 'Autorisiert', 'Authorised'],
    ['ok', 'Bezahlt', 'Paid'],
    ['failed', 'Fehlgeschlagen', 'Failed'],
    ['cancelled', 'Storniert', 'Cancelled'],
    // Order flow (API-NOTES §5.1): `collection` is click and collect, not debt collection.
    ['received', 'Bezahlt – bereit zum Versand', 'Paid – ready to ship'],
    ['shipped', 'Versendet', 'Shipped'],
    ['collection', 'Bezahlt – bereit zur Abholung', 'Paid – ready for pickup'],
    ['collected', 'Abgeholt', 'Picked up'],
    ['something_new', 'Status unbekannt', 'Status unknown'],
  ])('names status %s as the merchant reads it', (status, de, en) => {
    const record = makeLinkRecord({ merchantRef: 'x', status });
    expect(parseCsv(toCsv([record], { separator: ';', locale: 'de' }).slice(1), ';')[1]?.[2]).toBe(de);
    expect(parseCsv(toCsv([record], { separator: ',', locale: 'en' }).slice(1), ',')[1]?.[2]).toBe(en);
  });

  it('quotes cells with the separator, quotes and line breaks, and keeps umlauts', () => {
    const tricky = makeLinkRecord({ merchantRef: 'x', reference: 'Bestellung "Groß"; Teil 1, 2\r\nZeile 2\nZeile 3', customer: { surname: 'Özdemir' } });
    for (const separator of [',', ';'] as const) {
      const csv = toCsv([tricky], { separator, locale: 'de' });
      expect(csv).toContain('"Bestellung ""Groß""; Teil 1, 2\r\nZeile 2\nZeile 3"');
      const rows = parseCsv(csv.slice(1), separator);
      expect(rows).toHaveLength(2);
      expect(rows[1]?.[5]).toBe('Bestellung "Groß"; Teil 1, 2\r\nZeile 2\nZeile 3');
      expect(rows[1]?.[6]).toBe('Özdemir');
    }
    // The German decimal comma forces quotes only when the comma is the separator.
    const amount = makeLinkRecord({ merchantRef: 'y', amountCents: 1750 });
    expect(toCsv([amount], { separator: ',', locale: 'de' })).toContain(',"17,50",');
    expect(toCsv([amount], { separator: ';', locale: 'de' })).toContain(';17,50;');
  });

  it('defuses cells that Excel would run as a formula', () => {
    const evil = makeLinkRecord({
      merchantRef: '@SUM(A1)',
      reference: '=HYPERLINK("http://evil.example","Click")',
      customer: { forename: '+49 170', surname: 'x', email: '-1+1@example.com' },
    });
    const row = parseCsv(toCsv([evil], { separator: ';', locale: 'en' }).slice(1), ';')[1] ?? [];
    expect(row[5]).toBe(`'=HYPERLINK("http://evil.example","Click")`);
    expect(row[6]).toBe("'+49 170 x");
    expect(row[7]).toBe("'-1+1@example.com");
    expect(row[12]).toBe("'@SUM(A1)");
    for (const cell of row) expect(cell).not.toMatch(/^[=+\-@]/);
  });

  it('leaves cells empty that a link does not have yet, and writes only the header for no links', () => {
    const creating = makeLinkRecord({ merchantRef: 'c', state: 'creating', status: null });
    const row = parseCsv(toCsv([creating], { separator: ';', locale: 'de' }).slice(1), ';')[1] ?? [];
    expect(row[2]).toBe('Wird erstellt');
    expect([row[6], row[7], row[8], row[10], row[11], row[13]]).toEqual(['', '', '', '', '', '']);
    expect(parseCsv(toCsv([], { separator: ',', locale: 'en' }).slice(1), ',')).toHaveLength(1);
  });

  describe('basket', () => {
    const basket = makeLinkRecord({
      merchantRef: 'B-1',
      amountCents: 1200,
      basket: [
        { itemId: 'coffee', name: 'Coffee', quantity: 2, unitPriceCents: 350, vatRate: 19 },
        { itemId: 'cake', name: 'Cake', quantity: 1, unitPriceCents: 400, vatRate: 7 },
        { name: 'Stamp', quantity: 1, unitPriceCents: 100, vatRate: 0 },
      ],
    });
    const plain = makeLinkRecord({ merchantRef: 'P-1', amountCents: 990 });
    /** The cells after the fourteen that every export has. */
    const added = (row: string[] | undefined) => row?.slice(14);

    it('adds an Items column and the VAT contained per rate, German, after the existing columns', () => {
      const rows = parseCsv(toCsv([basket, plain], { separator: ';', locale: 'de' }).slice(1), ';');
      expect(rows[0]?.slice(12)).toEqual(['Händlerreferenz', 'Zahlungslink', 'Artikel', 'MwSt. 19 %', 'MwSt. 7 %']);
      // 7,00 € at 19 % contain 1,12 €; 4,00 € at 7 % contain 0,26 €; the 0 % stamp adds no VAT.
      expect(added(rows[1])).toEqual(['2 × Coffee à 3,50\u00a0€; 1 × Cake à 4,00\u00a0€; 1 × Stamp à 1,00\u00a0€', '1,12', '0,26']);
      expect(rows[1]?.[3]).toBe('12,00');
      // A link without a basket keeps the columns, empty.
      expect(added(rows[2])).toEqual(['', '', '']);
    });

    it('writes the items in English with a comma separator, and leaves a rate the basket lacks empty', () => {
      const coffeeOnly = makeLinkRecord({
        merchantRef: 'B-2',
        amountCents: 700,
        basket: [{ name: 'Coffee, large', quantity: 2, unitPriceCents: 350, vatRate: 19 }],
      });
      const rows = parseCsv(toCsv([coffeeOnly], { separator: ',', locale: 'en' }).slice(1), ',');
      expect(added(rows[1])).toEqual(['2 × Coffee, large at €3.50', '1.12', '']);
    });

    it('gives a rate only a link made elsewhere carries a column of its own, after 19 % and 7 %', () => {
      const swiss = makeLinkRecord({
        merchantRef: 'F-1',
        origin: 'elsewhere',
        currency: 'CHF',
        amountCents: 1077,
        basket: [{ name: 'Tee', quantity: 1, unitPriceCents: 1077, vatRate: 7.7 }],
      });
      const rows = parseCsv(toCsv([basket, swiss], { separator: ';', locale: 'de' }).slice(1), ';');
      expect(rows[0]?.slice(15)).toEqual(['MwSt. 19 %', 'MwSt. 7 %', 'MwSt. 7,7 %']);
      expect(rows[1]?.slice(15)).toEqual(['1,12', '0,26', '']);
      // 10,77 CHF at 7,7 % contain 0,77 CHF.
      expect(rows[2]?.slice(14)).toEqual(['1 × Tee à 10,77\u00a0CHF', '', '', '0,77']);
    });

    it('keeps an item name a spreadsheet would run as a formula from starting a cell', () => {
      const evil = makeLinkRecord({
        merchantRef: 'E-1',
        amountCents: 100,
        basket: [{ name: '=HYPERLINK("http://evil.example","Click")', quantity: 1, unitPriceCents: 100, vatRate: 19 }],
      });
      const row = parseCsv(toCsv([evil], { separator: ';', locale: 'en' }).slice(1), ';')[1] ?? [];
      expect(row[14]).toBe('1 × =HYPERLINK("http://evil.example","Click") at €1.00');
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    });
  });
});
