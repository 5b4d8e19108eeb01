import { useEffect, useState } from 'react';
import { I18nProvider, useI18n, type MessageKey } from './i18n';
import { environmentLabel } from '../../shared/i18n/labels';
import { useAppState, type AppState } from './use-app-state';
import { SettingsScreen } from './screens/SettingsScreen';
import { NewLinkScreen } from './screens/NewLinkScreen';
import { LinkScreen } from './screens/LinkScreen';
import { CustomerDisplay } from './screens/CustomerDisplay';
import { HistoryScreen } from './screens/HistoryScreen';
import { OverviewScreen, type HistoryFilterRequest } from './screens/OverviewScreen';
import { shortcutLabel, useShortcuts } from './shortcuts';
import { call, subscribe } from './api';
import { draftFromRecord, emptyDraft, type LinkDraft } from './link-draft';
import type { LinkRecord } from '../../shared/link';
import { forgetCurrentLink, rememberCurrentLink, rememberedLink } from './current-link';
import { ErrorBoundary, ScreenCrashed } from './components/ErrorBoundary';
import { PinDialog } from './components/PinDialog';

export type ScreenName = 'new' | 'overview' | 'history' | 'settings';

/** `from` keeps the History item highlighted while a link opened from the history is shown. */
type Route =
  | { screen: 'new' }
  | { screen: 'link'; record: LinkRecord; from?: 'history' }
  | { screen: 'history'; filters?: HistoryFilterRequest }
  | { screen: 'overview' }
  | { screen: 'settings' };

interface NavItem {
  screen: ScreenName;
  label: Extract<MessageKey, 'nav.new' | 'nav.overview' | 'nav.history' | 'nav.settings'>;
  key: string;
}

const NAV: NavItem[] = [
  { screen: 'new', label: 'nav.new', key: 'n' },
  { screen: 'overview', label: 'nav.overview', key: 'u' },
  { screen: 'history', label: 'nav.history', key: 'h' },
  { screen: 'settings', label: 'nav.settings', key: ',' },
];

const DISPLAY_HASH = /^#customer-display\/(.+)$/;

