import { screen, type BrowserWindow } from 'electron';
import { EVENT_CHANNEL } from '../../shared/contract/channel-names';
import type { AppEvent } from '../../shared/contract';
import { createSecureWindow } from './secure-window';

/**
 * The customer-facing window: amount, QR and status only. On a second screen when one is
 * attached (full screen there), otherwise a window the merchant can turn towards the customer.
 * One such window at a time; opening another link reuses it. It gets its own preload, which
 * exposes only the display's channels, and `onCreated` registers it so main refuses the rest.
 */
export function createCustomerDisplay(options: { preloadPath: string; rendererUrl: string; onCreated: (window: BrowserWindow) => void }) {
  let window: BrowserWindow | null = null;
  let shown: string | null = null;

  return {
    /** Passes on only what the display shows: updates of its own link. */
    forward(event: AppEvent): void {
      if (!window || window.isDestroyed() || event.type !== 'link.updated' || event.record.merchantRef !== shown) return;
      window.webContents.send(EVENT_CHANNEL, event);
    },
    open(merchantRef: string): boolean {
      shown = merchantRef;
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
      const created = createSecureWindow({ preloadPath: options.preloadPath, rendererUrl: options.rendererUrl, route, title: 'Link Desk – Customer display', bounds });
      options.onCreated(created);
      created.on('closed', () => {
        window = null;
        shown = null;
      });
      window = created;
      return true;
    },
  };
}
