import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import '../history.css';
import '../overview.css';
import { Dialog } from '../history/Dialog';
import { useI18n } from '../i18n';
import { buildReceipt, receiptEmail, type Receipt } from '../../../shared/receipt';
import type { LinkRecord } from '../../../shared/link';
import { printNow, usePrintDocument } from '../screens/overview/print';

/**
 * The buyer's receipt for a paid link: shown, printed (or saved as PDF from the print dialog) and
 * copied as e-mail text. Reached from the paid banner, the link screen and the history row.
 */
export function ReceiptDialog({ record, merchantName, onClose, printOnOpen = false }: {
  record: LinkRecord;
  merchantName: string;
  onClose: () => void;
  /** Print as soon as it opens ("print the receipt automatically when paid"). */
  printOnOpen?: boolean;
}) {
  const { t } = useI18n();
  const receipt = useMemo(() => buildReceipt(record, merchantName), [record, merchantName]);
  const fileName = `${receipt.title} ${record.reference || record.id || record.merchantRef}`;
  const [note, setNote] = useState<{ tone: 'success' | 'error' | 'info'; text: string } | null>(null);
  useEffect(() => {
    // Auto-print is for a counter printer: straight to it in the desktop app.
    if (printOnOpen) void printNow({ silent: true });
  }, [printOnOpen]);
  const copy = async () => {
    const { subject, body } = receiptEmail(receipt);
    try {
      await navigator.clipboard.writeText(`${subject}\n\n${body}`);
      setNote({ tone: 'success', text: t('receipt.copied') });
    } catch {
      setNote({ tone: 'error', text: t('receipt.copyFailed') });
    }
  };
  return (
    <Dialog title={receipt.title} onClose={onClose} testId="receipt-dialog"
      footer={
        <>
          <button type="button" className="button secondary" onClick={onClose}>{t('receipt.close')}</button>
          <button type="button" className="button secondary" onClick={() => void copy()} data-testid="receipt-copy">{t('receipt.copy')}</button>
          <button type="button" className="button secondary"
            onClick={() => {
              // The browser saves a PDF from its print dialog; the desktop app asks where to save.
              setNote({ tone: 'info', text: t('receipt.pdf.hint') });
              void printNow({ mode: 'pdf', name: fileName }).then((saved) => saved && setNote(null));
            }}>
            {t('receipt.pdf')}
          </button>
          <button type="button" className="button primary" data-autofocus onClick={() => void printNow({ name: fileName })} data-testid="receipt-print">{t('receipt.print')}</button>
        </>
      }>
      <ReceiptView receipt={receipt} testId="receipt-preview" />
      {note && <p className={`notice notice-${note.tone}`} role="status">{note.text}</p>}
      <ReceiptSheet receipt={receipt} />
    </Dialog>
  );
}

function ReceiptView({ receipt, testId }: { receipt: Receipt; testId?: string }) {
  return (
    <div className="ld-receipt" lang={receipt.language} data-testid={testId}>
      <p className="ld-doc-merchant">{receipt.merchant}</p>
      <p className="ld-receipt-amount">{receipt.amount}</p>
      {receipt.items.length > 0 && (
        <>
          <table className="ld-receipt-items" aria-label={receipt.itemsLabel} data-testid="receipt-items">
            <tbody>
              {receipt.items.map((line, index) => (
                // Two free lines can read alike ("1 × Amount"): the position tells them apart.
                <tr key={index}>
                  <td>{line.label}</td>
                  <td>{line.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {receipt.vat.map((line) => (
            <p key={line.label} className="ld-receipt-vat">{line.label}: {line.value}</p>
          ))}
        </>
      )}
      <dl>
        {receipt.lines.map((line) => (
          <div key={line.label} className="ld-receipt-line">
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      <p className="ld-receipt-footer">{receipt.footer}</p>
    </div>
  );
}

/** What goes on paper: only this, while the dialog is open (print stylesheet in overview.css). */
function ReceiptSheet({ receipt }: { receipt: Receipt }) {
  usePrintDocument('receipt');
  return createPortal(
    <article className="ld-print-doc" data-testid="receipt-sheet">
      <h1>{receipt.title}</h1>
      <ReceiptView receipt={receipt} />
    </article>,
    document.body,
  );
}
