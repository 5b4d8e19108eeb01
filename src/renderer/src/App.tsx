import { useEffect, useState } from 'react';
import { I18nProvider, useI18n, type MessageKey } from './i18n';
import { useAppState, type AppState } from './use-app-state';
import { SettingsScreen } from './screens/SettingsScreen';
import { shortcutLabel, useShortcuts } from './shortcuts';

export type ScreenName = 'settings';

interface NavItem {
  screen: ScreenName;
  label: MessageKey;
  key: string;
}

const NAV: NavItem[] = [{ screen: 'settings', label: 'nav.settings', key: ',' }];

export function App() {
  const state = useAppState();
  useEffect(() => {
    document.documentElement.lang = state.lang;
  }, [state.lang]);
  return (
    <I18nProvider lang={state.lang}>
      <Shell state={state} />
    </I18nProvider>
  );
}

function Shell({ state }: { state: AppState }) {
  const { t } = useI18n();
  const [screen, setScreen] = useState<ScreenName>('settings');
  useShortcuts(Object.fromEntries(NAV.map((item) => [item.key, () => setScreen(item.screen)])));

  const environment = state.info?.environment;
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Link Desk">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">◧</span>
          <span>{t('app.name')}</span>
        </div>
        <ul className="nav-list">
          {NAV.map((item) => (
            <li key={item.screen}>
              <button
                type="button"
                className={screen === item.screen ? 'nav-item active' : 'nav-item'}
                aria-current={screen === item.screen ? 'page' : undefined}
                onClick={() => setScreen(item.screen)}
                title={t('nav.shortcut', { keys: shortcutLabel(item.key) })}
              >
                <span>{t(item.label)}</span>
                <kbd>{shortcutLabel(item.key)}</kbd>
              </button>
            </li>
          ))}
        </ul>
        <div className="sidebar-foot">
          {environment && (
            <span className={`env-badge env-${environment}`} data-testid="environment-badge">
              {t(`settings.environment.${environment}` as MessageKey)}
            </span>
          )}
          {state.info?.shell === 'web-bridge' && <span className="bridge-note">{t('app.bridgeNote')}</span>}
        </div>
      </nav>
      <main className="content">
        {state.info?.isDemo && (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            <strong>{t('app.demoBadge')}</strong> {t('app.demoBanner')}
          </div>
        )}
        {state.view === null ? (
          <p className="loading">{t('app.loading')}</p>
        ) : (
          screen === 'settings' && <SettingsScreen view={state.view} onSaved={state.setView} />
        )}
      </main>
    </div>
  );
}
