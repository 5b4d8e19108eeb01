import { Component, type ErrorInfo, type ReactNode } from 'react';
import { call } from '../api';
import { useI18n } from '../i18n';

interface ErrorBoundaryProps {
  /** Which part of the app this guards, for the log (e.g. `HistoryScreen`). */
  where: string;
  /** What to show instead of the crashed part; `retry` renders the part again. */
  fallback: (retry: () => void) => ReactNode;
  /** A new value (e.g. another screen chosen) clears the crash. */
  resetKey?: unknown;
  children: ReactNode;
}

interface ErrorBoundaryState {
  failed: boolean;
  resetKey: unknown;
}

/**
 * A crash in one screen shows a recovery message in its place instead of a blank window, and
 * goes to the log file through main (`log.report`). React offers boundaries only as classes.
 */
export class ErrorBoundary extends Component<ErrorBoundaryProps, ErrorBoundaryState> {
  override state: ErrorBoundaryState = { failed: false, resetKey: this.props.resetKey };

  static getDerivedStateFromError(): Partial<ErrorBoundaryState> {
    return { failed: true };
  }

  static getDerivedStateFromProps(props: ErrorBoundaryProps, state: ErrorBoundaryState): Partial<ErrorBoundaryState> | null {
    return props.resetKey !== state.resetKey ? { failed: false, resetKey: props.resetKey } : null;
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    const stack = `${error.stack ?? ''}\n${info.componentStack ?? ''}`.slice(0, 8000);
    void call('log.report', { where: this.props.where.slice(0, 100), message: `${error.name}: ${error.message}`.slice(0, 2000), stack });
  }

  override render(): ReactNode {
    if (this.state.failed) return this.props.fallback(() => this.setState({ failed: false }));
    return this.props.children;
  }
}

/** The recovery message in place of a crashed screen. */
export function ScreenCrashed({ onRetry }: { onRetry: () => void }) {
  const { t } = useI18n();
  return (
    <section className="screen crashed" role="alert" data-testid="screen-crashed">
      <h1>{t('crash.title')}</h1>
      <p>{t('crash.text')}</p>
      <button type="button" className="button primary" onClick={onRetry}>
        {t('crash.retry')}
      </button>
    </section>
  );
}

/** Errors no boundary sees (event handlers, promises) go to the log file too. */
export function reportUncaughtErrors(target: Window = window): void {
  const report = (where: string, reason: unknown) => {
    const error = reason instanceof Error ? reason : new Error(String(reason));
    void call('log.report', { where, message: `${error.name}: ${error.message}`.slice(0, 2000), stack: (error.stack ?? '').slice(0, 8000) });
  };
  target.addEventListener('error', (event) => report('window', event.error ?? event.message));
  target.addEventListener('unhandledrejection', (event) => report('promise', event.reason));
}
