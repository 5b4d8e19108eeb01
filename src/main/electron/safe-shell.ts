import { shell } from 'electron';
import { isAllowedExternalUrl, type ExternalUrlPolicy } from '../external-url-policy';

/** The only caller of shell.openExternal in the app. */
export function createSafeShell(getPolicy: () => ExternalUrlPolicy) {
  return {
    async openExternal(url: string): Promise<boolean> {
      if (!isAllowedExternalUrl(url, getPolicy())) {
        console.warn('[safe-shell] refused to open a URL outside the allow-list');
        return false;
      }
      await shell.openExternal(url);
      return true;
    },
  };
}
