import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import type { ChannelOutput, ParsedChannelInput } from '../../shared/contract';

export type PrintRequest = ParsedChannelInput<'print.document'>;
export type PrintResult = ChannelOutput<'print.document'>;

/**
 * Prints Link Desk's own documents (receipt, payment summary) from the main window: what the
 * page's print stylesheet shows, i.e. the document alone. `print` goes to the print dialog, or
 * with `silent` straight to the default printer (a counter printer); `pdf` asks where to save
 * and writes Chromium's PDF of the page.
 */
export function createWindowPrinter(mainWindow: () => BrowserWindow | null): (request: PrintRequest) => Promise<PrintResult> {
  return async ({ mode, silent, fileName }) => {
    const window = mainWindow();
    if (!window || window.isDestroyed()) return { handled: false, done: false };
    if (mode === 'print') {
      const printed = await new Promise<boolean>((resolve) => window.webContents.print({ silent, printBackground: false }, (success) => resolve(success)));
      return { handled: true, done: printed };
    }
    const choice = await dialog.showSaveDialog(window, {
      defaultPath: join(app.getPath('documents'), fileName),
      filters: [{ name: 'PDF', extensions: ['pdf'] }],
    });
    if (choice.canceled || !choice.filePath) return { handled: true, done: false };
    const pdf = await window.webContents.printToPDF({ pageSize: 'A4', printBackground: false });
    await writeFile(choice.filePath, pdf);
    return { handled: true, done: true };
  };
}
