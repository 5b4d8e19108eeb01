import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// Electron is replaced: this checks what the printer asks of the window, not Electron itself.
const saveDialog = vi.fn();
vi.mock('electron', () => ({
  app: { getPath: () => '/home/merchant/Documents' },
  dialog: { showSaveDialog: (...args: unknown[]) => saveDialog(...args) },
}));
const { createWindowPrinter } = await import('../../src/main/electron/print');

function fakeWindow(printSucceeds = true) {
  const webContents = {
    print: vi.fn((_options: unknown, done: (success: boolean) => void) => done(printSucceeds)),
    printToPDF: vi.fn(async () => Buffer.from('%PDF-1.7 fake')),
  };
  return { window: { isDestroyed: () => false, webContents } as never, webContents };
}

const dirs: string[] = [];
afterEach(async () => {
  saveDialog.mockReset();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('printing documents from the desktop app', () => {
  it('prints through the dialog, or silently to the default printer when asked (counter auto-print)', async () => {
    const { window, webContents } = fakeWindow();
    const print = createWindowPrinter(() => window);
    expect(await print({ mode: 'print', silent: true, fileName: 'Receipt.pdf' })).toEqual({ handled: true, done: true });
    expect(webContents.print).toHaveBeenCalledWith({ silent: true, printBackground: false }, expect.any(Function));
    await print({ mode: 'print', silent: false, fileName: 'Receipt.pdf' });
    expect(webContents.print).toHaveBeenLastCalledWith({ silent: false, printBackground: false }, expect.any(Function));
  });

  it('saves the PDF where the merchant chooses, and writes nothing when the save dialog is cancelled', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'print-'));
    dirs.push(dir);
    const { window, webContents } = fakeWindow();
    const print = createWindowPrinter(() => window);
    saveDialog.mockResolvedValueOnce({ canceled: true, filePath: '' });
    expect(await print({ mode: 'pdf', silent: false, fileName: 'Payment summary 2026-03-01_2026-03-31.pdf' })).toEqual({ handled: true, done: false });
    expect(webContents.printToPDF).not.toHaveBeenCalled();
    expect(saveDialog.mock.calls[0]?.[1]).toMatchObject({ defaultPath: join('/home/merchant/Documents', 'Payment summary 2026-03-01_2026-03-31.pdf') });

    saveDialog.mockResolvedValueOnce({ canceled: false, filePath: join(dir, 'summary.pdf') });
    expect(await print({ mode: 'pdf', silent: false, fileName: 'x.pdf' })).toEqual({ handled: true, done: true });
    expect(await readFile(join(dir, 'summary.pdf'), 'utf8')).toBe('%PDF-1.7 fake');
  });

  it('leaves printing to the page when there is no window', async () => {
    expect(await createWindowPrinter(() => null)({ mode: 'print', silent: false, fileName: 'x.pdf' })).toEqual({ handled: false, done: false });
  });
});
