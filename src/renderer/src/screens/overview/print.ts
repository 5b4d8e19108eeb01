import { useEffect } from 'react';

/**
 * Printing one of Link Desk's documents (payment summary, receipt) instead of the screen: the
 * document is rendered into `<body>` (a portal) and, while it is mounted, the print stylesheet
 * (overview.css) prints only it. The browser's print (web bridge) and Electron's both print what
 * the stylesheet shows; "Save as PDF" in the print dialog makes the PDF.
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

/** Opens the print dialog once React has committed the document. */
export async function printNow(): Promise<void> {
  await new Promise((resolve) => requestAnimationFrame(() => resolve(null)));
  window.print();
}