function displayRefFromHash(): string | null {
  const match = DISPLAY_HASH.exec(window.location.hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

export function App() {
  const [displayRef, setDisplayRef] = useState(displayRefFromHash);
  useEffect(() => {
    const onHash = () => setDisplayRef(displayRefFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  // The customer display's preload offers only the link's channels: no settings, no app info.
  if (displayRef !== null) {
    const lang = navigator.language.toLowerCase().startsWith('de') ? 'de' : 'en';
    return (
      <I18nProvider lang={lang}>
        <ErrorBoundary where="CustomerDisplay" resetKey={displayRef} fallback={(retry) => <ScreenCrashed onRetry={retry} />}>
          <CustomerDisplay key={displayRef} merchantRef={displayRef} fallbackLang={lang} />
        </ErrorBoundary>
      </I18nProvider>
    );
  }
  return <MerchantApp />;
}

function MerchantApp() {
  const state = useAppState();
  useEffect(() => {
    document.documentElement.lang = state.lang;
  }, [state.lang]);
  return (
    <I18nProvider lang={state.lang}>
      <Shell state={state} />
      <PinDialog />
    </I18nProvider>
  );
}

function Shell({ state }: { state: AppState }) {
  const { t } = useI18n();
  const [route, setRouteState] = useState<Route>({ screen: 'new' });
  // After a reload or restart the link that was on screen comes back, until "New link" is chosen.
  const [restoring, setRestoring] = useState(() => rememberedLink() !== null);
  const setRoute = (next: Route) => {
    if (next.screen === 'link') rememberCurrentLink(next.record.merchantRef);
    else if (next.screen === 'new') forgetCurrentLink();
    setRouteState(next);
  };
  // The form's content lives here so that visiting Settings or a failed create loses nothing.
  const [draft, setDraft] = useState<LinkDraft | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [focusToken, setFocusToken] = useState(0);
  const settings = state.view?.settings;

  const newLink = () => {
    if (route.screen === 'link') {
      // Next customer: a fresh form.
      setDraft(null);
      setFormKey((k) => k + 1);
    }
    setRoute({ screen: 'new' });
    setFocusToken((n) => n + 1);
  };
  // "Create again" (link screen, history menu): the form filled in with that link's data.
  const createAgain = (record: LinkRecord) => {
    setDraft(draftFromRecord(record, state.lang, settings));
    setFormKey((k) => k + 1);
    setRoute({ screen: 'new' });
  };
  const go = (screen: ScreenName) => (screen === 'new' ? newLink() : setRoute({ screen }));

  useShortcuts(Object.fromEntries(NAV.map((item) => [item.key, () => go(item.screen)])));

  useEffect(() => {
    const merchantRef = rememberedLink();
    if (merchantRef === null) return;
    void call('links.get', { merchantRef }).then((result) => {
      if (result.ok) setRouteState((current) => (current.screen === 'new' ? { screen: 'link', record: result.value } : current));
      else forgetCurrentLink();
      setRestoring(false);
    });
  }, []);

  useEffect(() => {
    return subscribe((event) => {
      if (event.type !== 'navigate') return;
      if (event.to === 'settings') setRoute({ screen: 'settings' });
      else if (event.to === 'new') setRoute({ screen: 'new' });
      else if (event.to === 'history') setRoute({ screen: 'history' });
      else if (event.merchantRef) {
        void call('links.get', { merchantRef: event.merchantRef }).then((r) => r.ok && setRoute({ screen: 'link', record: r.value }));
      }
    });
  }, []);

  const environment = state.info?.environment;
  const activeNav: ScreenName = route.screen === 'settings' || route.screen === 'overview' ? route.screen : route.screen === 'history' || (route.screen === 'link' && route.from === 'history') ? 'history' : 'new';
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
                className={activeNav === item.screen ? 'nav-item active' : 'nav-item'}
                aria-current={activeNav === item.screen ? 'page' : undefined}
                onClick={() => go(item.screen)}
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
              {environmentLabel(t, environment)}
            </span>
          )}
          {state.info?.shell === 'web-bridge' && <span className="bridge-note">{t('app.bridgeNote')}</span>}
        </div>
      </nav>
      <main className="content">
        <ErrorBoundary where={route.screen} resetKey={route} fallback={(retry) => <ScreenCrashed onRetry={retry} />}>
        {state.info?.isDemo && (
          <div className="demo-banner" role="note" data-testid="demo-banner">
            <strong>{t('app.demoBanner.title')}</strong> {t('app.demoBanner')}
          </div>
        )}
        {state.view === null || restoring ? (
          <p className="loading">{t('app.loading')}</p>
        ) : route.screen === 'settings' ? (
          <SettingsScreen view={state.view} onSaved={state.setView} />
        ) : route.screen === 'overview' ? (
          <OverviewScreen view={state.view} onOpenHistory={(filters) => setRoute({ screen: 'history', filters })} />
        ) : route.screen === 'history' ? (
          <HistoryScreen key={JSON.stringify(route.filters ?? null)} initialFilters={route.filters} view={state.view} onOpenLink={(record) => setRoute({ screen: 'link', record, from: 'history' })} onNewLink={newLink} onCreateAgain={createAgain} />
        ) : route.screen === 'link' ? (
          <LinkScreen
            key={route.record.merchantRef}
            initial={route.record}
            view={state.view}
            onNewLink={newLink}
            onOpenSettings={() => setRoute({ screen: 'settings' })}
            onReplaced={(record) => setRoute({ screen: 'link', record })}
            onCreateAgain={createAgain}
          />
        ) : (
          <NewLinkScreen
            key={formKey}
            draft={draft ?? emptyDraft(settings)}
            quickItems={settings?.quickItems ?? []}
            onDraftChange={setDraft}
            focusToken={focusToken}
            onOpenSettings={() => setRoute({ screen: 'settings' })}
            onCreated={(record) => {
              setDraft(null);
              setRoute({ screen: 'link', record });
            }}
          />
        )}
        </ErrorBoundary>
      </main>
    </div>
  );
}
