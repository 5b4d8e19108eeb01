import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { translator, type UiLanguage } from '../../shared/i18n';

/** A 32×32 tray icon drawn in code (blue tile with a white QR-like mark), so no image file is needed. */
function trayIcon(): NativeImage {
  const size = 32;
  const pixels = Buffer.alloc(size * size * 4);
  const mark = ['1110111', '1010101', '1110111', '0001000', '1110101', '1010010', '1110101'];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      const corner = Math.min(x, size - 1 - x) + Math.min(y, size - 1 - y) < 4;
      const cell = mark[Math.floor((y - 5) / 3)]?.[Math.floor((x - 5) / 3)];
      const white = x >= 5 && y >= 5 && x < 26 && y < 26 && cell === '1';
      // BGRA
      pixels[i] = white ? 255 : 255;
      pixels[i + 1] = white ? 255 : 95;
      pixels[i + 2] = white ? 255 : 11;
      pixels[i + 3] = corner ? 0 : 255;
    }
  }
  return nativeImage.createFromBitmap(pixels, { width: size, height: size });
}

/**
 * Link Desk keeps watching links while its window is closed: the tray icon shows how many are
 * waiting and brings the window back. Its texts follow the app-language setting (`language`);
 * call `refresh` when the settings change.
 */
export function createWaitingTray(options: { onOpen: () => void; onQuit: () => void; language: () => UiLanguage }) {
  const tray = new Tray(trayIcon());
  let count = 0;
  const refresh = () => {
    const t = translator(options.language());
    const waiting = t('tray.waiting', { count });
    tray.setToolTip(t('tray.tooltip', { waiting }));
    tray.setContextMenu(
      Menu.buildFromTemplate([
        { label: waiting, enabled: false },
        { type: 'separator' },
        { label: t('tray.open'), click: options.onOpen },
        { label: t('tray.quit'), click: options.onQuit },
      ]),
    );
  };
  tray.on('click', options.onOpen);
  refresh();
  return {
    setWaiting(next: number) {
      count = next;
      refresh();
    },
    refresh,
  };
}
