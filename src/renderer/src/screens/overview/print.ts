import { useEffect } from 'react';
import { call } from '../../api';

/**
 * Printing one of Link Desk's documents (payment summary, receipt) instead of the screen: the
 * document is rendered into `<body>` (a portal) and, while it is mounted, the print stylesheet
 * (overview.css) prints only it. The desktop app prints through main (dialog, silently to the
 * default printer, or a PDF file); the web bridge has the browser's print, whose dialog also
 * saves as PDF.
 */
export type PrintDocumentKind = 'summary' | 'receipt';

export function usePrintDocument(kind: PrintDocumentKind): void {
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.printDocument = kind;
    return () => {
      if (root.dataset.printDocument === kind) delete root.dataset.printDocument;
    };
  }, [kind]);
}

export interface PrintOptions {
  mode?: 'print' | 'pdf';
  /** Straight to the default printer, no dialog (desktop app only). */
  silent?: boolean;
  /** Suggested file name for a PDF, without the extension. */
  name?: string;
}

/** A file name main accepts: letters, digits and a few marks; anything else becomes "-". */
export function pdfFileName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N} _.,()-]+/gu, '-').replace(/\s+/g, ' ').trim().slice(0, 100);
  return `${cleaned || 'Link Desk'}.pdf`;
}

/** Prints once React has committed the document; true when the desktop app printed (or saved) it. */
export async function printNow({ mode = 'print', silent = false, name = 'Link Desk' }: PrintOptions = {}): Promise<boolean> {
  await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
  const result = await call('print.document', { mode, silent, fileName: pdfFileName(name) });
  if (result.ok && result.value.handled) return true;
  window.print();
  return false;
}
