import { useEffect, useState } from 'react';
import type { AppInfo } from '../../shared/contract';
import type { SettingsView } from '../../shared/settings';
import type { UiLocale } from '../../shared/money';
import { call, subscribe } from './api';
import { pickLanguage, resolveUiLanguage } from '../../shared/i18n';

export interface AppState {
  info: AppInfo | null;
  view: SettingsView | null;
  lang: UiLocale;
  setView: (view: SettingsView) => void;
}

/** App info and settings, kept current through main's `settings.changed` events. */
export function useAppState(): AppState {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [view, setView] = useState<SettingsView | null>(null);

  useEffect(() => {
    let alive = true;
    void Promise.all([call('app.info', {}), call('settings.get', {})]).then(([infoResult, viewResult]) => {
      if (!alive) return;
      if (infoResult.ok) setInfo(infoResult.value);
      if (viewResult.ok) setView(viewResult.value);
    });
    const unsubscribe = subscribe((event) => {
      if (event.type === 'settings.changed') {
        setView(event.view);
        void call('app.info', {}).then((r) => r.ok && setInfo(r.value));
      }
    });
    return () => {
      alive = false;
      unsubscribe();
    };
  }, []);

  const chosen = view?.settings.uiLanguage ?? 'system';
  // In a browser (web bridge) "the system" is the browser: its language, not the server's locale.
  const systemLanguage = info?.shell === 'web-bridge' ? pickLanguage(navigator.languages) : (info?.systemLanguage ?? 'en');
  const lang: UiLocale = resolveUiLanguage(chosen, systemLanguage);
  return { info, view, lang, setView };
}
