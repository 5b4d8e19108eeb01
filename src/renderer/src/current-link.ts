/**
 * Which link is on screen, kept in the renderer's local storage (persisted by Electron across
 * restarts, per origin in a browser), so a reload or restart shows it again instead of an empty
 * form. Only the merchantRef is kept; the link itself is read from main's history.
 */
const KEY = 'link-desk.current-link';

export function rememberedLink(): string | null {
  try {
    return localStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function rememberCurrentLink(merchantRef: string): void {
  try {
    localStorage.setItem(KEY, merchantRef);
  } catch {
    // Storage can be unavailable (private window, quota); the app works without it.
  }
}

export function forgetCurrentLink(): void {
  try {
    localStorage.removeItem(KEY);
  } catch {
    // See rememberCurrentLink.
  }
}
