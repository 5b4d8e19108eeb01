import { useState } from 'react';
import type { SettingsView } from '../../../shared/settings';
import type { AppError } from '../../../shared/errors';
import type { PlainKey } from '../../../shared/i18n';
import { call } from '../api';
import { useI18n } from '../i18n';
import { Field, Notice } from './Field';

type Feedback = { tone: 'success' | 'error'; key: PlainKey } | { tone: 'error'; error: AppError } | null;

/**
 * The owner PIN in Settings: set, change, remove, lock now. Changing and removing it are
 * protected actions themselves (main asks for the current PIN through the PIN dialog).
 */
export function OwnerPinSettings({ view, onSaved }: { view: SettingsView; onSaved: (view: SettingsView) => void }) {
  const { t, errorText, dateTime } = useI18n();
  const [pin, setPin] = useState('');
  const [feedback, setFeedback] = useState<Feedback>(null);
  const [busy, setBusy] = useState(false);
  const [openUntil, setOpenUntil] = useState<string | null>(view.pin.unlockedUntil);

  const run = async (action: () => Promise<{ ok: true; view?: SettingsView } | { ok: false; error: AppError }>, done: PlainKey) => {
    setBusy(true);
    setFeedback(null);
    const result = await action();
    setBusy(false);
    if (!result.ok) return setFeedback({ tone: 'error', error: result.error });
    if (result.view) {
      onSaved(result.view);
      setOpenUntil(result.view.pin.unlockedUntil);
    }
    setFeedback({ tone: 'success', key: done });
  };

  const setNewPin = () =>
    run(async () => {
      const result = await call('pin.set', { pin });
      if (result.ok) setPin('');
      return result.ok ? { ok: true, view: result.value } : result;
    }, 'settings.pin.saved');
  const removePin = () =>
    run(async () => {
      const result = await call('pin.remove', {});
      return result.ok ? { ok: true, view: result.value } : result;
    }, 'settings.pin.removed');
  const lockNow = () =>
    run(async () => {
      const result = await call('pin.lock', {});
      if (result.ok) setOpenUntil(null);
      return result.ok ? { ok: true } : result;
    }, 'settings.pin.lockedNow');

  const pinError = feedback && 'error' in feedback && feedback.error.fields?.['pin'];
  return (
    <div className="owner-pin" data-testid="owner-pin">
      <p className="field-hint">{t('settings.pin.hint')}</p>
      <div className="secret-status">
        <span className={view.pin.set ? 'pill pill-ok' : 'pill'} data-testid="pin-state">
          {view.pin.set ? t('settings.pin.isSet') : t('settings.pin.notSet')}
        </span>
        {view.pin.set && openUntil && <span className="muted">{t('settings.pin.open', { time: dateTime(openUntil) })}</span>}
      </div>
      <Field label={t('settings.pin.new')} error={pinError ? t('validation.pin_format') : undefined}>
        {(f) => (
          <div className="inline-controls">
            <input id={f.id} aria-describedby={f.describedBy} aria-invalid={f.invalid} type="password" inputMode="numeric" autoComplete="new-password"
              maxLength={8} value={pin} onChange={(e) => setPin(e.target.value)} />
            <button type="button" className="button secondary" disabled={busy} onClick={() => void setNewPin()}>{t('settings.pin.save')}</button>
          </div>
        )}
      </Field>
      {view.pin.set && (
        <div className="inline-controls">
          <button type="button" className="button secondary" disabled={busy} onClick={() => void lockNow()}>{t('settings.pin.lockNow')}</button>
          <button type="button" className="button link danger" disabled={busy} onClick={() => void removePin()}>{t('settings.pin.remove')}</button>
        </div>
      )}
      {feedback && (
        <Notice tone={feedback.tone} testId="pin-feedback">
          {'key' in feedback ? t(feedback.key) : errorText(feedback.error)}
        </Notice>
      )}
    </div>
  );
}

/** "Copy diagnostics": main builds the text (nothing secret in it), the clipboard takes it. */
export function CopyDiagnostics() {
  const { t } = useI18n();
  const [result, setResult] = useState<'copied' | 'failed' | null>(null);
  const copy = async () => {
    const answer = await call('diagnostics.get', {});
    if (!answer.ok) return setResult('failed');
    try {
      await navigator.clipboard.writeText(answer.value.text);
      setResult('copied');
    } catch {
      setResult('failed');
    }
  };
  return (
    <div className="connection-test">
      <button type="button" className="button secondary" onClick={() => void copy()} data-testid="copy-diagnostics">{t('settings.diagnostics.copy')}</button>
      <span className="field-hint">{t('settings.diagnostics.hint')}</span>
      {result && (
        <Notice tone={result === 'copied' ? 'success' : 'error'} testId="diagnostics-feedback">
          {result === 'copied' ? t('settings.diagnostics.copied') : t('settings.diagnostics.failed')}
        </Notice>
      )}
    </div>
  );
}
