import { call } from './api';

/**
 * Opens a mailto: URL in the mail app. Main hands it to the OS shell; where main cannot (the web
 * bridge has no OS shell behind the browser), the page follows the link itself, which the browser
 * passes to the mail app it has registered — as "open payment page" does with `window.open`.
 */
export async function openMailApp(mailto: string): Promise<void> {
  const result = await call('shell.openExternal', { url: mailto });
  if (result.ok && result.value.opened) return;
  const link = document.createElement('a');
  link.href = mailto;
  link.rel = 'noopener';
  link.click();
}
