import type { SenderInfo } from './dispatcher';

/**
 * Our renderer is either the built index.html (file://…/out/renderer/index.html in Electron),
 * the electron-vite dev server, or the web bridge's own origin. Only its top-level frame may
 * call main: an iframe (or a page we were tricked into navigating to) may not.
 */
export function createTrustedSenderCheck(rendererUrl: string): (sender: SenderInfo) => boolean {
  const expected = new URL(rendererUrl);
  return (sender) => {
    if (!sender.isTopFrame) return false;
    let actual: URL;
    try {
      actual = new URL(sender.url);
    } catch {
      return false;
    }
    if (expected.protocol === 'file:') {
      return actual.protocol === 'file:' && actual.pathname === expected.pathname;
    }
    return actual.origin === expected.origin;
  };
}
