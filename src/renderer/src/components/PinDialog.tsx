import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { AppError } from '../../../shared/errors';
import { Dialog } from '../history/Dialog';
import { Field } from './Field';
import { call, setPinPrompt } from '../api';
import { useI18n } from '../i18n';

interface Pending {
  /** What main said: `pin.required`, or `pin.locked` after too many wrong tries. */
  reason: AppError;
  resolve: (unlocked: boolean) => void;
}

/**
 * Asks for the owner PIN whenever main refuses a protected action with `pin.required` (see
 * `call` in api.ts), then lets that action run again. Main checks the PIN; this only collects
 * it. Calls that need it at the same time share one dialog.
 */
export function PinDialog() {
  const { t, errorText } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<AppError | null>(null);
  const [busy, setBusy] = useState(false);
  const waiting = useRef<Promise<boolean> | null>(null);

  useEffect(() => {
    setPinPrompt((reason) => {
      waiting.current ??= new Promise<boolean>((resolve) => {
        setProblem(reason.code === 'pin.locked' ? reason : null);
        setPending({
          reason,
          resolve: (unlocked) => {
            waiting.current = null;
            resolve(unlocked);
          },
        });
      });
      return waiting.current;
    });
    return () => setPinPrompt(null);
  }, []);

  if (pending === null) return null;

  const finish = (unlocked: boolean) => {
    pending.resolve(unlocked);
    setPending(null);
    setPin('');
    setProblem(null);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (pin === '') {
      setProblem({ code: 'pin.wrong', message: '' });
      return;
    }
    setBusy(true);
    const result = await call('pin.unlock', { pin });
    setBusy(false);
    if (result.ok && result.value.unlockedUntil !== null) return finish(true);
    setPin('');
    setProblem(result.ok ? { code: 'pin.wrong', message: '' } : result.error);
  };

  return (
    <Dialog
      title={t('pin.dialog.title')}
      onClose={() => finish(false)}
      busy={busy}
      testId="pin-dialog"
      footer={
        <>
          <button type="button" className="button secondary" disabled={busy} onClick={() => finish(false)}>
            {t('pin.dialog.cancel')}
          </button>
          <button type="submit" form="pin-dialog-form" className="button primary" disabled={busy}>
            {t('pin.dialog.unlock')}
          </button>
        </>
      }
    >
      <form id="pin-dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <p>{t('pin.dialog.text')}</p>
        <Field label={t('pin.dialog.label')} error={problem ? errorText(problem) : undefined}>
          {(f) => (
            <input
              id={f.id}
              aria-describedby={f.describedBy}
              aria-invalid={f.invalid}
              data-autofocus
              type="password"
              inputMode="numeric"
              autoComplete="off"
              maxLength={32}
              value={pin}
              onChange={(event) => setPin(event.target.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
