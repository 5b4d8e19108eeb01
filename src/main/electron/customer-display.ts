import { screen, type BrowserWindow } from 'electron';
import { createSecureWindow } from './secure-window';

/**
 * The customer-facing window: amount, QR and status only. On a second screen when one is
 * attached (full screen there), otherwise a window the merchant can turn towards the customer.
 * One such window at a time; opening another link reuses it.
 */
export function createCustomerDisplay(options: { preloadPath: string; rendererUrl: string }) {
  let window: BrowserWindow | null = null;

  return {
    open(merchantRef: string): boolean {
      const route = `customer-display/${encodeURIComponent(merchantRef)}`;
      if (window && !window.isDestroyed()) {
        void window.loadURL(`${options.rendererUrl}#${route}`);
        window.show();
        return true;
      }
      const primary = screen.getPrimaryDisplay();
      const external = screen.getAllDisplays().find((display) => display.id !== primary.id);
      const bounds = external
        ? { x: external.bounds.x, y: external.bounds.y, width: external.bounds.width, height: external.bounds.height, fullscreen: true }
        : { width: 720, height: 820 };
      window = createSecureWindow({ ...options, route, title: 'Link Desk – Customer display', bounds });
      window.on('closed', () => (window = null));
      return true;
    },
  };
}
