// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ErrorBoundary, ScreenCrashed, reportUncaughtErrors } from '../../src/renderer/src/components/ErrorBoundary';
import { I18nProvider } from '../../src/renderer/src/i18n';

afterEach(cleanup);

const reports: unknown[] = [];
beforeEach(() => {
  reports.length = 0;
  // The renderer talks to main only through window.linkDesk; here it records what would be sent.
  Object.defineProperty(window, 'linkDesk', {
    configurable: true,
    value: { 'log.report': async (input: unknown) => (reports.push(input), { ok: true, value: { logged: true } }) },
  });
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});

let broken = true;
function History() {
  if (broken) throw new TypeError('rows is undefined');
  return <p>History works</p>;
}

function Screen({ screenName, lang = 'en' }: { screenName: string; lang?: 'de' | 'en' }) {
  return (
    <I18nProvider lang={lang}>
      <nav>Navigation</nav>
      <ErrorBoundary where="HistoryScreen" resetKey={screenName} fallback={(retry) => <ScreenCrashed onRetry={retry} />}>
        {screenName === 'history' ? <History /> : <p>New link form</p>}
      </ErrorBoundary>
    </I18nProvider>
  );
}

describe('error boundary', () => {
  it('shows a recovery message instead of a blank window and reports the crash to main', async () => {
    broken = true;
    render(<Screen screenName="history" />);
    expect(screen.getByRole('alert').textContent).toContain('This screen stopped working');
    expect(screen.getByText('Navigation')).toBeTruthy();
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({ where: 'HistoryScreen', message: 'TypeError: rows is undefined', stack: expect.stringContaining('History') });
  });

  it('renders the screen again on "Show it again" and when another screen is chosen', () => {
    broken = true;
    const { rerender } = render(<Screen screenName="history" lang="de" />);
    expect(screen.getByRole('alert').textContent).toContain('Diese Ansicht funktioniert gerade nicht');
    broken = false;
    fireEvent.click(screen.getByRole('button', { name: 'Erneut anzeigen' }));
    expect(screen.getByText('History works')).toBeTruthy();
    broken = true;
    rerender(<Screen screenName="history" lang="de" />);
    rerender(<Screen screenName="new" lang="de" />);
    expect(screen.getByText('New link form')).toBeTruthy();
  });

  it('reports errors no boundary sees: a failed promise in an event handler', async () => {
    const target = new EventTarget() as unknown as Window;
    reportUncaughtErrors(target);
    const event = Object.assign(new Event('unhandledrejection'), { reason: new RangeError('page 7 of 3') });
    target.dispatchEvent(event);
    await vi.waitFor(() => expect(reports).toHaveLength(1));
    expect(reports[0]).toMatchObject({ where: 'promise', message: 'RangeError: page 7 of 3' });
  });
});
